import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { KubeObject } from '../types.ts';

/**
 * Fleet's `diff.comparePatches` entry: which object (every given field must equal; an absent
 * one matches any) and what to leave out of drift detection for it.
 */
export interface ComparePatch {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** JSON pointers (`/spec/replicas`) whose values are not compared. */
  jsonPointers?: string[];
  /**
   * JSON patch operations applied to both sides before comparing, usually
   * `{ op: remove, path }`. Fleet's extra op `ignore` drops the whole object from drift
   * detection: neither a difference nor its absence is reported.
   */
  operations?: { op: string; path?: string; value?: unknown; from?: string }[];
}

export function patchesFor(object: KubeObject, patches: readonly ComparePatch[]): ComparePatch[] {
  return patches.filter(
    (patch) =>
      (!patch.apiVersion || patch.apiVersion === object.apiVersion) &&
      (!patch.kind || patch.kind === object.kind) &&
      (!patch.name || patch.name === object.metadata.name) &&
      (!patch.namespace || patch.namespace === (object.metadata.namespace ?? '')),
  );
}

export function isIgnoredByPatches(patches: readonly ComparePatch[]): boolean {
  return patches.some((patch) => patch.operations?.some((operation) => operation.op === 'ignore'));
}

/** Applies the patches in place; a path the document lacks has nothing to ignore, so it is skipped. */
export function applyComparePatches(document: unknown, patches: readonly ComparePatch[]): void {
  for (const patch of patches) {
    const operations: unknown[] = [
      ...(patch.jsonPointers ?? []).map((path) => ({ op: 'remove', path })),
      ...(patch.operations ?? []).filter((operation) => operation.op !== 'ignore'),
    ];
    for (const operation of operations) {
      try {
        jsonPatch.applyOperation(document, operation as Operation, true, true);
      } catch {
        // Missing path or malformed operation: Fleet logs and carries on with the others.
      }
    }
  }
}
