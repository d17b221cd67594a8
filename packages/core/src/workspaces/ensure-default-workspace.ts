import type { CoreContext } from '../context.ts';

export const DEFAULT_WORKSPACE_NAME = 'default';

/**
 * The workspace of the bootstrap token and of the first admin; created on first need. Read
 * first: the bootstrap token asks at every request, and an upsert is a write (a row lock and
 * WAL) even when the workspace exists.
 */
export async function ensureDefaultWorkspace({ ctx }: { ctx: Pick<CoreContext, 'db'> }) {
  const existing = await ctx.db.workspace.findUnique({ where: { name: DEFAULT_WORKSPACE_NAME } });
  if (existing) return existing;
  return ctx.db.workspace.upsert({
    where: { name: DEFAULT_WORKSPACE_NAME },
    create: { name: DEFAULT_WORKSPACE_NAME },
    update: {},
  });
}

/** Per database client: the default workspace's id, once it exists (no use case deletes one). */
const defaultWorkspaceIds = new WeakMap<object, string>();

/**
 * The default workspace's id for the bootstrap token, which every request of a script using it
 * asks for: read (or made) once per process and client, then remembered.
 */
export async function defaultWorkspaceId({ ctx }: { ctx: Pick<CoreContext, 'db'> }) {
  const known = defaultWorkspaceIds.get(ctx.db);
  if (known) return known;
  const { id } = await ensureDefaultWorkspace({ ctx });
  defaultWorkspaceIds.set(ctx.db, id);
  return id;
}
