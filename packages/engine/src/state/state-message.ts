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
  | { state: 'WaitApplied'; why: 'deploying'; revision: RevisionName }
  | { state: 'WaitApplied'; why: 'pruning' }
  | { state: 'OutOfSync'; why: 'paused' | 'rollout'; revision: RevisionName }
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
  Exclude<Extract<StateReason, { state: 'Pending' }>['why'], 'confirmPrune'>,
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
      return reason.why === 'confirmPrune'
        ? `Pending: would delete all ${reason.objects} ${reason.objects === 1 ? 'object' : 'objects'}; confirm`
        : PENDING[reason.why];
    case 'WaitApplied':
      return reason.why === 'deploying'
        ? `WaitApplied: deploying ${nameOf(reason.revision)}`
        : 'WaitApplied: no longer targeted; removing its objects from the cluster';
    case 'OutOfSync':
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
