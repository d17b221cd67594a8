import type { KubeObject } from '../types.ts';

// Set by the apiserver on every object; a manifest that carries one (an export of a live
// object) must not turn it into drift.
const SERVER_OWNED_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
] as const;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The part of a desired object Flotilla manages and compares: a deep copy without
 * server-owned metadata, status (written by controllers, not by apply) and kubectl's
 * last-applied annotation. A Secret's `stringData` is folded into `data` as the apiserver does,
 * since live Secrets never have stringData.
 */
export function managedProjection(desired: KubeObject): Record<string, unknown> {
  const copy = structuredClone(desired);
  delete copy.status;
  for (const field of SERVER_OWNED_METADATA) delete copy.metadata[field];
  const annotations = copy.metadata.annotations;
  if (annotations && Object.hasOwn(annotations, LAST_APPLIED)) {
    delete annotations[LAST_APPLIED];
    if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
  }
  if (copy.kind === 'Secret' && isStringMap(copy.stringData)) {
    const data = isStringMap(copy.data) ? copy.data : {};
    for (const [key, value] of Object.entries(copy.stringData)) {
      data[key] = Buffer.from(value, 'utf8').toString('base64');
    }
    copy.data = data;
    delete copy.stringData;
  }
  return copy;
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}
