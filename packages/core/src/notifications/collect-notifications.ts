import { forWorkspace } from '@flotilla/db';
import {
  DEPLOYMENT_STATES,
  selectNotifications,
  type DeploymentState,
  type NamedTransition,
  type QueuedTransition,
} from '@flotilla/engine';
import { z } from 'zod';
import { labelsOf } from '../clusters/serialize.ts';
import type { CoreContext } from '../context.ts';
import { newId } from '../ids.ts';
import { asJson } from '../json.ts';
import { storedEvents, storedSelector } from './notification-rule-dto.ts';
import { slackPayload, webhookPayload } from './notification-payload.ts';
import { notificationKeys } from './queue-notifications.ts';

const state = z.enum(DEPLOYMENT_STATES);
const queuedTransition = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('deployment'),
    deploymentId: z.string(),
    bundleId: z.string(),
    clusterId: z.string(),
    fromState: state,
    toState: state,
    message: z.string(),
    at: z.string(),
  }),
  z.object({
    kind: z.literal('rollout'),
    bundleId: z.string(),
    message: z.string(),
    at: z.string(),
  }),
]);

/** A mark lives a week: long enough for any incident, short enough not to pile up. */
const MARK_TTL_SECONDS = 7 * 24 * 3600;

function parseQueued(raw: string): QueuedTransition | null {
  try {
    const parsed = queuedTransition.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Closes a rule's window: takes what was queued (atomically with closing the window, so a
 * transition queued meanwhile opens the next window), keeps what the rule sends, records one
 * delivery and queues its sending. Returns the delivery id, or null when nothing is sent.
 */
export async function collectNotifications({
  ctx,
  ruleId,
}: {
  ctx: Pick<CoreContext, 'db' | 'redis' | 'queues' | 'now'>;
  ruleId: string;
}): Promise<string | null> {
  const taken = await ctx.redis
    .multi()
    .lrange(notificationKeys.items(ruleId), 0, -1)
    .del(notificationKeys.items(ruleId))
    .del(notificationKeys.window(ruleId))
    .exec();
  const raw = (taken?.[0]?.[1] as string[] | undefined) ?? [];
  const transitions = raw.flatMap((item) => parseQueued(item) ?? []);
  if (transitions.length === 0) return null;
  const rule = await ctx.db.notificationRule.findUnique({ where: { id: ruleId } });
  if (!rule || !rule.isEnabled) return null;
  const scoped = forWorkspace(ctx.db, rule.workspaceId);
  const clusterIds = [
    ...new Set(transitions.flatMap((item) => (item.kind === 'deployment' ? [item.clusterId] : []))),
  ];
  const bundleIds = [...new Set(transitions.map((item) => item.bundleId))];
  const deploymentIds = [
    ...new Set(
      transitions.flatMap((item) => (item.kind === 'deployment' ? [item.deploymentId] : [])),
    ),
  ];
  const [clusters, bundles, marks] = await Promise.all([
    clusterIds.length > 0
      ? scoped.cluster.findMany({
          where: { id: { in: clusterIds } },
          select: { id: true, name: true, labels: true },
        })
      : [],
    scoped.bundle.findMany({ where: { id: { in: bundleIds } }, select: { id: true, name: true } }),
    deploymentIds.length > 0
      ? ctx.redis.mget(deploymentIds.map((id) => notificationKeys.lastNotified(rule.id, id)))
      : [],
  ]);
  const lastNotified = new Map<string, DeploymentState>();
  deploymentIds.forEach((id, index) => {
    const mark = state.safeParse(marks[index]);
    if (mark.success) lastNotified.set(id, mark.data);
  });
  const selected = selectNotifications({
    rule: {
      events: storedEvents(rule.events),
      clusterSelector: storedSelector(rule.clusterSelector),
    },
    transitions,
    clusterLabels: new Map(clusters.map((cluster) => [cluster.id, labelsOf(cluster.labels)])),
    lastNotified,
  });
  if (selected.marks.size > 0) {
    const pipeline = ctx.redis.pipeline();
    for (const [deploymentId, mark] of selected.marks) {
      const key = notificationKeys.lastNotified(rule.id, deploymentId);
      if (mark === null) pipeline.del(key);
      else pipeline.set(key, mark, 'EX', MARK_TTL_SECONDS);
    }
    await pipeline.exec();
  }
  if (selected.notify.length === 0) return null;
  const clusterNames = new Map(clusters.map((cluster) => [cluster.id, cluster.name]));
  const bundleNames = new Map(bundles.map((bundle) => [bundle.id, bundle.name]));
  const named: NamedTransition[] = selected.notify.map((transition) => ({
    transition,
    bundleName: bundleNames.get(transition.bundleId) ?? transition.bundleId,
    clusterName:
      transition.kind === 'deployment'
        ? (clusterNames.get(transition.clusterId) ?? transition.clusterId)
        : '',
  }));
  return createDelivery({ ctx, rule, kind: 'events', items: named });
}

/** Records a delivery (its body fixed now, so every retry sends the same) and queues it. */
export async function createDelivery({
  ctx,
  rule,
  kind,
  items,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues' | 'now'>;
  rule: { id: string; name: string; workspaceId: string; destinationKind: 'webhook' | 'slack' };
  kind: 'events' | 'test';
  items: readonly NamedTransition[];
}): Promise<string> {
  const id = newId();
  const context = { deliveryId: id, rule, kind, createdAt: ctx.now() };
  const payload =
    rule.destinationKind === 'slack'
      ? slackPayload(context, items)
      : webhookPayload(context, items);
  const summary = webhookPayload(context, items).summary;
  await forWorkspace(ctx.db, rule.workspaceId).notificationDelivery.create({
    data: {
      id,
      workspaceId: rule.workspaceId,
      ruleId: rule.id,
      createdAt: context.createdAt,
      kind,
      summary: summary.slice(0, 2000),
      payload: asJson(payload),
      eventCount: items.length,
    },
  });
  await ctx.queues.enqueueNotificationDelivery({ deliveryId: id });
  return id;
}
