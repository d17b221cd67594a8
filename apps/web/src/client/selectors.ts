import type { LabelSelector, LabelSelectorRequirement } from './types.ts';

export type SelectorOperator = LabelSelectorRequirement['operator'];

export const SELECTOR_OPERATORS: readonly SelectorOperator[] = [
  'In',
  'NotIn',
  'Exists',
  'DoesNotExist',
];

/** One row of the selector editor; values are typed as comma-separated text. */
export interface MatchLabelRow {
  key: string;
  value: string;
}

export interface ExpressionRow {
  key: string;
  operator: SelectorOperator;
  values: string;
}

export interface SelectorRows {
  matchLabels: MatchLabelRow[];
  matchExpressions: ExpressionRow[];
}

export function splitValues(text: string): string[] {
  return text
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/**
 * The editor's rows as a LabelSelector object. Rows without a key are left out (a row being
 * typed), and values are sent only for the operators that take them; the server validates the
 * rest and names the field.
 */
export function rowsToSelector(rows: SelectorRows): LabelSelector {
  const selector: LabelSelector = {};
  const matchLabels = rows.matchLabels.filter((row) => row.key.trim() !== '');
  if (matchLabels.length > 0) {
    selector.matchLabels = Object.fromEntries(
      matchLabels.map((row) => [row.key.trim(), row.value.trim()]),
    );
  }
  const expressions = rows.matchExpressions.filter((row) => row.key.trim() !== '');
  if (expressions.length > 0) {
    selector.matchExpressions = expressions.map((row) =>
      row.operator === 'In' || row.operator === 'NotIn'
        ? { key: row.key.trim(), operator: row.operator, values: splitValues(row.values) }
        : { key: row.key.trim(), operator: row.operator },
    );
  }
  return selector;
}

export function selectorToRows(selector: LabelSelector | undefined): SelectorRows {
  return {
    matchLabels: Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => ({
      key,
      value,
    })),
    matchExpressions: (selector?.matchExpressions ?? []).map((expression) => ({
      key: expression.key,
      operator: expression.operator,
      values: (expression.values ?? []).join(', '),
    })),
  };
}

/** Kubernetes' string syntax for a selector: `env=prod,region in (eu,us),!canary`. */
export function selectorToText(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const expression of selector.matchExpressions ?? []) {
    const values = [...(expression.values ?? [])].join(',');
    switch (expression.operator) {
      case 'In':
        parts.push(`${expression.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${expression.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(expression.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${expression.key}`);
        break;
    }
  }
  return parts.join(',');
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  );
}
