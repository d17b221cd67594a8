/**
 * Why a deployment is in its state, as the one place that words it. The planner, the monitor,
 * the deployer and the connectivity probe each know a different part of the facts; they all
 * say the same state the same way because they all say it through stateMessage.
 */
export type StateReason =
  | { state: 'Ready' }
  | {
      state: 'Offline';
      /** What the probe found, e.g. "connect ECONNREFUSED 10.0.0.1:6443". */
      detail?: string | undefined;
    }
  | { state: 'Pending'; why: 'notPlanned' | 'firstDeploy' | 'paused' | 'rollout' }
  /** A revision with no objects would prune all `objects` the deployment has on its cluster. */
  | { state: 'Pending'; why: 'confirmPrune'; objects: number }
  /** dependsOn: the bundle waits for `bundle` to be Ready on this cluster. */
  | { state: 'Pending'; why: 'dependency'; bundle: string }
  /** A sync window holds changes to this cluster until `until` (null: no opening within a year). */
  | { state: 'Pending'; why: 'syncWindow'; until: Date | null }
  | { state: 'WaitApplied'; why: 'deploying'; revision: RevisionName }
  | { state: 'WaitApplied'; why: 'pruning' }
  /** Helm hooks being run before or after the apply, e.g. "pre-install hook Job web/migrate". */
  | { state: 'WaitApplied'; why: 'hooks'; revision: RevisionName; hooks: string }
  | { state: 'OutOfSync'; why: 'paused' | 'rollout'; revision: RevisionName }
  | { state: 'OutOfSync'; why: 'dependency'; revision: RevisionName; bundle: string }
  | { state: 'ErrApplied'; error: string }
  | { state: 'NotReady' | 'Modified'; summary: string | null };

/** A revision named by its commit where known, else by its content hash. */
export interface RevisionName {
  commit?: string | null | undefined;
  hash?: string | null | undefined;
}

function nameOf({ commit, hash }: RevisionName): string {
  if (commit) return `commit ${commit.slice(0, 12)}`;
  return `revision ${(hash ?? '').slice(0, 12)}`;
}

const PENDING: Record<
  Exclude<
    Extract<StateReason, { state: 'Pending' }>['why'],
    'confirmPrune' | 'dependency' | 'syncWindow'
  >,
  string
> = {
  notPlanned: 'Pending: not planned yet',
  firstDeploy: 'Pending: waiting for the first deploy to this cluster',
  paused: 'Pending: the bundle is paused',
  rollout: 'Pending: waiting for the rollout to reach this cluster',
};

/** The message a deployment shows, starting with its state; "" when Ready. */
export function stateMessage(reason: StateReason): string {
  switch (reason.state) {
    case 'Ready':
      return '';
    case 'Offline':
      return reason.detail
        ? `Offline: the cluster is unreachable: ${reason.detail}`
        : 'Offline: the cluster is unreachable';
    case 'Pending':
      if (reason.why === 'dependency')
        return `Pending: waiting for bundle ${reason.bundle} to be Ready on this cluster`;
      if (reason.why === 'syncWindow')
        return reason.until
          ? `Pending: outside sync window until ${reason.until.toISOString().replace('.000Z', 'Z')}`
          : 'Pending: outside sync window (none opens within a year)';
      return reason.why === 'confirmPrune'
        ? `Pending: would delete all ${reason.objects} ${reason.objects === 1 ? 'object' : 'objects'}; confirm`
        : PENDING[reason.why];
    case 'WaitApplied':
      if (reason.why === 'hooks')
        return `WaitApplied: deploying ${nameOf(reason.revision)}: running ${reason.hooks}`;
      return reason.why === 'deploying'
        ? `WaitApplied: deploying ${nameOf(reason.revision)}`
        : 'WaitApplied: no longer targeted; removing its objects from the cluster';
    case 'OutOfSync':
      if (reason.why === 'dependency')
        return `OutOfSync: ${nameOf(reason.revision)} waits for bundle ${reason.bundle} to be Ready on this cluster`;
      return reason.why === 'paused'
        ? `OutOfSync: the bundle is paused; ${nameOf(reason.revision)} is held back`
        : `OutOfSync: ${nameOf(reason.revision)} waits for the rollout to reach this cluster`;
    case 'ErrApplied':
      return `ErrApplied: ${reason.error}`;
    case 'NotReady':
    case 'Modified':
      return reason.summary ? `${reason.state}: ${reason.summary}` : reason.state;
    default:
      return reason satisfies never;
  }
}
