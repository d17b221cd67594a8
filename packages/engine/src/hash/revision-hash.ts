import { createHash } from 'node:crypto';
import type { DeployOptions } from '../options/index.ts';
import type { KubeObject } from '../types.ts';
import { canonicalJson } from './canonical-json.ts';

export interface RevisionContent {
  objects: readonly KubeObject[];
  deployOptions: DeployOptions;
}

/**
 * The content address of a BundleRevision: sha256 (hex) of the canonical JSON of its objects,
 * in order, and its deploy options. The options are all hashed, drift settings included: a
 * revision is stored once per hash, so anything it stores must be part of the hash or a
 * changed comparePatches would be lost behind an old row.
 */
export function revisionHash({ objects, deployOptions }: RevisionContent): string {
  return createHash('sha256').update(canonicalJson({ objects, deployOptions })).digest('hex');
}
