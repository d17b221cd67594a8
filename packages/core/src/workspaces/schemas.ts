import { z } from 'zod';
import { emailSchema, newPasswordSchema, roleSchema } from '../auth/schemas.ts';

export const createWorkspaceInput = z.object({
  name: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(64, 'must be at most 64 characters'),
});

export const addMemberInput = z.object({
  email: emailSchema,
  role: roleSchema,
  /** Only for a new account; an existing user keeps their password. */
  password: newPasswordSchema.optional(),
  name: z.string().trim().max(200, 'must be at most 200 characters').optional(),
});
export type AddMemberInput = z.infer<typeof addMemberInput>;

export const changeMemberRoleInput = z.object({ role: roleSchema });
