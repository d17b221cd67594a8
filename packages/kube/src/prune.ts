import { objectIdentity } from '@flotilla/engine';
import { z } from 'zod';
import { isCustomResourceDefinition, isNamespace, reasonNaming } from './apply-plan.ts';
import type { ClusterClient } from './client.ts';
import { apiGroupOf, resourcePath, type ResourceInfo } from './discovery.ts';
import { describeFailure, isHttpStatus, isUnknownResource, UnknownKindError } from './errors.ts';
import type { ObjectRef } from './types.ts';

export interface PruneOptions {
  /** The inventory last applied. */
  previous: readonly ObjectRef[];
  /** The inventory applied now. */
  current: readonly ObjectRef[];
  /** Only objects still carrying this label are deleted. */
  ownerLabel: { key: string; value: string };
}

export interface PruneResult {
  deleted: ObjectRef[];
  /** NotFound: already gone. NotOwned: the ownership label was removed (or changed) by hand. */
  skipped: { ref: ObjectRef; reason: 'NotFound' | 'NotOwned' }[];
  failed: { ref: ObjectRef; reason: string }[];
}

// Identity ignores the version (objectIdentity): moving a Deployment from apps/v1beta2 to
// apps/v1 in Git is the same object, and must not be pruned as if it had left the inventory.
const identity = objectIdentity;

/** What left the inventory: in previous, not in current (ignoring the version), once each. */
export function refsToPrune(
  previous: readonly ObjectRef[],
  current: readonly ObjectRef[],
): ObjectRef[] {
  const kept = new Set(current.map(identity));
  const result = new Map<string, ObjectRef>();
  for (const ref of previous) {
    const key = identity(ref);
    if (!kept.has(key) && !result.has(key)) result.set(key, ref);
  }
  return [...result.values()];
}

const ownedListSchema = z.object({
  items: z
    .array(z.object({ metadata: z.object({ name: z.string(), uid: z.string().optional() }) }))
    .default([]),
});

function groupByCollection(refs: readonly ObjectRef[]): ObjectRef[][] {
  const groups = new Map<string, ObjectRef[]>();
  for (const ref of refs) {
    const key = `${ref.apiVersion}|${ref.kind}|${ref.namespace}`;
    groups.set(key, [...(groups.get(key) ?? []), ref]);
  }
  return [...groups.values()];
}

async function pruneCollection(
  client: ClusterClient,
  refs: readonly ObjectRef[],
  { key, value }: PruneOptions['ownerLabel'],
  result: PruneResult,
): Promise<void> {
  const [sample] = refs;
  if (!sample) return;
  let resource: ResourceInfo;
  let owned: Map<string, string | undefined>;
  try {
    resource = await client.discovery.resolve(sample.apiVersion, sample.kind);
    // One LIST by label tells, for every candidate of this kind and namespace, whether it is
    // still ours: the label is read on the cluster, not trusted from our inventory.
    const body = await client.request({
      method: 'GET',
      path: resourcePath(resource, sample.namespace),
      query: { labelSelector: `${key}=${value}` },
    });
    owned = new Map(
      ownedListSchema.parse(body).items.map(({ metadata }) => [metadata.name, metadata.uid]),
    );
  } catch (error) {
    // No such kind any more (its CRD is gone): neither are its objects.
    const isKindGone = error instanceof UnknownKindError || isUnknownResource(error);
    if (isKindGone) client.discovery.forget(apiGroupOf(sample.apiVersion));
    for (const ref of refs) {
      if (isKindGone) result.skipped.push({ ref, reason: 'NotFound' });
      else result.failed.push({ ref, reason: reasonNaming(ref, describeFailure(error)) });
    }
    return;
  }

  await Promise.all(
    refs.map(async (ref) => {
      const path = resourcePath(resource, ref.namespace, ref.name);
      try {
        if (!owned.has(ref.name)) {
          // Not in the owned list: gone, or someone took it over. A GET tells which (rare path).
          await client.request({ method: 'GET', path });
          result.skipped.push({ ref, reason: 'NotOwned' });
          return;
        }
        const uid = owned.get(ref.name);
        await client.request({
          method: 'DELETE',
          path,
          // The uid precondition makes sure the object deleted is the one read as ours, not a
          // namesake created since. Not resourceVersion: a busy Deployment's status changes it
          // every few seconds, and prune would then fail forever.
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            propagationPolicy: 'Background',
            ...(uid ? { preconditions: { uid } } : {}),
          },
        });
        result.deleted.push(ref);
      } catch (error) {
        if (isHttpStatus(error, 404)) result.skipped.push({ ref, reason: 'NotFound' });
        else result.failed.push({ ref, reason: reasonNaming(ref, describeFailure(error)) });
      }
    }),
  );
}

/**
 * Deletes from a cluster what left a bundle's inventory, when it still carries the owner label
 * (someone who removed the label by hand has taken the object over). Namespaces and CRDs go
 * last: deleting either deletes everything inside, which must not race the objects' own deletes.
 */
export async function pruneObjects(
  client: ClusterClient,
  options: PruneOptions,
): Promise<PruneResult> {
  const result: PruneResult = { deleted: [], skipped: [], failed: [] };
  const candidates = refsToPrune(options.previous, options.current);
  const isContainer = (ref: ObjectRef) => isNamespace(ref) || isCustomResourceDefinition(ref);
  for (const wave of [
    candidates.filter((ref) => !isContainer(ref)),
    candidates.filter(isContainer),
  ]) {
    await Promise.all(
      groupByCollection(wave).map((refs) =>
        pruneCollection(client, refs, options.ownerLabel, result),
      ),
    );
  }
  return result;
}
