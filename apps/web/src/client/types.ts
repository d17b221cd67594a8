/**
 * The API's shapes as the dashboard sees them. Type-only imports: no runtime code of
 * @flotilla/core may reach the browser bundle.
 */
import type { AgentRegistration, ClusterDto } from '@flotilla/core';

export type {
  AgentRegistration,
  BundleDetailDto,
  BundleDto,
  BundleTargetsDto,
  ClusterDto,
  ClusterGroupDto,
  DeploymentDetailDto,
  DeploymentHistoryEntryDto,
  DeploymentDto,
  DeploymentResource,
  EventDto,
  FleetMatrix,
  GitRepoDto,
  RenderChartDto,
  RenderDto,
  SessionDto,
  Target,
  TemplateLocation,
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
export type { CompactFleetMatrix, FleetActionResult } from '@flotilla/core';

/** POST /tokens answers the token's row plus the secret, shown this once. */
export interface CreatedApiToken {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  expiresAt: string | null;
  token: string;
}

/** POST /clusters answers the cluster; an agent cluster's answer adds its one-time registration. */
export type RegisteredCluster = ClusterDto & { registration?: AgentRegistration };
export type { DeploymentLiveDto, LiveObjectDto, ObjectEventsDto } from '@flotilla/core';
export type { ResourceTreeNode } from '@flotilla/engine';
export type { ClusterGroupDetailDto, GroupBundleDto } from '@flotilla/core';
export type { ClusterConnectionTest, GitRepoConnectionTest } from '@flotilla/core';
