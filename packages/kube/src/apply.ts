import { setTimeout as sleep } from 'node:timers/promises';
import {
  crdServes,
  isCustomResourceDefinition,
  reasonNaming,
  refOf,
  splitFoundation,
  toApplyBody,
} from './apply-plan.ts';
import type { ClusterClient } from './client.ts';
import { apiGroupOf, resourcePath, type ResourceInfo } from './discovery.ts';
import { describeFailure, isUnknownResource } from './errors.ts';
import type { KubeObject, ObjectRef } from './types.ts';

export interface ApplyOptions {
  fieldManager: string;
  /** Take over fields another manager owns (kubectl apply --server-side --force-conflicts). */
  force: boolean;
  /** Validate on the server without persisting anything. */
  dryRun?: boolean;
  /** How long to wait for a CRD of the batch to be Established before its resources (default 30 s). */
  crdTimeoutMs?: number;
}

export interface ApplyFailure {
  ref: ObjectRef;
  /** The API server's Status message when it gave one (it names the object and the field). */
  reason: string;
}

export interface ApplyResult {
  /** As the objects are known on the cluster: namespace "" for a cluster-scoped kind. */
  applied: ObjectRef[];
  failed: ApplyFailure[];
  /**
   * The applied objects as the API server answered the apply: what is live right after it,
   * status included, so a check right after an apply needs no second read of the cluster.
   */
  live: KubeObject[];
}

type Outcome =
  | { ref: ObjectRef; reason?: undefined; live: KubeObject | undefined }
  | { ref: ObjectRef; reason: string };

function answeredObject(body: unknown): KubeObject | undefined {
  const object = body as Partial<KubeObject> | undefined;
  return typeof object?.apiVersion === 'string' &&
    typeof object.kind === 'string' &&
    typeof object.metadata?.name === 'string'
    ? (object as KubeObject)
    : undefined;
}

async function applyOne(
  client: ClusterClient,
  object: KubeObject,
  options: ApplyOptions,
  isRetry = false,
): Promise<Outcome> {
  let resource: ResourceInfo;
  try {
    resource = await client.discovery.resolve(object.apiVersion, object.kind);
  } catch (error) {
    const ref = refOf(object);
    return { ref, reason: reasonNaming(ref, describeFailure(error)) };
  }
  const namespace = resource.isNamespaced ? (object.metadata.namespace ?? '') : '';
  const ref = refOf(object, namespace);
  if (resource.isNamespaced && namespace === '') {
    return {
      ref,
      reason: reasonNaming(ref, `${object.kind} is namespaced but metadata.namespace is empty`),
    };
  }
  try {
    const answer = await client.request({
      method: 'PATCH',
      path: resourcePath(resource, namespace, object.metadata.name),
      query: {
        fieldManager: options.fieldManager,
        force: String(options.force),
        dryRun: options.dryRun ? 'All' : undefined,
      },
      contentType: 'application/apply-patch+yaml',
      body: toApplyBody(object, resource.isNamespaced),
    });
    return { ref, live: answeredObject(answer) };
  } catch (error) {
    if (isRetry || !isUnknownResource(error)) {
      return { ref, reason: reasonNaming(ref, describeFailure(error)) };
    }
  }
  // A 404 about the resource type: discovery was cached before the CRD behind it was deleted
  // or replaced. Resolve again from the cluster, once.
  client.discovery.forget(apiGroupOf(object.apiVersion));
  return applyOne(client, object, options, true);
}

function isEstablished(crd: unknown): boolean {
  const conditions = (crd as { status?: { conditions?: unknown } } | undefined)?.status?.conditions;
  return (
    Array.isArray(conditions) &&
    conditions.some(
      (condition: { type?: unknown; status?: unknown }) =>
        condition.type === 'Established' && condition.status === 'True',
    )
  );
}

/**
 * Waits until a just-applied CRD is Established and its kinds appear in discovery, so that its
 * custom resources in the same batch can be applied. On timeout it just returns: those
 * resources then fail with "the cluster does not serve kind ...", which says what happened.
 */
async function waitForCrd(
  client: ClusterClient,
  crd: KubeObject,
  timeoutMs: number,
): Promise<void> {
  const serves = crdServes(crd);
  if (!serves) return;
  const deadline = Date.now() + timeoutMs;
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(serves.name)}`;
  while (Date.now() < deadline) {
    try {
      if (isEstablished(await client.request({ method: 'GET', path }))) break;
    } catch {
      // Not visible yet, or a blip: keep polling until the deadline.
    }
    await sleep(200);
  }
  for (const { apiVersion, kind } of serves.kinds) {
    while (Date.now() < deadline) {
      client.discovery.forget(serves.group);
      try {
        await client.discovery.resolve(apiVersion, kind);
        break;
      } catch {
        await sleep(200);
      }
    }
  }
  client.discovery.forget(serves.group);
}

/**
 * Server-side applies objects to one cluster: Namespaces and CRDs first (then waits for those
 * CRDs to be Established), then everything else in parallel, bounded by the client. One
 * object's failure never stops the others; each failure carries its reason.
 */
export async function applyObjects(
  client: ClusterClient,
  objects: readonly KubeObject[],
  options: ApplyOptions,
): Promise<ApplyResult> {
  const { foundation, rest } = splitFoundation(objects);
  const first = await Promise.all(foundation.map((object) => applyOne(client, object, options)));

  // A dry run creates no CRD, so there is nothing to wait for: its custom resources fail
  // with "does not serve kind", which is the truth about the cluster as it is.
  if (!options.dryRun) {
    const appliedCrds = foundation.filter(
      (object, index) => isCustomResourceDefinition(object) && !first[index]?.reason,
    );
    await Promise.all(
      appliedCrds.map((crd) => waitForCrd(client, crd, options.crdTimeoutMs ?? 30_000)),
    );
  }

  const second = await Promise.all(rest.map((object) => applyOne(client, object, options)));
  const result: ApplyResult = { applied: [], failed: [], live: [] };
  for (const outcome of [...first, ...second]) {
    if (outcome.reason === undefined) {
      result.applied.push(outcome.ref);
      if (outcome.live) result.live.push(outcome.live);
    } else result.failed.push({ ref: outcome.ref, reason: outcome.reason });
  }
  return result;
}
