import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { identityOfObject } from '../objects/object-identity.ts';
import type { KubeObject } from '../types.ts';

export type ObjectChangeKind = 'added' | 'changed' | 'removed';

export interface ObjectChange {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  change: ObjectChangeKind;
  /** Unified diff, the current revision labelled `current`, the proposed one `proposed`. */
  diff: string;
}

/**
 * What replacing one revision's objects by another's would change, object by object (matched
 * by identity across apiVersions, as apply and prune match them): added, changed (with a unified
 * diff of the two manifests) or removed; unchanged objects are left out. Secret values never
 * appear: each distinct value becomes a mask, equal values equal masks, so a diff still says
 * which key changed. The order is stable (kind, namespace, name).
 */
export function diffRevisions({
  current,
  proposed,
}: {
  current: readonly KubeObject[];
  proposed: readonly KubeObject[];
}): ObjectChange[] {
  const masks = new Map<string, string>();
  const mask = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    if (!masks.has(value)) masks.set(value, '+'.repeat(8 + masks.size));
    return masks.get(value);
  };
  const shown = (object: KubeObject): string =>
    // Keys sorted: a revision read back from Postgres (jsonb) has its keys in another order.
    stringify(object.kind === 'Secret' ? maskSecret(object, mask) : object, {
      lineWidth: 0,
      sortMapEntries: true,
    });
  const byIdentity = (objects: readonly KubeObject[]) =>
    new Map(objects.map((object) => [identityOf(object), object]));
  const before = byIdentity(current);
  const after = byIdentity(proposed);
  const changes: ObjectChange[] = [];
  for (const identity of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(identity);
    const next = after.get(identity);
    const oldText = old ? shown(old) : '';
    const nextText = next ? shown(next) : '';
    if (old && next && oldText === nextText) continue;
    const object = (next ?? old)!;
    changes.push({
      apiVersion: object.apiVersion ?? '',
      kind: object.kind ?? '',
      namespace: object.metadata?.namespace ?? '',
      name: object.metadata?.name ?? '',
      change: !old ? 'added' : !next ? 'removed' : 'changed',
      diff: createTwoFilesPatch('current', 'proposed', oldText, nextText, undefined, undefined, {
        context: 3,
      }),
    });
  }
  return changes.sort(
    (a, b) =>
      a.kind.localeCompare(b.kind) ||
      a.namespace.localeCompare(b.namespace) ||
      a.name.localeCompare(b.name),
  );
}

function identityOf(object: KubeObject): string {
  return identityOfObject({
    apiVersion: object.apiVersion ?? '',
    kind: object.kind ?? '',
    metadata: { namespace: object.metadata?.namespace, name: object.metadata?.name ?? '' },
  });
}

function maskSecret(object: KubeObject, mask: (value: unknown) => unknown): KubeObject {
  const copy: Record<string, unknown> = { ...object };
  for (const field of ['data', 'stringData']) {
    const values = copy[field];
    if (typeof values === 'object' && values !== null && !Array.isArray(values))
      copy[field] = Object.fromEntries(
        Object.entries(values).map(([key, value]) => [key, mask(value)]),
      );
  }
  return copy as KubeObject;
}
