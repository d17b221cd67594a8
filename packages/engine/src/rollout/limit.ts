import { EngineError } from '../errors.ts';

/** A count or a percentage, as Kubernetes' IntOrString: 3, "3", "25%". */
export type IntOrPercent = number | string;

/**
 * Fleet's `limit` (target/status.go): turns a count or percentage of `count` items into a
 * number. Percentages round down but never below 1 (so "10%" of 5 clusters is 1 and "0%"
 * is 1 too, as in Fleet); plain numbers are clamped to 0..count. With nothing to count the
 * answer is 1. A numeric string counts as a number (Fleet does not clamp those; we do).
 */
export function resolveLimit(
  count: number,
  value: IntOrPercent | null | undefined,
  fallback: IntOrPercent,
  field: string,
): number {
  if (count <= 0) return 1;
  const given = value ?? fallback;
  const asNumber =
    typeof given === 'number' ? given : /^\s*-?\d+\s*$/.test(given) ? Number(given) : undefined;
  if (asNumber !== undefined) {
    if (!Number.isInteger(asNumber)) throw invalid(field, given);
    return Math.min(Math.max(asNumber, 0), count);
  }
  const percent = /^\s*(-?\d+(?:\.\d+)?)%\s*$/.exec(String(given))?.[1];
  if (percent === undefined) throw invalid(field, given);
  const share = Math.floor((count * Number(percent)) / 100);
  return Math.min(Math.max(share, 1), count);
}

function invalid(field: string, value: IntOrPercent): EngineError {
  return new EngineError(
    'OptionsInvalid',
    `${field} must be a whole number or a percentage such as "25%", not ${JSON.stringify(value)}`,
    field,
  );
}
