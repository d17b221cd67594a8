import {
  connectivityLook,
  deploymentStateLook,
  gitRepoStateLook,
  healthLook,
  type Connectivity,
  type GitRepoState,
  type StateLook,
} from '@/client/states.ts';
import type { DeploymentState, HealthStatus } from '@/client/types.ts';
import Link from 'next/link';
import type { ReactNode } from 'react';

export function LookBadge({ look, title }: { look: StateLook; title?: string }) {
  return (
    <span
      className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${look.tone}`}
      title={title}
    >
      <span aria-hidden="true">{look.icon}</span>
      {look.label}
    </span>
  );
}

export function StateBadge({ state, title }: { state: DeploymentState; title?: string }) {
  return <LookBadge look={deploymentStateLook(state)} {...(title ? { title } : {})} />;
}

export function HealthBadge({ health, title }: { health: HealthStatus; title?: string }) {
  return <LookBadge look={healthLook(health)} {...(title ? { title } : {})} />;
}

export function ConnectivityBadge({ state, title }: { state: Connectivity; title?: string }) {
  return <LookBadge look={connectivityLook(state)} {...(title ? { title } : {})} />;
}

export function GitRepoStateBadge({ state }: { state: GitRepoState }) {
  return <LookBadge look={gitRepoStateLook(state)} />;
}

/** A plain marker such as "simulated" or "insecure TLS". */
export function Tag({
  children,
  tone = 'neutral',
}: {
  children: ReactNode;
  tone?: 'neutral' | 'warning';
}) {
  const colours =
    tone === 'warning'
      ? 'bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950/60 dark:text-amber-200 dark:ring-amber-800'
      : 'bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600';
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${colours}`}
    >
      {children}
    </span>
  );
}

/**
 * Labels as `key=value` chips. Values are text, never links: a value such as
 * `javascript:alert(1)` is shown, not followed.
 */
export function LabelChips({
  labels,
  max,
  onSelect,
  selected = [],
  linkOf,
}: {
  labels: Record<string, string>;
  max?: number;
  /** Makes each chip a toggle button that filters a list by that `key=value`. */
  onSelect?: (key: string, value: string) => void;
  /** The `key=value` terms the list is filtered by now (their chips show pressed). */
  selected?: readonly string[];
  /** Makes each chip a link instead (e.g. to the clusters list filtered by that label). */
  linkOf?: (key: string, value: string) => string;
}) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0)
    return <span className="text-xs text-slate-600 dark:text-slate-400">no labels</span>;
  const shown = max === undefined ? entries : entries.slice(0, max);
  const chip =
    'max-w-[16rem] truncate rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200';
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Labels">
      {shown.map(([key, value]) => {
        const term = `${key}=${value}`;
        if (linkOf) {
          return (
            <li key={key} className="max-w-[16rem]">
              <Link
                href={linkOf(key, value)}
                title={`Clusters with ${term}`}
                className={`${chip} block max-w-full hover:bg-teal-50 hover:text-teal-900 hover:underline dark:hover:bg-teal-950 dark:hover:text-teal-100`}
              >
                {term}
              </Link>
            </li>
          );
        }
        if (!onSelect) {
          return (
            <li key={key} className={chip} title={term}>
              {term}
            </li>
          );
        }
        const isPressed = selected.includes(term);
        return (
          <li key={key} className="max-w-[16rem]">
            <button
              type="button"
              aria-pressed={isPressed}
              title={isPressed ? `Stop filtering by ${term}` : `Filter by ${term}`}
              onClick={() => onSelect(key, value)}
              className={`${chip} max-w-full ring-teal-700 hover:bg-teal-50 hover:text-teal-900 hover:ring-1 dark:ring-teal-300 dark:hover:bg-teal-950 dark:hover:text-teal-100 ${
                isPressed ? 'ring-2' : ''
              }`}
            >
              {term}
            </button>
          </li>
        );
      })}
      {shown.length < entries.length ? (
        <li className="px-1 text-xs text-slate-600 dark:text-slate-400">
          +{entries.length - shown.length} more
        </li>
      ) : null}
    </ul>
  );
}
