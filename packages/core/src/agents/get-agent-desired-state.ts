import { createHash } from 'node:crypto';
import { canonicalJson, type ObjectRef } from '@flotilla/engine';
import type { CoreContext } from '../context.ts';
import { storedInventory } from '../deployments/resources.ts';
import type { AgentPrincipal } from './agent-principal.ts';
import { desiredStateWatcherOf } from './desired-state-watcher.ts';

/** One deployment of the agent's cluster, as the agent acts on it. */
export interface AgentDesiredDeployment {
  id: string;
  bundleId: string;
  bundleName: string;
  /** The revision to have on the cluster (fetch it by hash); null: nothing yet. */
  desiredHash: string | null;
  desiredCommit: string | null;
  /** What Flotilla last heard was applied. */
  appliedHash: string | null;
  /** The cluster should no longer have this bundle: prune its inventory, then report it. */
  isOrphaned: boolean;
  /** What was applied before: the agent prunes what leaves it (a restarted agent too). */
  inventory: ObjectRef[];
}

export interface AgentDesiredState {
  clusterId: string;
  clusterName: string;
  /** The ownership label value of every object applied (as the worker labels them). */
  workspaceId: string;
  deployments: AgentDesiredDeployment[];
}

async function readDesiredState(
  ctx: Pick<CoreContext, 'db'>,
  agent: AgentPrincipal,
): Promise<{ state: AgentDesiredState; etag: string }> {
  const rows = await ctx.db.bundleDeployment.findMany({
    where: { clusterId: agent.clusterId, workspaceId: agent.workspaceId },
    select: {
      id: true,
      bundleId: true,
      desiredHash: true,
      desiredCommit: true,
      appliedHash: true,
      isOrphaned: true,
      inventory: true,
      bundle: { select: { name: true } },
    },
    orderBy: { id: 'asc' },
  });
  const state: AgentDesiredState = {
    clusterId: agent.clusterId,
    clusterName: agent.clusterName,
    workspaceId: agent.workspaceId,
    deployments: rows.map((row) => ({
      id: row.id,
      bundleId: row.bundleId,
      bundleName: row.bundle.name,
      desiredHash: row.desiredHash,
      desiredCommit: row.desiredCommit,
      appliedHash: row.appliedHash,
      isOrphaned: row.isOrphaned,
      inventory: storedInventory(row.inventory),
    })),
  };
  const digest = createHash('sha256').update(canonicalJson(state)).digest('hex').slice(0, 32);
  return { state, etag: `"${digest}"` };
}

/** Longest wait a long-poll may ask for; proxies commonly cut idle requests at 60 s. */
export const MAX_DESIRED_WAIT_SECONDS = 50;

/**
 * The desired deployments of the agent's own cluster (no other cluster's ever), with a strong
 * ETag. Given the ETag the agent holds, the answer waits up to `waitSeconds` for a change
 * (long-poll) and is `notModified` if none came. A waiting agent costs no query of its own:
 * the process's DesiredStateWatcher checks every waiting cluster in one query a second, and
 * the state is read again only when the cluster's deployments were written.
 */
export async function getAgentDesiredState({
  ctx,
  agent,
  ifNoneMatch,
  waitSeconds = 0,
  signal,
}: {
  ctx: Pick<CoreContext, 'db'>;
  agent: AgentPrincipal;
  ifNoneMatch?: string | undefined;
  waitSeconds?: number;
  signal?: AbortSignal;
}): Promise<
  | { notModified: true; etag: string }
  | { notModified: false; etag: string; state: AgentDesiredState }
> {
  const deadline = Date.now() + Math.min(waitSeconds, MAX_DESIRED_WAIT_SECONDS) * 1000;
  const watcher = desiredStateWatcherOf(ctx.db);
  for (;;) {
    // Taken before the read: a write between the two wakes the wait below instead of being lost.
    const since =
      ifNoneMatch && deadline > Date.now() ? await watcher.fingerprintOf(agent.clusterId) : '';
    const { state, etag } = await readDesiredState(ctx, agent);
    if (ifNoneMatch !== etag) return { notModified: false, etag, state };
    if (!since || signal?.aborted) return { notModified: true, etag };
    const changed = await watcher.waitForChange(agent.clusterId, since, deadline, signal);
    if (!changed) return { notModified: true, etag };
  }
}

/** One desired deployment of the agent's cluster; undefined (404) for any other. */
export async function getAgentDesiredDeployment({
  ctx,
  agent,
  deploymentId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  agent: AgentPrincipal;
  deploymentId: string;
}): Promise<AgentDesiredDeployment | undefined> {
  const { state } = await readDesiredState(ctx, agent);
  return state.deployments.find((deployment) => deployment.id === deploymentId);
}
