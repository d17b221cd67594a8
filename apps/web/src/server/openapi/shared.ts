import { z } from 'zod';

/** Query and body pieces several operations share. */
export const page = z.object({
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().optional(),
});
export const selectorQuery = z.object({
  selector: z
    .string()
    .optional()
    .describe('Kubernetes label selector, e.g. env in (prod,test),!canary'),
});
export const selector = z.union([
  z.string(),
  z.object({
    matchLabels: z.record(z.string(), z.string()).optional(),
    matchExpressions: z
      .array(
        z.object({
          key: z.string(),
          operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
          values: z.array(z.string()).optional(),
        }),
      )
      .optional(),
  }),
]);
export const clusterGroup = z.object({
  name: z.string(),
  selector,
  labels: z.record(z.string(), z.string()).optional(),
});
