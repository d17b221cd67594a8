'use client';

import type { ProblemError } from '@/client/api.ts';
import {
  SELECTOR_OPERATORS,
  selectorToText,
  rowsToSelector,
  type SelectorOperator,
  type SelectorRows,
} from '@/client/selectors.ts';
import type { LabelSelector } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { FieldError, INPUT_CLASS } from '@/components/ui/field.tsx';
import { Tabs } from '@/components/ui/tabs.tsx';
import { useId } from 'react';

export interface SelectorDraft {
  mode: 'rows' | 'text';
  rows: SelectorRows;
  text: string;
}

/** What the API receives: the object form from the rows, or the string syntax as typed. */
export function draftToSelector(draft: SelectorDraft): LabelSelector | string {
  return draft.mode === 'rows' ? rowsToSelector(draft.rows) : draft.text.trim();
}

const OPERATOR_HINT: Readonly<Record<SelectorOperator, string>> = {
  In: 'value is one of',
  NotIn: 'value is none of',
  Exists: 'has the label',
  DoesNotExist: 'lacks the label',
};

/**
 * A label selector, edited as matchLabels + matchExpressions rows or in the string syntax.
 * Going from rows to text writes the rows out; the server parses and validates either form.
 */
export function SelectorEditor({
  draft,
  onChange,
  problem,
  path = 'selector',
}: {
  draft: SelectorDraft;
  onChange: (draft: SelectorDraft) => void;
  problem?: ProblemError | null;
  path?: string;
}) {
  const id = useId();
  const error = problem?.fieldError(path);
  const { rows } = draft;
  const setRows = (next: SelectorRows) => onChange({ ...draft, rows: next });
  const selectMode = (mode: 'rows' | 'text') =>
    onChange({
      ...draft,
      mode,
      text:
        mode === 'text' && draft.mode === 'rows'
          ? selectorToText(rowsToSelector(rows))
          : draft.text,
    });

  return (
    <fieldset>
      <legend className="mb-2 text-sm font-medium text-slate-800 dark:text-slate-200">
        Cluster selector
      </legend>
      <Tabs
        label="Selector form"
        tabs={[
          { id: 'rows', label: 'Rules' },
          { id: 'text', label: 'Text' },
        ]}
        selected={draft.mode}
        onSelect={selectMode}
      >
        {draft.mode === 'text' ? (
          <div>
            <label htmlFor={`${id}-text`} className="sr-only">
              Selector text
            </label>
            <input
              id={`${id}-text`}
              className={`${INPUT_CLASS} font-mono`}
              placeholder="env in (prod,staging),region=eu,!canary"
              value={draft.text}
              onChange={(event) => onChange({ ...draft, text: event.target.value })}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              spellCheck={false}
              autoComplete="off"
            />
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
              Empty matches every cluster.
            </p>
          </div>
        ) : (
          <div className="space-y-4">
            <div className="space-y-2">
              <h3 className="text-sm font-medium text-slate-800 dark:text-slate-200">
                Labels equal to (matchLabels)
              </h3>
              {rows.matchLabels.map((row, index) => (
                <div key={index} className="flex items-center gap-2">
                  <input
                    className={`${INPUT_CLASS} font-mono`}
                    aria-label={`Match label ${index + 1} key`}
                    placeholder="key"
                    value={row.key}
                    onChange={(event) =>
                      setRows({
                        ...rows,
                        matchLabels: rows.matchLabels.map((r, at) =>
                          at === index ? { ...r, key: event.target.value } : r,
                        ),
                      })
                    }
                  />
                  <span aria-hidden="true">=</span>
                  <input
                    className={`${INPUT_CLASS} font-mono`}
                    aria-label={`Match label ${index + 1} value`}
                    placeholder="value"
                    value={row.value}
                    onChange={(event) =>
                      setRows({
                        ...rows,
                        matchLabels: rows.matchLabels.map((r, at) =>
                          at === index ? { ...r, value: event.target.value } : r,
                        ),
                      })
                    }
                  />
                  <Button
                    variant="ghost"
                    aria-label={`Remove match label ${index + 1}`}
                    onClick={() =>
                      setRows({
                        ...rows,
                        matchLabels: rows.matchLabels.filter((_, at) => at !== index),
                      })
                    }
                  >
                    <span aria-hidden="true">✕</span>
                  </Button>
                </div>
              ))}
              <Button
                onClick={() =>
                  setRows({ ...rows, matchLabels: [...rows.matchLabels, { key: '', value: '' }] })
                }
              >
                + Add label rule
              </Button>
            </div>
            <div className="space-y-2">
              <h3 className="text-sm font-medium text-slate-800 dark:text-slate-200">
                Expressions (matchExpressions)
              </h3>
              {rows.matchExpressions.map((row, index) => {
                const takesValues = row.operator === 'In' || row.operator === 'NotIn';
                const update = (patch: Partial<typeof row>) =>
                  setRows({
                    ...rows,
                    matchExpressions: rows.matchExpressions.map((r, at) =>
                      at === index ? { ...r, ...patch } : r,
                    ),
                  });
                return (
                  <div key={index} className="flex items-center gap-2">
                    <input
                      className={`${INPUT_CLASS} font-mono`}
                      aria-label={`Expression ${index + 1} key`}
                      placeholder="key"
                      value={row.key}
                      onChange={(event) => update({ key: event.target.value })}
                    />
                    <select
                      className={`${INPUT_CLASS} w-44 shrink-0`}
                      aria-label={`Expression ${index + 1} operator`}
                      value={row.operator}
                      onChange={(event) =>
                        update({ operator: event.target.value as SelectorOperator })
                      }
                    >
                      {SELECTOR_OPERATORS.map((operator) => (
                        <option key={operator} value={operator}>
                          {operator} ({OPERATOR_HINT[operator]})
                        </option>
                      ))}
                    </select>
                    <input
                      className={`${INPUT_CLASS} font-mono`}
                      aria-label={`Expression ${index + 1} values, comma-separated`}
                      placeholder={takesValues ? 'a, b, c' : 'no values'}
                      disabled={!takesValues}
                      value={takesValues ? row.values : ''}
                      onChange={(event) => update({ values: event.target.value })}
                    />
                    <Button
                      variant="ghost"
                      aria-label={`Remove expression ${index + 1}`}
                      onClick={() =>
                        setRows({
                          ...rows,
                          matchExpressions: rows.matchExpressions.filter((_, at) => at !== index),
                        })
                      }
                    >
                      <span aria-hidden="true">✕</span>
                    </Button>
                  </div>
                );
              })}
              <Button
                onClick={() =>
                  setRows({
                    ...rows,
                    matchExpressions: [
                      ...rows.matchExpressions,
                      { key: '', operator: 'In', values: '' },
                    ],
                  })
                }
              >
                + Add expression
              </Button>
            </div>
            <p className="text-xs text-slate-600 dark:text-slate-400">
              All rules must hold. No rules match every cluster.
            </p>
          </div>
        )}
      </Tabs>
      <FieldError id={`${id}-error`} message={error} />
    </fieldset>
  );
}
