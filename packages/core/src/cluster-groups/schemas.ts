import { z } from 'zod';
import { displayName, labelsSchema } from '../clusters/schemas.ts';
import { AppError, toFieldErrors } from '../errors.ts';

export const clusterGroupInput = z.object({
  name: displayName,
  /** Object form ({ matchLabels, matchExpressions }) or the string syntax. */
  selector: z.union([z.string(), z.record(z.string(), z.unknown())]),
  /** Labels of the group itself, matched by targets' clusterGroupSelector. */
  labels: labelsSchema.default({}),
});

export const updateClusterGroupInput = clusterGroupInput.partial();

export function parseClusterGroupInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  return parsed.data;
}
