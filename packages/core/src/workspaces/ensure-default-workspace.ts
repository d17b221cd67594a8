import type { CoreContext } from '../context.ts';

export const DEFAULT_WORKSPACE_NAME = 'default';

/** The workspace of the bootstrap token and of the first admin; created on first need. */
export async function ensureDefaultWorkspace({ ctx }: { ctx: Pick<CoreContext, 'db'> }) {
  return ctx.db.workspace.upsert({
    where: { name: DEFAULT_WORKSPACE_NAME },
    create: { name: DEFAULT_WORKSPACE_NAME },
    update: {},
  });
}
