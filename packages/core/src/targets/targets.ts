import {
  EngineError,
  normalizeSelectorInput,
  parseLabelSelector,
  type LabelSelector,
} from '@flotilla/engine';
import { z } from 'zod';
import { AppError, toFieldErrors, type FieldError } from '../errors.ts';

/** A target as stored and served: selectors in their object form. */
export interface Target {
  name?: string;
  clusterName?: string;
  clusterSelector?: LabelSelector;
  clusterGroup?: string;
  clusterGroupSelector?: LabelSelector;
}

const selectorInput = z.union([z.string().max(4096), z.record(z.string(), z.unknown())]);

const targetInput = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    clusterName: z.string().trim().min(1).max(100).optional(),
    clusterSelector: selectorInput.optional(),
    clusterGroup: z.string().trim().min(1).max(100).optional(),
    clusterGroupSelector: selectorInput.optional(),
  })
  .strict()
  .refine(
    (target) =>
      target.clusterName !== undefined ||
      target.clusterSelector !== undefined ||
      target.clusterGroup !== undefined ||
      target.clusterGroupSelector !== undefined,
    {
      error:
        'a target needs clusterName, clusterSelector, clusterGroup or clusterGroupSelector (an empty target matches nothing)',
    },
  );

export const targetsInput = z.array(targetInput).max(100, 'at most 100 targets');

/**
 * Validates targets from the API: each selector may be given in the string syntax or the
 * object form; errors name the target and the field (`targets[1].clusterSelector`).
 */
export function parseTargets(input: unknown, path = 'targets'): Target[] {
  const parsed = targetsInput.safeParse(input);
  if (!parsed.success) {
    throw AppError.validation(toFieldErrors(parsed.error.issues, path));
  }
  const errors: FieldError[] = [];
  const targets = parsed.data.map((target, index) => {
    const out: Target = {};
    if (target.name) out.name = target.name;
    if (target.clusterName) out.clusterName = target.clusterName;
    if (target.clusterGroup) out.clusterGroup = target.clusterGroup;
    for (const field of ['clusterSelector', 'clusterGroupSelector'] as const) {
      const value = target[field];
      if (value === undefined) continue;
      try {
        out[field] = normalizeSelectorInput(value);
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        errors.push({ path: `${path}[${index}].${field}`, message: error.message });
      }
    }
    return out;
  });
  if (errors.length > 0) throw AppError.validation(errors);
  return targets;
}

/** Targets read back from the database (written by parseTargets; tolerate old shapes). */
export function storedTargets(value: unknown): Target[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((raw): Target[] => {
    if (!raw || typeof raw !== 'object') return [];
    const record = raw as Record<string, unknown>;
    const target: Target = {};
    if (typeof record.name === 'string') target.name = record.name;
    if (typeof record.clusterName === 'string') target.clusterName = record.clusterName;
    if (typeof record.clusterGroup === 'string') target.clusterGroup = record.clusterGroup;
    for (const field of ['clusterSelector', 'clusterGroupSelector'] as const) {
      if (record[field] === undefined || record[field] === null) continue;
      try {
        target[field] = parseLabelSelector(record[field]);
      } catch {
        return [];
      }
    }
    return [target];
  });
}
