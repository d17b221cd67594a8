import type { DeploymentState, HealthStatus } from './types.ts';

/**
 * How each state looks. The icon and the word always travel together, so no state is told by
 * colour alone (WCAG 1.4.1); the colours are only a second channel.
 */
export interface StateLook {
  icon: string;
  label: string;
  /** Text and background classes for a badge or a matrix cell, light and dark. */
  tone: string;
}

/** Worst first, as the API aggregates them (DESIGN.md). */
export const DEPLOYMENT_STATES: readonly DeploymentState[] = [
  'Offline',
  'ErrApplied',
  'WaitApplied',
  'Modified',
  'OutOfSync',
  'Pending',
  'NotReady',
  'Ready',
];

const RED =
  'bg-red-50 text-red-800 ring-red-200 dark:bg-red-950/60 dark:text-red-200 dark:ring-red-900';
const AMBER =
  'bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-950/60 dark:text-amber-200 dark:ring-amber-900';
const BLUE =
  'bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-950/60 dark:text-sky-200 dark:ring-sky-900';
const GREEN =
  'bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-950/60 dark:text-emerald-200 dark:ring-emerald-900';
const GREY =
  'bg-slate-100 text-slate-700 ring-slate-200 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-700';
const VIOLET =
  'bg-violet-50 text-violet-800 ring-violet-200 dark:bg-violet-950/60 dark:text-violet-200 dark:ring-violet-900';

export function deploymentStateLook(state: DeploymentState): StateLook {
  switch (state) {
    case 'Ready':
      return { icon: '✓', label: 'Ready', tone: GREEN };
    case 'NotReady':
      return { icon: '◔', label: 'NotReady', tone: AMBER };
    case 'Pending':
      return { icon: '…', label: 'Pending', tone: GREY };
    case 'OutOfSync':
      return { icon: '↻', label: 'OutOfSync', tone: VIOLET };
    case 'Modified':
      return { icon: '⚠', label: 'Modified', tone: AMBER };
    case 'WaitApplied':
      return { icon: '⟳', label: 'WaitApplied', tone: BLUE };
    case 'ErrApplied':
      return { icon: '✗', label: 'ErrApplied', tone: RED };
    case 'Offline':
      return { icon: '⊘', label: 'Offline', tone: GREY };
  }
}

export const DEPLOYMENT_STATE_MEANING: Readonly<Record<DeploymentState, string>> = {
  Ready: 'applied, healthy, no drift',
  NotReady: 'applied, some resource not healthy yet',
  Pending: 'targeted, not planned yet',
  OutOfSync: 'a newer revision is waiting (rollout or pause)',
  Modified: 'live objects differ from Git',
  WaitApplied: 'deploy queued or running',
  ErrApplied: 'apply failed',
  Offline: 'cluster unreachable',
};

export function healthLook(health: HealthStatus): StateLook {
  switch (health) {
    case 'Healthy':
      return { icon: '✓', label: 'Healthy', tone: GREEN };
    case 'Progressing':
      return { icon: '◔', label: 'Progressing', tone: BLUE };
    case 'Degraded':
      return { icon: '✗', label: 'Degraded', tone: RED };
    case 'Missing':
      return { icon: '?', label: 'Missing', tone: AMBER };
    case 'Unknown':
      return { icon: '·', label: 'Unknown', tone: GREY };
  }
}

export type Connectivity = 'Online' | 'Offline' | 'Unknown';

export function connectivityLook(state: Connectivity): StateLook {
  switch (state) {
    case 'Online':
      return { icon: '●', label: 'Online', tone: GREEN };
    case 'Offline':
      return { icon: '⊘', label: 'Offline', tone: RED };
    case 'Unknown':
      return { icon: '?', label: 'Unknown', tone: GREY };
  }
}

export type GitRepoState = 'Pending' | 'Fetching' | 'Ready' | 'Error';

export function gitRepoStateLook(state: GitRepoState): StateLook {
  switch (state) {
    case 'Ready':
      return { icon: '✓', label: 'Ready', tone: GREEN };
    case 'Fetching':
      return { icon: '↻', label: 'Fetching', tone: BLUE };
    case 'Pending':
      return { icon: '…', label: 'Pending', tone: GREY };
    case 'Error':
      return { icon: '✗', label: 'Error', tone: RED };
  }
}

export type CommitStatusState = 'pending' | 'success' | 'failure' | 'error';

/** A GitHub commit status as Flotilla posted it. */
export function commitStatusLook(state: CommitStatusState): StateLook {
  switch (state) {
    case 'success':
      return { icon: '✓', label: 'success', tone: GREEN };
    case 'pending':
      return { icon: '…', label: 'pending', tone: AMBER };
    case 'failure':
      return { icon: '✗', label: 'failure', tone: RED };
    case 'error':
      return { icon: '!', label: 'error', tone: RED };
  }
}

/** A pull-request preview's GitHub check conclusion; null while the preview is being made. */
export function checkConclusionLook(conclusion: string | null): StateLook {
  switch (conclusion) {
    case 'success':
      return { icon: '✓', label: 'success', tone: GREEN };
    case 'failure':
      return { icon: '✗', label: 'failure', tone: RED };
    case 'neutral':
      return { icon: '–', label: 'neutral', tone: GREY };
    case null:
      return { icon: '⟳', label: 'pending', tone: BLUE };
    default:
      return { icon: '?', label: conclusion, tone: GREY };
  }
}
