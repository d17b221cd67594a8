import type { Db } from './client.ts';
import { Prisma } from './generated/prisma/client.ts';

/** Every model that belongs to a workspace (has a workspaceId column). */
export const TENANT_MODELS = new Set<string>([
  'Membership',
  'ApiToken',
  'Cluster',
  'ClusterGroup',
  'GitRepo',
  'Bundle',
  'BundleRevision',
  'BundleDeployment',
  'Event',
  'AuditEntry',
  'AgentRegistrationToken',
  'AgentCredential',
  'SyncWindow',
  'DeploymentHistory',
  'NotificationRule',
  'NotificationDelivery',
  'GithubConnection',
  'GithubCommitStatus',
  'PullRequestPreview',
]);

const WHERE_OPERATIONS = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
  'upsert',
]);

type Args = Record<string, unknown> & {
  where?: Record<string, unknown>;
  data?: unknown;
  create?: unknown;
};

function withWorkspace(data: unknown, workspaceId: string, model: string): unknown {
  if (!data || typeof data !== 'object') return data;
  const record = data as Record<string, unknown>;
  if (record.workspaceId !== undefined && record.workspaceId !== workspaceId) {
    throw new Error(
      `refused: a ${model} of another workspace cannot be written through this workspace's client`,
    );
  }
  // Relation-style creates (`workspace: { connect }`) carry no workspaceId column; reject them
  // too, so nothing reaches another tenant by a side door.
  if ('workspace' in record)
    throw new Error(`refused: set ${model}.workspaceId through the scoped client, not a relation`);
  return { ...record, workspaceId };
}

/**
 * A Prisma client that can only see and change one workspace's rows: every query on a tenant
 * model gets `workspaceId` added to its `where` (findUnique included: Prisma accepts extra
 * fields beside the unique one), and every create gets it set. Use cases take their workspace
 * from the authenticated principal and talk to the database only through this client, so a
 * forgotten filter cannot leak another tenant's data; an id of another workspace reads as
 * "not found", exactly like a missing one.
 */
export function forWorkspace(db: Db, workspaceId: string) {
  return db.$extends({
    name: 'workspace-scope',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          if (!TENANT_MODELS.has(model)) return query(args);
          const scoped: Args = { ...(args as Args) };
          if (WHERE_OPERATIONS.has(operation))
            scoped.where = { ...(scoped.where ?? {}), workspaceId };
          if (operation === 'create') scoped.data = withWorkspace(scoped.data, workspaceId, model);
          if (operation === 'createMany' || operation === 'createManyAndReturn') {
            const rows = Array.isArray(scoped.data) ? scoped.data : [scoped.data];
            scoped.data = rows.map((row) => withWorkspace(row, workspaceId, model));
          }
          if (operation === 'upsert')
            scoped.create = withWorkspace(scoped.create, workspaceId, model);
          return query(scoped as typeof args);
        },
      },
    },
  });
}

export type WorkspaceDb = ReturnType<typeof forWorkspace>;

/** For transactions inside a scoped client. */
export type WorkspaceTx = Omit<
  WorkspaceDb,
  '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'
>;

export { Prisma };
