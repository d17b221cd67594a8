'use client';

import type { ProblemError } from '@/client/api.ts';
import { duplicateKeys, type LabelRow } from '@/client/labels.ts';
import { Button } from './button.tsx';
import { FieldError, INPUT_CLASS } from './field.tsx';
import { useId } from 'react';

/**
 * Key/value rows for a label map. Errors come from the server by path (`labels.env`, or
 * `labels` for the whole map) and sit under the row they name.
 */
export function LabelsEditor({
  rows,
  onChange,
  problem,
  path = 'labels',
  legend = 'Labels',
}: {
  rows: LabelRow[];
  onChange: (rows: LabelRow[]) => void;
  problem?: ProblemError | null | undefined;
  path?: string;
  legend?: string;
}) {
  const baseId = useId();
  const duplicates = duplicateKeys(rows);
  const update = (index: number, patch: Partial<LabelRow>) =>
    onChange(rows.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  const wholeMapError = problem?.errors.find((error) => error.path === path)?.message;
  return (
    <fieldset className="space-y-2">
      <legend className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">
        {legend}
      </legend>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No labels yet.</p>
      ) : null}
      {rows.map((row, index) => {
        const key = row.key.trim();
        const serverError = key ? problem?.fieldError(`${path}.${key}`) : undefined;
        const error = duplicates.has(key) ? `the key "${key}" is given twice` : serverError;
        const errorId = `${baseId}-${index}-error`;
        return (
          <div key={index}>
            <div className="flex items-center gap-2">
              <input
                className={`${INPUT_CLASS} font-mono`}
                aria-label={`Label ${index + 1} key`}
                placeholder="key, e.g. region"
                value={row.key}
                onChange={(event) => update(index, { key: event.target.value })}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? errorId : undefined}
              />
              <span aria-hidden="true" className="text-slate-600 dark:text-slate-400">
                =
              </span>
              <input
                className={`${INPUT_CLASS} font-mono`}
                aria-label={`Label ${index + 1} value`}
                placeholder="value, e.g. eu-west"
                value={row.value}
                onChange={(event) => update(index, { value: event.target.value })}
                aria-invalid={error ? true : undefined}
              />
              <Button
                variant="ghost"
                aria-label={`Remove label ${index + 1}`}
                onClick={() => onChange(rows.filter((_, at) => at !== index))}
              >
                <span aria-hidden="true">✕</span>
              </Button>
            </div>
            <FieldError id={errorId} message={error} />
          </div>
        );
      })}
      <FieldError id={`${baseId}-error`} message={wholeMapError} />
      <Button onClick={() => onChange([...rows, { key: '', value: '' }])}>+ Add label</Button>
    </fieldset>
  );
}
