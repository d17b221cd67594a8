import { parseLabelSelector, type LabelSelector } from '@flotilla/engine';

/**
 * A group's stored selector. One that no longer parses (written by an older version) matches
 * no cluster rather than every cluster.
 */
export function selectorOf(value: unknown): LabelSelector {
  try {
    return parseLabelSelector(value);
  } catch {
    return { matchExpressions: [{ key: 'flotilla.io/invalid-selector', operator: 'Exists' }] };
  }
}
