import {
  DEPLOYMENT_STATE_MEANING,
  DEPLOYMENT_STATES,
  deploymentStateLook,
} from '@/client/states.ts';
import type { DeploymentState } from '@/client/types.ts';

/** One count per state, worst first, each with its icon, name and meaning. */
export function StateSummary({ summary }: { summary: Partial<Record<DeploymentState, number>> }) {
  return (
    <ul aria-label="Deployments by state" className="grid grid-cols-4 gap-2 xl:grid-cols-8">
      {DEPLOYMENT_STATES.map((state) => {
        const look = deploymentStateLook(state);
        const count = summary[state] ?? 0;
        return (
          <li
            key={state}
            title={DEPLOYMENT_STATE_MEANING[state]}
            className={`rounded-md px-3 py-2 ring-1 ring-inset ${count > 0 ? look.tone : 'bg-white text-slate-700 ring-slate-200 dark:bg-slate-900 dark:text-slate-300 dark:ring-slate-800'}`}
          >
            <span className="block text-xl font-semibold tabular-nums">
              {count.toLocaleString('en')}
            </span>
            <span className="text-xs font-medium">
              <span aria-hidden="true">{look.icon} </span>
              {look.label}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
