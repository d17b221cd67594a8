import { readEnabledNotificationRules } from '@flotilla/db';
import type { QueuedTransition } from '@flotilla/engine';
import type { CoreContext } from '../context.ts';
import { newId } from '../ids.ts';

/** Redis keys of a rule's aggregation window: the transitions queued, and the open window. */
export const notificationKeys = {
  items: (ruleId: string) => `flotilla:notify:${ruleId}:items`,
  window: (ruleId: string) => `flotilla:notify:${ruleId}:window`,
  lastNotified: (ruleId: string, deploymentId: string) =>
    `flotilla:notify:${ruleId}:last:${deploymentId}`,
};

export interface WorkspaceTransition {
  workspaceId: string;
  transition: QueuedTransition;
}

/** Does this rule care about the transition (Ready matters to forget a deployment's mark). */
function isRelevant(events: readonly string[], transition: QueuedTransition): boolean {
  if (transition.kind === 'rollout') return events.includes('rollout.halted');
  if (transition.toState === 'Ready')
    return events.some((event) => event.startsWith('deployment.'));
  return events.includes(`deployment.${transition.toState}`);
}

/**
 * Queues transitions for the enabled notification rules of their workspaces. Each rule has an
 * aggregation window in Redis: the first transition opens it (SET NX) and schedules the job that
 * closes it `windowSeconds` later; the ones that follow only join the list. So 200 clusters going
 * Offline within the window become one message, and a rule sends at most one message per window.
 * The selector and de-duplication are applied when the window closes (selectNotifications), off
 * the hot path of state writes.
 */
export async function queueNotifications({
  ctx,
  transitions,
}: {
  ctx: Pick<CoreContext, 'db' | 'redis' | 'queues'>;
  transitions: readonly WorkspaceTransition[];
}): Promise<void> {
  if (transitions.length === 0) return;
  const workspaceIds = [...new Set(transitions.map((item) => item.workspaceId))];
  const rules = await readEnabledNotificationRules(ctx.db, workspaceIds);
  for (const rule of rules) {
    const items = transitions
      .filter(
        ({ workspaceId, transition }) =>
          workspaceId === rule.workspaceId && isRelevant(rule.events, transition),
      )
      .map(({ transition }) => JSON.stringify(transition));
    if (items.length === 0) continue;
    const windowMs = rule.windowSeconds * 1000;
    const windowId = newId();
    // The window key outlives the window by a minute: if the closing job were lost, the next
    // transition after that opens a new window instead of waiting forever.
    const results = await ctx.redis
      .multi()
      .rpush(notificationKeys.items(rule.id), ...items)
      .set(notificationKeys.window(rule.id), windowId, 'PX', windowMs + 60_000, 'NX')
      .exec();
    const opened = results?.[1]?.[1] === 'OK';
    if (opened)
      await ctx.queues.enqueueNotificationCollect({ ruleId: rule.id, windowId }, windowMs);
  }
}
