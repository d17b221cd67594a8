import { clusterIdsMatching, forWorkspace, type ClusterGroup } from '@flotilla/db';
import { parseLabelSelector, selectorToString, type LabelSelector } from '@flotilla/engine';
import { z } from 'zod';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { requestReplanForWorkspace } from '../bundles/request-replan.ts';
import { parseSelectorInput } from '../clusters/list-clusters.ts';
import { displayName, labelsSchema } from '../clusters/schemas.ts';
import { labelsOf } from '../clusters/serialize.ts';
import type { CoreContext } from '../context.ts';
import { AppError, toFieldErrors } from '../errors.ts';
import { asJson } from '../json.ts';

export const clusterGroupInput = z.object({
  name: displayName,
  /** Object form ({ matchLabels, matchExpressions }) or the string syntax. */
  selector: z.union([z.string(), z.record(z.string(), z.unknown())]),
  /** Labels of the group itself, matched by targets' clusterGroupSelector. */
  labels: labelsSchema.default({}),
});

export const updateClusterGroupInput = clusterGroupInput.partial();

export interface ClusterGroupDto {
  id: string;
  name: string;
  selector: LabelSelector;
  selectorText: string;
  labels: Record<string, string>;
  clusterCount: number;
  createdAt: string;
}

export function selectorOf(value: unknown): LabelSelector {
  try {
    return parseLabelSelector(value);
  } catch {
    return { matchExpressions: [{ key: 'flotilla.io/invalid-selector', operator: 'Exists' }] };
  }
}

async function toDto(ctx: Pick<CoreContext, 'db'>, group: ClusterGroup): Promise<ClusterGroupDto> {
  const selector = selectorOf(group.selector);
  const ids = await clusterIdsMatching(ctx.db, group.workspaceId, selector);
  return {
    id: group.id,
    name: group.name,
    selector,
    selectorText: selectorToString(selector),
    labels: labelsOf(group.labels),
    clusterCount: ids.length,
    createdAt: group.createdAt.toISOString(),
  };
}

function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  return parsed.data;
}

async function audit(
  ctx: CoreContext,
  principal: Principal,
  origin: RequestOrigin | undefined,
  action: string,
  id: string,
  name: string,
) {
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action,
      objectType: 'cluster-group',
      objectId: id,
      details: { name },
    },
  });
}

export async function createClusterGroup({
  ctx,
  principal,
  origin,
  input,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  input: unknown;
}): Promise<ClusterGroupDto> {
  const data = parseInput(clusterGroupInput, input);
  const selector = parseSelectorInput(data.selector, 'selector');
  const existing = await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.findUnique({
    where: { workspaceId_name: { workspaceId: principal.workspaceId, name: data.name } },
  });
  if (existing)
    throw new AppError('Conflict', `a cluster group named "${data.name}" already exists`);
  const group = await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.create({
    data: {
      workspaceId: principal.workspaceId,
      name: data.name,
      selector: asJson(selector),
      labels: data.labels,
    },
  });
  await audit(ctx, principal, origin, 'cluster-group.create', group.id, group.name);
  await requestReplanForWorkspace({ ctx, workspaceId: principal.workspaceId });
  return toDto(ctx, group);
}

export async function updateClusterGroup({
  ctx,
  principal,
  origin,
  groupId,
  input,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  groupId: string;
  input: unknown;
}): Promise<ClusterGroupDto> {
  const data = parseInput(updateClusterGroupInput, input);
  const group = await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.findUnique({
    where: { id: groupId },
  });
  if (!group) throw AppError.notFound('cluster group');
  const selector =
    data.selector !== undefined ? parseSelectorInput(data.selector, 'selector') : undefined;
  const updated = await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.update({
    where: { id: group.id },
    data: {
      ...(data.name ? { name: data.name } : {}),
      ...(selector ? { selector: asJson(selector) } : {}),
      ...(data.labels ? { labels: data.labels } : {}),
    },
  });
  await audit(ctx, principal, origin, 'cluster-group.update', group.id, updated.name);
  await requestReplanForWorkspace({ ctx, workspaceId: principal.workspaceId });
  return toDto(ctx, updated);
}

export async function deleteClusterGroup({
  ctx,
  principal,
  origin,
  groupId,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  groupId: string;
}): Promise<void> {
  const group = await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.findUnique({
    where: { id: groupId },
  });
  if (!group) throw AppError.notFound('cluster group');
  await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.delete({
    where: { id: group.id },
  });
  await audit(ctx, principal, origin, 'cluster-group.delete', group.id, group.name);
  await requestReplanForWorkspace({ ctx, workspaceId: principal.workspaceId });
}

export async function listClusterGroups({
  ctx,
  principal,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
}) {
  const groups = await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.findMany({
    orderBy: { name: 'asc' },
  });
  return { items: await Promise.all(groups.map((group) => toDto(ctx, group))), nextCursor: null };
}

export async function getClusterGroup({
  ctx,
  principal,
  groupId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  groupId: string;
}) {
  const group = await forWorkspace(ctx.db, principal.workspaceId).clusterGroup.findUnique({
    where: { id: groupId },
  });
  if (!group) throw AppError.notFound('cluster group');
  return toDto(ctx, group);
}
