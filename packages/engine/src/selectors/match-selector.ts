import { EngineError } from '../errors.ts';
import type { LabelSelector, LabelSelectorRequirement } from '../types.ts';

type Labels = Readonly<Record<string, string>>;

/**
 * Whether `labels` satisfy every part of `selector` (matchLabels and matchExpressions are
 * ANDed). An empty selector `{}` matches everything; a null or absent selector matches nothing,
 * as Kubernetes' LabelSelectorAsSelector decides. Targeting never passes an absent selector:
 * there an absent field is simply not a constraint (see targeting/match-target.ts).
 */
export function matchesSelector(
  selector: LabelSelector | null | undefined,
  labels: Labels,
): boolean {
  if (selector == null) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((requirement) =>
    matchesRequirement(requirement, labels),
  );
}

function matchesRequirement(requirement: LabelSelectorRequirement, labels: Labels): boolean {
  // hasOwn, not `in`: a label named "constructor" must not be found on Object.prototype.
  const hasKey = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return hasKey && value !== undefined && values.includes(value);
    case 'NotIn':
      return !hasKey || value === undefined || !values.includes(value);
    case 'Exists':
      return hasKey;
    case 'DoesNotExist':
      return !hasKey;
    default:
      return unknownOperator(requirement.operator);
  }
}

function unknownOperator(operator: never): never {
  throw new EngineError('SelectorInvalid', `Unknown selector operator "${String(operator)}"`);
}
