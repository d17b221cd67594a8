import { EngineError } from '../errors.ts';
import type { LabelSelector, LabelSelectorRequirement } from '../types.ts';
import { parseLabelSelector } from './parse-label-selector.ts';
import { parseSelector } from './parse-selector.ts';

/**
 * The string form of a selector, for display and for `?selector=` links; parseSelector reads it
 * back to an equivalent selector. One-value In/NotIn print as `k=v` / `k!=v`. The empty selector
 * prints as "" (Kubernetes' "everything"); the UI words that itself.
 */
export function selectorToString(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const requirement of selector.matchExpressions ?? [])
    parts.push(requirementToString(requirement));
  return parts.join(',');
}

function requirementToString({ key, operator, values = [] }: LabelSelectorRequirement): string {
  switch (operator) {
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    case 'In':
      return values.length === 1 ? `${key}=${values[0] ?? ''}` : `${key} in (${values.join(',')})`;
    case 'NotIn':
      return values.length === 1
        ? `${key}!=${values[0] ?? ''}`
        : `${key} notin (${values.join(',')})`;
    default:
      throw new EngineError(
        'SelectorInvalid',
        `Unknown selector operator "${String(operator satisfies never)}"`,
      );
  }
}

/**
 * Accepts either form a caller may send (the API's `?selector=` string or a
 * `{ matchLabels, matchExpressions }` object) and returns the validated object form.
 */
export function normalizeSelectorInput(input: unknown, at = ''): LabelSelector {
  if (typeof input === 'string') return parseSelector(input);
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    return parseLabelSelector(input, at);
  }
  throw new EngineError(
    'SelectorInvalid',
    'A selector must be a string such as "env in (prod,test),!canary" or an object with matchLabels and/or matchExpressions',
    at || undefined,
  );
}
