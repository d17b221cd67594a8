import { z } from 'zod';

/** Ids are opaque strings; bounded so a payload cannot smuggle anything large. */
export const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id');
export const sha256 = z.string().regex(/^[a-f0-9]{64}$/, 'must be a sha256 hex digest');
export const commitSha = z
  .string()
  .regex(/^[a-f0-9]{40}([a-f0-9]{24})?$/, 'must be a git commit id');
