import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { KubeObject } from '../types.ts';
import { compareFields, type FieldDrift } from './compare-fields.ts';
import {
  applyComparePatches,
  isIgnoredByPatches,
  patchesFor,
  type ComparePatch,
} from './compare-patch.ts';
import { managedProjection } from './managed-fields.ts';
import { maskSecretData } from './mask-secret.ts';

export interface DriftInput {
  desired: KubeObject;
  /** The object as read from the cluster; undefined when it is not there. */
  live: KubeObject | undefined;
  /** The bundle's `diff.comparePatches`; entries for other objects are skipped. */
  comparePatches?: readonly ComparePatch[];
}

export interface Drift {
  /** Live differs from Git on a field Git sets, or the object is missing. */
  modified: boolean;
  missing: boolean;
  fields: FieldDrift[];
  /** Unified diff of the managed fields, Git side labelled `git`, cluster side `live`; "" when equal. */
  diff: string;
}

const NO_DRIFT: Drift = { modified: false, missing: false, fields: [], diff: '' };

/**
 * Drift of one object: live is compared with desired only on the fields desired sets, which
 * are the fields Flotilla's server-side apply owns. Defaults the apiserver fills in, status,
 * labels other tools add and server-owned metadata are not drift. Secret values never appear
 * in the result: they are masked.
 */
export function computeDrift({ desired, live, comparePatches = [] }: DriftInput): Drift {
  const patches = patchesFor(desired, comparePatches);
  if (isIgnoredByPatches(patches)) return NO_DRIFT;

  const managed = managedProjection(desired);
  applyComparePatches(managed, patches);
  const isSecret = desired.kind === 'Secret';

  if (live === undefined) {
    const shown = isSecret ? maskSecretData(managed, undefined, []).desired : managed;
    return { modified: true, missing: true, fields: [], diff: unifiedDiff(shown, undefined) };
  }

  const liveCopy: unknown = structuredClone(live);
  applyComparePatches(liveCopy, patches);
  const comparison = compareFields(managed, liveCopy);
  if (comparison.fields.length === 0) return NO_DRIFT;

  const shown = isSecret
    ? maskSecretData(managed, comparison.liveProjection, comparison.fields)
    : { desired: managed, live: comparison.liveProjection, fields: comparison.fields };
  return {
    modified: true,
    missing: false,
    fields: shown.fields,
    diff: unifiedDiff(shown.desired, shown.live),
  };
}

function unifiedDiff(desired: unknown, live: unknown): string {
  const desiredText = stringify(desired, { lineWidth: 0 });
  const liveText = live === undefined ? '' : stringify(live, { lineWidth: 0 });
  return createTwoFilesPatch('git', 'live', desiredText, liveText, undefined, undefined, {
    context: 3,
  });
}
