import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * Live updates for the dashboard: the worker publishes what changed on a Redis channel per
 * workspace; the web's SSE endpoint relays it to browsers, which refresh the matching queries.
 * Messages name what changed (ids, states), never secrets or manifests.
 */
export const liveUpdateSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('deployment'),
    deploymentId: z.string(),
    bundleId: z.string(),
    clusterId: z.string(),
    state: z.string(),
    fromState: z.string().optional(),
  }),
  z.object({ type: z.literal('cluster'), clusterId: z.string(), connectivity: z.string() }),
  z.object({ type: z.literal('gitrepo'), gitRepoId: z.string(), state: z.string() }),
  z.object({ type: z.literal('bundle'), bundleId: z.string() }),
  z.object({ type: z.literal('event'), eventId: z.string() }),
]);

export type LiveUpdate = z.infer<typeof liveUpdateSchema>;

export function liveUpdatesChannel(workspaceId: string): string {
  return `flotilla:live:${workspaceId}`;
}

export async function publishLiveUpdates(
  redis: Redis,
  workspaceId: string,
  updates: LiveUpdate[],
): Promise<void> {
  if (updates.length === 0) return;
  // One message per batch: a monitor pass over 50 deployments is one publish, not 50.
  await redis.publish(liveUpdatesChannel(workspaceId), JSON.stringify(updates));
}

export function parseLiveUpdates(message: string): LiveUpdate[] {
  const parsed = z.array(liveUpdateSchema).safeParse(JSON.parse(message));
  return parsed.success ? parsed.data : [];
}
