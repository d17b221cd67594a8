'use client';

import { INPUT_CLASS } from '@/components/ui/field.tsx';
import { useId } from 'react';
import type { RowSort } from './matrix-rows.ts';

export interface MatrixFilterValues {
  selector: string;
  bundle: string;
  groupBy: string;
  sort: RowSort;
}

/**
 * Cluster selector (validated by the server), bundle name, the label key to group rows by, and
 * the order of the rows.
 */
export function MatrixFilters({
  values,
  onChange,
  selectorError,
  groupKeys,
  isFetching,
}: {
  values: MatrixFilterValues;
  onChange: (values: Partial<MatrixFilterValues>) => void;
  selectorError: string | undefined;
  groupKeys: string[];
  isFetching: boolean;
}) {
  const id = useId();
  return (
    <form
      role="search"
      aria-label="Filter the fleet"
      className="flex flex-wrap items-start gap-3"
      onSubmit={(event) => event.preventDefault()}
    >
      <div className="min-w-full flex-1 sm:min-w-[20rem]">
        <label
          htmlFor={`${id}-selector`}
          className="mb-1 block text-sm font-medium text-slate-800 dark:text-slate-200"
        >
          Cluster selector
        </label>
        <input
          id={`${id}-selector`}
          className={`${INPUT_CLASS} font-mono`}
          placeholder="env in (prod,staging),region=eu,!canary"
          value={values.selector}
          onChange={(event) => onChange({ selector: event.target.value })}
          aria-invalid={selectorError ? true : undefined}
          aria-describedby={selectorError ? `${id}-selector-error` : `${id}-selector-hint`}
          spellCheck={false}
          autoComplete="off"
        />
        {selectorError ? (
          <p
            id={`${id}-selector-error`}
            role="alert"
            className="mt-1 text-sm text-red-700 dark:text-red-300"
          >
            <span aria-hidden="true">✗ </span>
            {selectorError}
          </p>
        ) : (
          <p id={`${id}-selector-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
            Kubernetes label selector syntax. {isFetching ? 'Updating…' : ''}
          </p>
        )}
      </div>
      <div className="w-full sm:w-56">
        <label
          htmlFor={`${id}-bundle`}
          className="mb-1 block text-sm font-medium text-slate-800 dark:text-slate-200"
        >
          Bundle
        </label>
        <input
          id={`${id}-bundle`}
          type="search"
          className={INPUT_CLASS}
          placeholder="name contains…"
          value={values.bundle}
          onChange={(event) => onChange({ bundle: event.target.value })}
          autoComplete="off"
        />
      </div>
      <div className="w-[calc(50%-0.375rem)] sm:w-48">
        <label
          htmlFor={`${id}-group`}
          className="mb-1 block text-sm font-medium text-slate-800 dark:text-slate-200"
        >
          Group rows by
        </label>
        <select
          id={`${id}-group`}
          className={INPUT_CLASS}
          value={values.groupBy}
          onChange={(event) => onChange({ groupBy: event.target.value })}
        >
          <option value="">No grouping</option>
          {groupKeys.map((key) => (
            <option key={key} value={key}>
              {key}
            </option>
          ))}
          {values.groupBy && !groupKeys.includes(values.groupBy) ? (
            <option value={values.groupBy}>{values.groupBy}</option>
          ) : null}
        </select>
      </div>
      <div className="w-[calc(50%-0.375rem)] sm:w-48">
        <label
          htmlFor={`${id}-sort`}
          className="mb-1 block text-sm font-medium text-slate-800 dark:text-slate-200"
        >
          Sort rows by
        </label>
        <select
          id={`${id}-sort`}
          className={INPUT_CLASS}
          value={values.sort}
          onChange={(event) =>
            onChange({ sort: event.target.value === 'severity' ? 'severity' : 'name' })
          }
        >
          <option value="name">Name</option>
          <option value="severity">Worst state first</option>
        </select>
      </div>
    </form>
  );
}
