import {
  assessResources,
  indexLive,
  objectIdentity,
  type AssessedResource,
  type KubeObject,
  type ObjectRef,
} from '@flotilla/engine';
import {
  applyObjects,
  BUNDLE_ID_LABEL,
  describeConflict,
  ensureNamespaces,
  FIELD_MANAGER,
  findOwnershipConflicts,
  listLive,
  ownerLabel,
  pruneObjects,
  withOwnership,
  WORKSPACE_ID_LABEL,
  type ClusterClient,
} from '@flotilla/kube';
import type { DesiredDeployment, ReportEntry, Revision } from './flotilla-api.ts';

/** What the agent remembers of a deployment between passes (and learns again from Flotilla after a restart). */
export interface LocalDeployment {
  appliedHash: string | null;
  inventory: ObjectRef[];
  error: string | null;
}

export interface ReconcileResult {
  entry: ReportEntry;
  local: LocalDeployment;
  /** Requests that changed the cluster in this pass (applies and deletes). */
  writes: number;
}

/**
 * One deployment on the agent's cluster, by the worker's rules and with the same code:
 * packages/kube's ownership check, server-side apply under the field manager "flotilla" with
 * forced conflicts (Git wins), prune by inventory of what still carries the owner label, and
 * packages/engine's health and drift. A revision already applied is only read (one LIST per
 * kind by the ownership labels): a restarted agent writes nothing to a cluster that is as
 * Git says. Drift is corrected by a forced re-apply when the revision says correctDrift.
 */
export async function reconcileDeployment({
  client,
  workspaceId,
  deployment,
  revision,
  local,
}: {
  client: ClusterClient;
  workspaceId: string;
  deployment: DesiredDeployment;
  revision: Revision;
  local: LocalDeployment;
}): Promise<ReconcileResult> {
  const ownership = { workspaceId, bundleId: deployment.bundleId };
  const objects = revision.objects.map((object) => withOwnership(object, ownership));
  const comparePatches = revision.deployOptions.comparePatches ?? [];
  const isBehind = local.appliedHash !== revision.hash || local.error !== null;
  let writes = 0;

  const fail = (error: string, inventory: ObjectRef[]): ReconcileResult => ({
    entry: {
      id: deployment.id,
      appliedHash: local.appliedHash,
      error,
      resources: [],
      inventory,
    },
    local: { appliedHash: local.appliedHash, inventory, error },
    writes,
  });

  const apply = async (): Promise<
    { live: KubeObject[]; inventory: ObjectRef[] } | { error: string; inventory: ObjectRef[] }
  > => {
    if (revision.hooks.length > 0 && local.appliedHash !== revision.hash) {
      return {
        error: `${revision.hooks.length} Helm hooks: hooks are not run by the agent yet; use a direct cluster for this bundle`,
        inventory: local.inventory,
      };
    }
    if (!revision.deployOptions.takeOwnership) {
      const check = await findOwnershipConflicts(client, {
        objects,
        known: local.inventory,
        ownership,
      });
      if (check.conflicts.length > 0) {
        const reasons = check.conflicts.map((conflict) =>
          describeConflict(conflict, deployment.bundleName, undefined),
        );
        return { error: reasons.join('; '), inventory: local.inventory };
      }
      if (check.unread.length > 0)
        return {
          error: check.unread.map((unread) => unread.reason).join('; '),
          inventory: local.inventory,
        };
    }
    const namespaces = await ensureNamespaces(client, [
      ...new Set(objects.flatMap((object) => object.metadata.namespace ?? [])),
    ]);
    writes += namespaces.created.length;
    const applied = await applyObjects(client, objects, {
      fieldManager: FIELD_MANAGER,
      force: true,
    });
    writes += applied.applied.length;
    const failures = [
      ...namespaces.failed.map((failure) => failure.reason),
      ...applied.failed.map((failure) => failure.reason),
    ];
    if (failures.length > 0)
      return {
        error:
          failures.length === 1
            ? failures[0]!
            : `${failures.length} objects failed: ${failures.join('; ')}`,
        inventory: dedupe([...local.inventory, ...applied.applied]),
      };
    const pruned = await pruneObjects(client, {
      previous: local.inventory,
      current: applied.applied,
      ownerLabel: ownerLabel(ownership),
    });
    writes += pruned.deleted.length;
    const inventory = dedupe([...applied.applied, ...pruned.failed.map((failure) => failure.ref)]);
    if (pruned.failed.length > 0)
      return { error: pruned.failed.map((failure) => failure.reason).join('; '), inventory };
    return { live: applied.live, inventory };
  };

  let live: KubeObject[] | undefined;
  let inventory = local.inventory;
  if (isBehind) {
    const result = await apply();
    if ('error' in result) return fail(result.error, result.inventory);
    live = result.live;
    inventory = result.inventory;
  }
  const read = async () => {
    const result = await readLive(client, workspaceId, deployment.bundleId, objects);
    return { index: indexLive(result), errors: result.errors.length };
  };
  let assessed = live
    ? { index: indexLive({ objects: live, errors: [] }), errors: 0 }
    : await read();
  let resources = assessResources({ desired: objects, comparePatches, live: assessed.index });
  const isDrifted = resources.some((resource) => resource.modified);
  if (!isBehind && isDrifted && revision.deployOptions.correctDrift?.enabled === true) {
    // Git wins: the same forced apply as the worker's correction.
    const result = await apply();
    if ('error' in result) return fail(result.error, result.inventory);
    inventory = result.inventory;
    assessed = { index: indexLive({ objects: result.live, errors: [] }), errors: 0 };
    resources = assessResources({ desired: objects, comparePatches, live: assessed.index });
  }
  return {
    entry: {
      id: deployment.id,
      appliedHash: revision.hash,
      error: null,
      resources: resources satisfies AssessedResource[],
      inventory,
    },
    local: { appliedHash: revision.hash, inventory, error: null },
    writes,
  };
}

/** Removes an orphaned deployment's objects (those still carrying its owner label). */
export async function pruneDeployment({
  client,
  deployment,
}: {
  client: ClusterClient;
  deployment: DesiredDeployment;
}): Promise<{ isDone: boolean; deleted: number; reason?: string }> {
  const result = await pruneObjects(client, {
    previous: deployment.inventory,
    current: [],
    ownerLabel: ownerLabel({ bundleId: deployment.bundleId }),
  });
  if (result.failed.length > 0)
    return {
      isDone: false,
      deleted: result.deleted.length,
      reason: result.failed.map((failure) => failure.reason).join('; '),
    };
  return { isDone: true, deleted: result.deleted.length };
}

async function readLive(
  client: ClusterClient,
  workspaceId: string,
  bundleId: string,
  objects: readonly KubeObject[],
) {
  const kinds = new Map<string, { apiVersion: string; kind: string; namespaces: Set<string> }>();
  for (const object of objects) {
    const key = `${object.apiVersion}|${object.kind}`;
    const entry = kinds.get(key) ?? {
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespaces: new Set<string>(),
    };
    entry.namespaces.add(object.metadata.namespace ?? '');
    kinds.set(key, entry);
  }
  return listLive(client, {
    kinds: [...kinds.values()].map((entry) => ({
      apiVersion: entry.apiVersion,
      kind: entry.kind,
      namespaces: [...entry.namespaces],
    })),
    labelSelector: `${WORKSPACE_ID_LABEL}=${workspaceId},${BUNDLE_ID_LABEL}=${bundleId}`,
  });
}

function dedupe(refs: ObjectRef[]): ObjectRef[] {
  return [...new Map(refs.map((ref) => [objectIdentity(ref), ref])).values()];
}
