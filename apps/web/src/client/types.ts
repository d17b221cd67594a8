/**
 * The API's shapes as the dashboard sees them. Type-only imports: no runtime code of
 * @flotilla/core may reach the browser bundle.
 */
export type {
  BundleDto,
  BundleTargetsDto,
  ClusterDto,
  ClusterGroupDto,
  DeploymentDto,
  DeploymentResource,
  EventDto,
  FleetMatrix,
  GitRepoDto,
  SessionDto,
  Target,
} from '@flotilla/core';
export type {
  DeploymentState,
  HealthStatus,
  LabelSelector,
  LabelSelectorRequirement,
} from '@flotilla/engine';

export type Role = 'admin' | 'operator' | 'viewer';

export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

export type { ApiTokenDto, AuditEntryDto, MemberDto, WorkspaceDto } from '@flotilla/core';

/** POST /tokens answers the token's row plus the secret, shown this once. */
export interface CreatedApiToken {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  expiresAt: string | null;
  token: string;
}
