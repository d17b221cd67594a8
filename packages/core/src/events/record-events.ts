import { insertEvents, type DeploymentState } from '@flotilla/db';
import { publishLiveUpdates, type LiveUpdate } from '@flotilla/jobs';
import { replanDependents } from '../bundles/replan-dependents.ts';
import { replanRollouts } from '../bundles/replan-rollouts.ts';
import type { CoreContext } from '../context.ts';
import { newId } from '../ids.ts';
import { queueNotifications } from '../notifications/queue-notifications.ts';

export interface StateChange {
  workspaceId: string;
  deploymentId: string;
  bundleId: string;
  clusterId: string;
  fromState: DeploymentState;
  toState: DeploymentState;
  message: string;
}

export interface ActionEvent {
  workspaceId: string;
  type: string;
  message: string;
  clusterId?: string;
  bundleId?: string;
  deploymentId?: string;
}

/**
 * Records deployment state changes as Events (one multi-row insert) and pushes them to the
 * dashboard through Redis, grouped per workspace. A failed publish never fails the caller:
 * the dashboard also polls, and Postgres holds the truth. Every writer of a state goes through
 * here, so here a deployment turning Ready queues the plans of the bundles that depend on its
 * bundle, and one turning Ready or ErrApplied the plan of its own bundle when it has a
 * rolloutStrategy (when the caller can queue).
 */
export async function recordStateChanges({
  ctx,
  changes,
}: {
  ctx: Pick<CoreContext, 'db' | 'redis' | 'logger' | 'now'> & Partial<Pick<CoreContext, 'queues'>>;
  changes: StateChange[];
}): Promise<void> {
  if (changes.length === 0) return;
  const at = ctx.now();
  const rows = changes.map((change) => ({
    id: newId(),
    workspaceId: change.workspaceId,
    at,
    type: 'StateChanged',
    clusterId: change.clusterId,
    bundleId: change.bundleId,
    deploymentId: change.deploymentId,
    fromState: change.fromState,
    toState: change.toState,
    message: change.message.slice(0, 2000),
  }));
  await insertEvents(ctx.db, rows);
  const byWorkspace = new Map<string, LiveUpdate[]>();
  for (const change of changes) {
    const updates = byWorkspace.get(change.workspaceId) ?? [];
    updates.push({
      type: 'deployment',
      deploymentId: change.deploymentId,
      bundleId: change.bundleId,
      clusterId: change.clusterId,
      state: change.toState,
      fromState: change.fromState,
    });
    byWorkspace.set(change.workspaceId, updates);
  }
  await publish(ctx, byWorkspace);
  if (ctx.queues && changes.some((change) => change.toState === 'Ready')) {
    const { queues } = ctx;
    // The periodic pass plans them anyway: a failure here delays a dependent, never the caller.
    await replanDependents({ ctx: { db: ctx.db, queues }, changes }).catch((error: unknown) => {
      ctx.logger.warn({ err: (error as Error).message }, 'planning dependent bundles failed');
    });
  }
  if (ctx.queues) {
    const { queues } = ctx;
    // Notification rules see every transition here; a failure delays no state write.
    await queueNotifications({
      ctx: { db: ctx.db, redis: ctx.redis, queues },
      transitions: changes
        .filter((change) => change.fromState !== change.toState)
        .map((change) => ({
          workspaceId: change.workspaceId,
          transition: {
            kind: 'deployment' as const,
            deploymentId: change.deploymentId,
            bundleId: change.bundleId,
            clusterId: change.clusterId,
            fromState: change.fromState,
            toState: change.toState,
            message: change.message.slice(0, 500),
            at: at.toISOString(),
          },
        })),
    }).catch((error: unknown) => {
      ctx.logger.warn({ err: (error as Error).message }, 'queueing notifications failed');
    });
    await replanRollouts({ ctx: { db: ctx.db, queues }, changes }).catch((error: unknown) => {
      ctx.logger.warn({ err: (error as Error).message }, 'planning rollouts failed');
    });
  }
}

export async function recordActionEvent({
  ctx,
  event,
}: {
  ctx: Pick<CoreContext, 'db' | 'redis' | 'logger' | 'now'>;
  event: ActionEvent;
}): Promise<void> {
  await recordActionEvents({ ctx, events: [event] });
}

/** Many action events (a bulk action's), one multi-row insert and one publish per workspace. */
export async function recordActionEvents({
  ctx,
  events,
}: {
  ctx: Pick<CoreContext, 'db' | 'redis' | 'logger' | 'now'>;
  events: ActionEvent[];
}): Promise<void> {
  if (events.length === 0) return;
  const at = ctx.now();
  const rows = events.map((event) => ({
    id: newId(),
    workspaceId: event.workspaceId,
    at,
    type: event.type,
    clusterId: event.clusterId ?? null,
    bundleId: event.bundleId ?? null,
    deploymentId: event.deploymentId ?? null,
    fromState: null,
    toState: null,
    message: event.message.slice(0, 2000),
  }));
  await insertEvents(ctx.db, rows);
  const byWorkspace = new Map<string, LiveUpdate[]>();
  for (const row of rows) {
    const updates = byWorkspace.get(row.workspaceId) ?? [];
    updates.push({ type: 'event', eventId: row.id });
    byWorkspace.set(row.workspaceId, updates);
  }
  await publish(ctx, byWorkspace);
}

export async function publishUpdates(
  ctx: Pick<CoreContext, 'redis' | 'logger'>,
  workspaceId: string,
  updates: LiveUpdate[],
): Promise<void> {
  await publish(ctx, new Map([[workspaceId, updates]]));
}

async function publish(
  ctx: Pick<CoreContext, 'redis' | 'logger'>,
  byWorkspace: Map<string, LiveUpdate[]>,
) {
  for (const [workspaceId, updates] of byWorkspace) {
    try {
      await publishLiveUpdates(ctx.redis, workspaceId, updates);
    } catch (error) {
      ctx.logger.warn({ err: (error as Error).message }, 'could not publish live updates');
    }
  }
}
