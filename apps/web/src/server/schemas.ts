import 'server-only';
import { z } from 'zod';

/** Path ids: opaque, bounded; a malformed one answers 404 like a missing object. */
export const idParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
});

export const pageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .default(100),
  cursor: z.string().max(64).optional(),
});
