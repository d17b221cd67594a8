import { objectIdentity } from '@flotilla/engine';
import { refOf } from './apply-plan.ts';
import type { ClusterClient } from './client.ts';
import { describeFailure, UnknownKindError } from './errors.ts';
import {
  BUNDLE_ID_LABEL,
  CREATED_NAMESPACE_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type Ownership,
} from './labels.ts';
import { getLive } from './live.ts';
import type { KubeObject, ObjectRef } from './types.ts';

export interface OwnershipConflict {
  ref: ObjectRef;
  /** The Flotilla bundle that owns the live object, when it is another bundle's. */
  ownerBundleId?: string;
}

export interface OwnershipCheck {
  conflicts: OwnershipConflict[];
  /** Objects that could not be read: the apply that follows reports them if they are broken. */
  unread: { ref: ObjectRef; reason: string }[];
}

/**
 * Before a forced server-side apply, which would silently take over any object of the same
 * name, finds the objects that exist on the cluster but are not this bundle's: no Flotilla
 * labels (made by hand, by Helm, by another tool) or another bundle's labels. As Helm (and so
 * Fleet) refuses a release whose objects exist without its ownership annotations.
 *
 * Only objects outside `known` (the deployment's inventory, which holds just what Flotilla
 * applied) are read, one GET each: a steady deploy of an unchanged object list costs nothing,
 * and a first deploy pays once per object.
 */
export async function findOwnershipConflicts(
  client: ClusterClient,
  {
    objects,
    known,
    ownership,
  }: { objects: readonly KubeObject[]; known: readonly ObjectRef[]; ownership: Ownership },
): Promise<OwnershipCheck> {
  const inventory = new Set(known.map(objectIdentity));
  const fresh = objects.filter((object) => !inventory.has(objectIdentity(refOf(object))));
  const result: OwnershipCheck = { conflicts: [], unread: [] };
  await Promise.all(
    fresh.map(async (object) => {
      const ref = refOf(object);
      let live: KubeObject | undefined;
      try {
        live = await getLive(client, ref);
      } catch (error) {
        // A kind the cluster does not serve yet (its CRD comes with this bundle) has no
        // objects to take over; the apply reports it if it is still unknown then.
        if (error instanceof UnknownKindError) return;
        result.unread.push({ ref, reason: describeFailure(error) });
        return;
      }
      if (!live) return;
      const labels = live.metadata.labels ?? {};
      const owner =
        labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE ? labels[BUNDLE_ID_LABEL] : undefined;
      if (owner === ownership.bundleId) return;
      // A namespace Flotilla made for another bundle's objects (no one's yet): take it.
      if (
        owner === undefined &&
        live.kind === 'Namespace' &&
        live.metadata.annotations?.[CREATED_NAMESPACE_ANNOTATION] === 'true'
      )
        return;
      // A cluster-scoped object is named without the namespace the bundle may have given it.
      const namespace = live.metadata.namespace ?? '';
      result.conflicts.push({
        ref: { ...ref, namespace },
        ...(owner ? { ownerBundleId: owner } : {}),
      });
    }),
  );
  return result;
}

/**
 * How a conflict reads on the deployment: Kind namespace/name, and who owns it. The owner is
 * named only when the caller resolved it (a bundle of the same workspace): another
 * workspace's bundle stays anonymous.
 */
export function describeConflict(
  conflict: OwnershipConflict,
  bundleName: string,
  ownerName?: string,
): string {
  const { kind, namespace, name } = conflict.ref;
  const object = `${kind} ${namespace === '' ? name : `${namespace}/${name}`}`;
  const reason = conflict.ownerBundleId
    ? `is managed by ${ownerName ? `Flotilla bundle "${ownerName}"` : 'another Flotilla bundle'}, not by "${bundleName}"`
    : 'exists and is not managed by Flotilla';
  return `${object} ${reason}; set takeOwnership: true to adopt it`;
}
