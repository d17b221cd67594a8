import {
  buildResourceTree,
  kindsToFollow,
  showObjectYaml,
  type KubeObject,
  type ObjectRef,
} from '@flotilla/engine';
import { classifyError, describeFailure, getLive, listNamespaced } from '@flotilla/kube';
import { clusterClientFor } from '../connectivity/cluster-client.ts';
import { isClusterReachable, isWorkerDriven } from '../connectivity/reachability-policy.ts';
import type { WorkerContext } from '../worker-context.ts';
import { liveViewRefs, MAX_EVENTS, type LiveAnswer, type ObjectEventDto } from './live-view.ts';
import { storedInventory } from './resources.ts';
import { loadRevisions } from './revision-cache.ts';

/**
 * YAML characters of one answer at most (it waits in Redis for the web): later objects are
 * listed without their live form, saying why.
 */
const MAX_ANSWER_CHARS = 4 * 1024 * 1024;

/** Objects of one kind listed per namespace to find children; more are not shown. */
const MAX_LISTED = 500;

/** A failure that says the cluster, not the object, is the problem. */
function isClusterFailure(error: unknown): boolean {
  const { reason } = classifyError(error);
  return (
    reason === 'Unreachable' ||
    reason === 'Timeout' ||
    reason === 'TlsError' ||
    reason === 'CredentialsRejected'
  );
}

export type LiveReadRequest = { what: 'objects' } | { what: 'events'; object: ObjectRef };

/**
 * The worker's side of the deployment page's live view (the live-read job): every object of the
 * deployment as it is on the cluster, masked, with the tree of what their controllers made
 * (owner references, health by the engine's rules); or the events of one object. Expected
 * failures (an agent cluster, one that does not answer) are answers, not exceptions: the page
 * says them in words.
 */
export async function readDeploymentLive({
  ctx,
  deploymentId,
  workspaceId,
  request,
}: {
  ctx: WorkerContext;
  deploymentId: string;
  workspaceId: string;
  request: LiveReadRequest;
}): Promise<LiveAnswer> {
  const deployment = await ctx.db.bundleDeployment.findFirst({
    where: { id: deploymentId, workspaceId },
    include: { cluster: true },
  });
  if (!deployment)
    return { kind: 'unavailable', reason: 'failed', message: 'deployment not found' };
  const { cluster } = deployment;
  if (!isWorkerDriven(cluster))
    return {
      kind: 'unavailable',
      reason: 'agent',
      message: `live objects are not available for agent clusters: Flotilla does not reach ${cluster.name}, its agent reports health and drift`,
    };
  if (!isClusterReachable(cluster.connectivity))
    return {
      kind: 'unavailable',
      reason: 'offline',
      message: `${cluster.name} is offline: its live objects cannot be read now`,
    };
  const client = clusterClientFor(ctx, cluster);

  if (request.what === 'events') {
    const { object } = request;
    try {
      const events = await listNamespaced(client, {
        apiVersion: 'v1',
        kind: 'Event',
        namespace: object.namespace,
        fieldSelector: `involvedObject.kind=${object.kind},involvedObject.name=${object.name}`,
        limit: MAX_LISTED,
      });
      return {
        kind: 'events',
        events: events.map(eventDto).sort(newestFirst).slice(0, MAX_EVENTS),
      };
    } catch (error) {
      if (isClusterFailure(error)) return unreachable(cluster.name, error);
      return {
        kind: 'unavailable',
        reason: 'failed',
        message: `${cluster.name} refused to list the events of ${object.kind} ${object.name}: ${describeFailure(error)}`,
      };
    }
  }

  const hash = deployment.desiredHash ?? deployment.appliedHash;
  const revision = hash ? (await loadRevisions(ctx, workspaceId, [hash])).get(hash) : undefined;
  const { refs } = liveViewRefs({
    desired: revision?.objects ?? [],
    inventory: storedInventory(deployment.inventory),
  });
  const reads = await Promise.all(
    refs.map(async (ref) => {
      try {
        return { ref, live: await getLive(client, ref), error: undefined };
      } catch (error) {
        return { ref, live: undefined, error };
      }
    }),
  );
  const failed = reads.filter((read) => read.error !== undefined);
  if (failed.length > 0 && failed.length === reads.length && isClusterFailure(failed[0]!.error))
    return unreachable(cluster.name, failed[0]!.error);

  const lives = reads.flatMap((read) => (read.live ? [read.live] : []));
  const errors: string[] = [];
  const candidates: KubeObject[] = [];
  await Promise.all(
    kindsToFollow(lives).map(async (kind) => {
      try {
        candidates.push(...(await listNamespaced(client, { ...kind, limit: MAX_LISTED })));
      } catch (error) {
        errors.push(`${kind.kind} in ${kind.namespace}: ${describeFailure(error)}`);
      }
    }),
  );
  return {
    kind: 'objects',
    objects: withinBudget(reads),
    tree: buildResourceTree({
      roots: reads
        .filter((read) => read.error === undefined)
        .map((read) => (read.live ? { live: read.live } : { missing: read.ref })),
      candidates,
    }),
    errors,
  };
}

function withinBudget(
  reads: { ref: ObjectRef; live: KubeObject | undefined; error: unknown }[],
): Extract<LiveAnswer, { kind: 'objects' }>['objects'] {
  let budget = MAX_ANSWER_CHARS;
  return reads.map(({ ref, live, error }) => {
    if (error !== undefined) return { ...ref, live: null, error: describeFailure(error) };
    if (!live) return { ...ref, live: null, error: null };
    const shown = showObjectYaml(live);
    if (shown.yaml.length > budget)
      return {
        ...ref,
        live: null,
        error: 'not shown: the objects before it fill the answer (4 MiB)',
      };
    budget -= shown.yaml.length;
    return { ...ref, live: shown, error: null };
  });
}

function unreachable(clusterName: string, error: unknown): LiveAnswer {
  return {
    kind: 'unavailable',
    reason: 'unreachable',
    message: `${clusterName} did not answer: ${describeFailure(error)}`,
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function eventDto(event: KubeObject): ObjectEventDto {
  const source = (event.source ?? {}) as Record<string, unknown>;
  const lastSeen =
    text(event.lastTimestamp) ||
    text(event.eventTime) ||
    text(event.firstTimestamp) ||
    text(event.metadata.creationTimestamp) ||
    null;
  return {
    type: text(event.type) || 'Normal',
    reason: text(event.reason),
    message: text(event.message).slice(0, 2000),
    count: typeof event.count === 'number' ? event.count : 1,
    lastSeen,
    source: text(source.component) || text(event.reportingComponent),
  };
}

function newestFirst(a: ObjectEventDto, b: ObjectEventDto): number {
  return (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '');
}
