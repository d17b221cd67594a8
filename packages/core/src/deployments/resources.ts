import {
  HEALTH_STATUSES,
  type AssessedResource,
  type ObjectRef,
  type ResourceCounts,
} from '@flotilla/engine';
import { z } from 'zod';

/*
 * Decoders of BundleDeployment's JSON columns. Rows are written by this code, but a column
 * written by an older version, or edited by hand, must not pass for what it is not: each entry
 * is validated and one that does not fit is left out (an inventory entry left out is an object
 * Flotilla no longer prunes, never one it deletes by mistake).
 */

/** One object of a deployment as the API and the dashboard show it (the engine's assessment). */
export type DeploymentResource = AssessedResource;

export type DeploymentCounts = ResourceCounts;

const refSchema = z.object({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  namespace: z.string(),
  name: z.string().min(1),
});

const resourceSchema = refSchema.extend({
  health: z.enum(HEALTH_STATUSES),
  healthMessage: z.string(),
  modified: z.boolean(),
  missing: z.boolean(),
  driftPaths: z.array(z.string()),
  diff: z.string().optional(),
});

const countsSchema = z
  .object({
    total: z.number(),
    ready: z.number(),
    notReady: z.number(),
    modified: z.number(),
    missing: z.number(),
  })
  .partial();

function entriesOf<T>(schema: z.ZodType<T>, value: unknown): T[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const parsed = schema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

export function storedResources(value: unknown): DeploymentResource[] {
  return entriesOf(resourceSchema, value);
}

/** What the last apply put on the cluster. */
export function storedInventory(value: unknown): ObjectRef[] {
  return entriesOf(refSchema, value);
}

export function storedCounts(value: unknown): Partial<DeploymentCounts> {
  const parsed = countsSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}
