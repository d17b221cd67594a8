/** One step into an object: a map key, a list position, or a list item named by its merge key. */
export type PathSegment = { key: string } | { index: number } | { mergeKey: string; value: string };

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * Dotted form naming list items by key: `spec.template.spec.containers[name=web].image`,
 * `data.key`, `spec.rules[0].host`; keys that are not plain words are quoted, so a label
 * reads `metadata.labels["app.kubernetes.io/name"]`.
 */
export function formatFieldPath(segments: readonly PathSegment[]): string {
  let path = '';
  for (const segment of segments) {
    if ('index' in segment) path += `[${segment.index}]`;
    else if ('mergeKey' in segment) path += `[${segment.mergeKey}=${segment.value}]`;
    else if (PLAIN_KEY.test(segment.key)) path += path === '' ? segment.key : `.${segment.key}`;
    else path += `[${JSON.stringify(segment.key)}]`;
  }
  return path;
}
