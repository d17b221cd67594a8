import { containsText, forWorkspace, pageArgs, toPage, type DeploymentState } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';

export interface EventDto {
  id: string;
  at: string;
  type: string;
  clusterId: string | null;
  clusterName: string | null;
  bundleId: string | null;
  bundleName: string | null;
  deploymentId: string | null;
  fromState: DeploymentState | null;
  toState: DeploymentState | null;
  message: string;
}

/** Newest first (`-at`, the default) or oldest first (`at`). */
export const EVENT_SORTS = ['-at', 'at'] as const;
export type EventSort = (typeof EVENT_SORTS)[number];

/**
 * Newest first unless asked; filter by cluster, bundle, the state a deployment changed to, and
 * text in the message or the event type (`q`, any case). Time then id is a total order, so the
 * cursor resumes exactly after the last row either way.
 */
export async function listEvents({
  ctx,
  principal,
  clusterId,
  bundleId,
  state,
  q,
  sort = '-at',
  limit = 100,
  cursor,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  clusterId?: string | undefined;
  bundleId?: string | undefined;
  state?: DeploymentState | undefined;
  q?: string | undefined;
  sort?: EventSort | undefined;
  limit?: number;
  cursor?: string | undefined;
}) {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const direction = sort === 'at' ? ('asc' as const) : ('desc' as const);
  const text = q?.trim() ?? '';
  const rows = await db.event.findMany({
    where: {
      ...(clusterId ? { clusterId } : {}),
      ...(bundleId ? { bundleId } : {}),
      ...(state ? { toState: state } : {}),
      ...(text
        ? {
            OR: [{ message: containsText(text) }, { type: containsText(text) }],
          }
        : {}),
    },
    ...pageArgs({ limit, cursor }),
    orderBy: [{ at: direction }, { id: direction }],
  });
  const page = toPage(rows, limit);
  const clusterIds = [
    ...new Set(page.items.flatMap((row) => (row.clusterId ? [row.clusterId] : []))),
  ];
  const bundleIds = [...new Set(page.items.flatMap((row) => (row.bundleId ? [row.bundleId] : [])))];
  const [clusters, bundles] = await Promise.all([
    db.cluster.findMany({ where: { id: { in: clusterIds } }, select: { id: true, name: true } }),
    db.bundle.findMany({ where: { id: { in: bundleIds } }, select: { id: true, name: true } }),
  ]);
  const clusterName = new Map(clusters.map((cluster) => [cluster.id, cluster.name]));
  const bundleName = new Map(bundles.map((bundle) => [bundle.id, bundle.name]));
  return {
    items: page.items.map((row): EventDto => ({
      id: row.id,
      at: row.at.toISOString(),
      type: row.type,
      clusterId: row.clusterId,
      clusterName: row.clusterId ? (clusterName.get(row.clusterId) ?? null) : null,
      bundleId: row.bundleId,
      bundleName: row.bundleId ? (bundleName.get(row.bundleId) ?? null) : null,
      deploymentId: row.deploymentId,
      fromState: row.fromState,
      toState: row.toState,
      message: row.message,
    })),
    nextCursor: page.nextCursor,
  };
}
