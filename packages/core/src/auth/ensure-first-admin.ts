import { isUniqueViolation } from '@flotilla/db';
import type { CoreContext } from '../context.ts';
import { ensureDefaultWorkspace } from '../workspaces/ensure-default-workspace.ts';
import { hashPassword } from './passwords.ts';

/**
 * The first admin, from FLOTILLA_ADMIN_EMAIL / FLOTILLA_ADMIN_PASSWORD, made once: only while
 * the database has no user at all. Later changes of the variables change nothing.
 */
export async function ensureFirstAdmin({
  ctx,
  email,
  password,
}: {
  ctx: Pick<CoreContext, 'db' | 'logger'>;
  email: string | undefined;
  password: string | undefined;
}): Promise<boolean> {
  if (!email || !password) return false;
  if ((await ctx.db.user.count()) > 0) return false;
  const workspace = await ensureDefaultWorkspace({ ctx });
  const passwordHash = await hashPassword(password);
  try {
    await ctx.db.user.create({
      data: {
        email: email.trim().toLowerCase(),
        name: 'Administrator',
        passwordHash,
        memberships: { create: { workspaceId: workspace.id, role: 'admin' } },
      },
    });
  } catch (error) {
    // Web and worker may race at first start: the unique email decides, both are fine.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
  ctx.logger.info({ email }, 'created the first admin');
  return true;
}
