export * from './client.ts';
export * from './errors.ts';
export * from './fleet-matrix-version.ts';
export * from './generated/prisma/client.ts';
export * from './repositories/index.ts';
export * from './selector-sql.ts';
export {
  forWorkspace,
  TENANT_MODELS,
  type WorkspaceDb,
  type WorkspaceTx,
} from './workspace-scope.ts';
