import type { ObjectRef } from '@flotilla/engine';
import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { askWorker } from './get-deployment-live.ts';
import { liveViewRefs, type LiveUnavailable, type ObjectEventDto } from './live-view.ts';
import { storedInventory } from './resources.ts';
import { loadRevisions } from './revision-cache.ts';
import { z } from 'zod';

/** GET /deployments/{id}/live/events: which object of the tree (as the tree names it). */
export const objectEventsQuery = z.object({
  apiVersion: z
    .string()
    .max(253)
    .regex(/^([a-z0-9.-]+\/)?v[0-9a-z]+$/, 'must be an API version such as v1 or apps/v1'),
  kind: z
    .string()
    .max(63)
    .regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a kind such as Pod'),
  namespace: z
    .string()
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name'),
  name: z
    .string()
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be an object name'),
});

export interface ObjectEventsDto {
  object: ObjectRef;
  events: ObjectEventDto[];
  live:
    | { status: 'read' }
    | { status: 'unavailable'; reason: LiveUnavailable['reason']; message: string };
}

/**
 * The cluster's events (core/v1 Event by involvedObject) of one object of the deployment's tree,
 * on demand. Only in the namespaces of the deployment's own objects, where its tree lives: the
 * route must not read the events of any object of the cluster.
 */
export async function listDeploymentObjectEvents({
  ctx,
  principal,
  deploymentId,
  object,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues'>;
  principal: Principal;
  deploymentId: string;
  object: ObjectRef;
}): Promise<ObjectEventsDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const row = await db.bundleDeployment.findUnique({ where: { id: deploymentId } });
  if (!row) throw AppError.notFound('deployment');
  const hash = row.desiredHash ?? row.appliedHash;
  const revision = hash
    ? (await loadRevisions(ctx, principal.workspaceId, [hash])).get(hash)
    : undefined;
  const { refs } = liveViewRefs({
    desired: revision?.objects ?? [],
    inventory: storedInventory(row.inventory),
  });
  const namespaces = new Set(refs.map((ref) => ref.namespace).filter((name) => name !== ''));
  if (!namespaces.has(object.namespace))
    throw AppError.validation([
      {
        path: 'query.namespace',
        message: `must be a namespace of this deployment's objects (${[...namespaces].join(', ') || 'none'})`,
      },
    ]);
  const answer = await askWorker(ctx, {
    deploymentId,
    workspaceId: principal.workspaceId,
    request: { what: 'events', object },
  });
  switch (answer.kind) {
    case 'events':
      return { object, events: answer.events, live: { status: 'read' } };
    case 'unavailable':
      return {
        object,
        events: [],
        live: { status: 'unavailable', reason: answer.reason, message: answer.message },
      };
    case 'objects':
      return {
        object,
        events: [],
        live: {
          status: 'unavailable',
          reason: 'failed',
          message: 'the live read answered in an unknown shape',
        },
      };
    default:
      return answer satisfies never;
  }
}
