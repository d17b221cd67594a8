/**
 * The commit status of one commit of a repo, from facts about its bundles and deployments:
 * pure, so the wording and the rules are one table test (summarize-commit-status.test.ts).
 */
export type CommitStatusState = 'pending' | 'success' | 'failure' | 'error';

export interface CommitStatusFacts {
  commit: string;
  /** The repo's commit now: a status for an older one that never finished says it was superseded. */
  currentCommit: string | null;
  bundles: {
    name: string;
    /** The commit the bundle last rendered (its last good one). */
    renderedCommit: string | null;
    /** The commit whose render failed, with why. */
    failedCommit: string | null;
    /** The commit the last plan of the bundle was made for. */
    plannedCommit: string | null;
  }[];
  /** The deployments of the repo's present bundles (not orphaned). */
  deployments: {
    clusterName: string;
    state: string;
    /** The deployment's target revision is this commit's render. */
    isTargetingCommit: boolean;
    /** What the cluster runs is the target revision. */
    isAtTarget: boolean;
  }[];
}

export interface CommitStatusSummary {
  state: CommitStatusState;
  /** One line, at most 140 characters (GitHub's limit). */
  description: string;
  /** Clusters where the commit failed, sorted. */
  failingClusters: string[];
}

/** Deployment states that fail a commit (a retry may still bring it to Ready: the status follows). */
const FAILING_STATES = new Set(['ErrApplied']);
const MAX_DESCRIPTION = 140;

function listNames(prefix: string, names: string[], room: number): string {
  let text = prefix;
  for (const [index, name] of names.entries()) {
    const more = names.length - index;
    const next = `${index === 0 ? '' : ', '}${name}`;
    // Keep room for ", +N more" when names remain after this one.
    const tail = more > 1 ? `, +${more - 1} more`.length : 0;
    if (text.length + next.length + tail > room)
      return `${text}${index === 0 ? '' : ', '}+${more} more`;
    text += next;
  }
  return text;
}

function clip(text: string): string {
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

export function summarizeCommitStatus(facts: CommitStatusFacts): CommitStatusSummary {
  const { commit, bundles, deployments } = facts;
  const renderFailures = bundles
    .filter((bundle) => bundle.failedCommit === commit)
    .map((bundle) => bundle.name)
    .sort();
  if (renderFailures.length > 0) {
    return {
      state: 'failure',
      description: clip(listNames('Render failed: ', renderFailures, MAX_DESCRIPTION)),
      failingClusters: [],
    };
  }
  const unrendered = bundles.filter((bundle) => bundle.renderedCommit !== commit).length;
  const unplanned = bundles.filter(
    (bundle) => bundle.renderedCommit === commit && bundle.plannedCommit !== commit,
  ).length;

  // A cluster is as bad as its worst deployment of this commit.
  const clusters = new Map<string, 'ready' | 'failing' | 'rolling'>();
  const rank = { ready: 0, rolling: 1, failing: 2 } as const;
  for (const deployment of deployments) {
    const verdict = !deployment.isTargetingCommit
      ? 'rolling'
      : FAILING_STATES.has(deployment.state)
        ? 'failing'
        : deployment.state === 'Ready' && deployment.isAtTarget
          ? 'ready'
          : 'rolling';
    const before = clusters.get(deployment.clusterName);
    if (!before || rank[verdict] > rank[before]) clusters.set(deployment.clusterName, verdict);
  }
  const failing = [...clusters]
    .filter(([, verdict]) => verdict === 'failing')
    .map(([name]) => name)
    .sort();
  const total = clusters.size;
  const ready = [...clusters.values()].filter((verdict) => verdict === 'ready').length;
  const rolling = total - ready - failing.length;
  const isSettled = unrendered === 0 && unplanned === 0 && rolling === 0;

  if (facts.currentCommit !== null && facts.currentCommit !== commit && !isSettled) {
    return {
      state: 'error',
      description: clip(
        `Superseded by ${facts.currentCommit.slice(0, 7)} before every cluster was Ready (${ready}/${total})`,
      ),
      failingClusters: failing,
    };
  }
  if (unrendered > 0 || unplanned > 0) {
    const waiting = unrendered + unplanned;
    return {
      state: 'pending',
      description: `Rendering ${waiting} of ${bundles.length} bundle${bundles.length === 1 ? '' : 's'}`,
      failingClusters: failing,
    };
  }
  const counts = `${ready}/${total} clusters Ready`;
  if (failing.length > 0) {
    const head = `${counts}, ${failing.length} ErrApplied`;
    return {
      state: isSettled ? 'failure' : 'pending',
      description: clip(listNames(`${head}: `, failing, MAX_DESCRIPTION)),
      failingClusters: failing,
    };
  }
  if (total === 0) {
    return { state: 'success', description: 'No cluster is targeted', failingClusters: [] };
  }
  return {
    state: rolling === 0 ? 'success' : 'pending',
    description: rolling === 0 ? counts : `${counts}, ${rolling} rolling out`,
    failingClusters: [],
  };
}
