import { z } from 'zod';

export const roleSchema = z.enum(['admin', 'operator', 'viewer'], {
  error: 'must be one of admin, operator, viewer',
});

export const emailSchema = z
  .string({ error: 'is required' })
  .trim()
  .toLowerCase()
  .max(320, 'must be at most 320 characters')
  .pipe(z.email('must be an email address'));

/** Length is what makes a password hard to guess; no composition rules (NIST SP 800-63B). */
export const newPasswordSchema = z
  .string({ error: 'is required' })
  .min(12, 'must be at least 12 characters')
  .max(1024, 'must be at most 1024 characters');

export const loginInput = z.object({
  email: z.string({ error: 'is required' }).trim().min(1, 'is required').max(320),
  password: z.string({ error: 'is required' }).min(1, 'is required').max(1024),
});

export const switchWorkspaceInput = z.object({
  workspaceId: z.string({ error: 'is required' }).min(1, 'is required').max(64),
});

export const createApiTokenInput = z.object({
  name: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(100, 'must be at most 100 characters'),
  role: roleSchema,
  expiresInDays: z
    .number({ error: 'must be a whole number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(3650, 'must be at most 3650')
    .optional(),
});
export type CreateApiTokenInput = z.infer<typeof createApiTokenInput>;
