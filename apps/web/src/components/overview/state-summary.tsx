'use client';

import {
  DEPLOYMENT_STATE_MEANING,
  DEPLOYMENT_STATES,
  deploymentStateLook,
} from '@/client/states.ts';
import type { DeploymentState } from '@/client/types.ts';
import { PROBLEM_STATES, type StateFilter } from './matrix-rows.ts';

const IDLE =
  'bg-white text-slate-700 ring-slate-200 dark:bg-slate-900 dark:text-slate-300 dark:ring-slate-800';
const PRESSED = 'outline-3 outline-offset-1 outline-teal-700 dark:outline-teal-300';

/**
 * One count per state, worst first, each with its icon, name and meaning; and "problems only"
 * (every state but Ready). Each card filters the matrix to its state; pressed again, it clears.
 */
export function StateSummary({
  summary,
  filter,
  onFilter,
}: {
  summary: Partial<Record<DeploymentState, number>>;
  /** Without it the cards only count (the bundle page). */
  filter?: StateFilter;
  onFilter?: (filter: StateFilter) => void;
}) {
  const problems = PROBLEM_STATES.reduce((sum, state) => sum + (summary[state] ?? 0), 0);
  const card = (
    key: StateFilter,
    count: number,
    label: string,
    icon: string,
    tone: string,
    meaning: string,
  ) => {
    const isPressed = filter === key;
    if (!onFilter)
      return (
        <li
          key={key}
          title={meaning}
          className={`rounded-md px-3 py-2 ring-1 ring-inset ${count > 0 ? tone : IDLE}`}
        >
          <span className="block text-xl font-semibold tabular-nums">
            {count.toLocaleString('en')}
          </span>
          <span className="text-xs font-medium">
            <span aria-hidden="true">{icon} </span>
            {label}
          </span>
        </li>
      );
    return (
      <li key={key}>
        <button
          type="button"
          aria-pressed={isPressed}
          title={`${meaning}. ${isPressed ? 'Showing only these; press again for all.' : 'Show only these in the matrix.'}`}
          onClick={() => onFilter(isPressed ? 'all' : key)}
          className={`block w-full rounded-md px-3 py-1.5 text-left sm:py-2 ring-1 ring-inset hover:brightness-95 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-600 ${count > 0 ? tone : IDLE} ${isPressed ? PRESSED : ''}`}
        >
          <span className="block text-lg font-semibold tabular-nums sm:text-xl">
            {count.toLocaleString('en')}
          </span>
          <span className="text-xs font-medium">
            <span aria-hidden="true">{icon} </span>
            {label}
          </span>
        </button>
      </li>
    );
  };
  return (
    <ul
      aria-label="Deployments by state"
      className={`grid gap-2 ${onFilter ? 'grid-cols-3 sm:grid-cols-5 xl:grid-cols-9' : 'grid-cols-4 xl:grid-cols-8'}`}
    >
      {onFilter
        ? card(
            'problems',
            problems,
            'Problems only',
            '⚑',
            'bg-red-50 text-red-800 ring-red-200 dark:bg-red-950/60 dark:text-red-200 dark:ring-red-900',
            'Every state but Ready',
          )
        : null}
      {DEPLOYMENT_STATES.map((state) => {
        const look = deploymentStateLook(state);
        return card(
          state,
          summary[state] ?? 0,
          look.label,
          look.icon,
          look.tone,
          DEPLOYMENT_STATE_MEANING[state],
        );
      })}
    </ul>
  );
}
