import {
  addMemberInput,
  changeMemberRoleInput,
  createApiTokenInput,
  createGitRepoInput,
  createWorkspaceInput,
  loginInput,
  registerClusterInput,
  switchWorkspaceInput,
  targetsInput,
  updateClusterInput,
  updateGitRepoInput,
} from '@flotilla/core';
import { z } from 'zod';

/**
 * Every operation of /api/v1, for the OpenAPI description. A unit test walks the route files
 * and fails when a route and this list disagree, so the description cannot fall behind.
 */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  /** public, or the least role that may call it. */
  auth: 'public' | 'viewer' | 'operator' | 'admin' | 'signed-in';
  body?: z.ZodType;
  query?: z.ZodType;
  /** The success status and what it returns. */
  success: { status: number; description: string };
}

const page = z.object({
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().optional(),
});
const selectorQuery = z.object({
  selector: z
    .string()
    .optional()
    .describe('Kubernetes label selector, e.g. env in (prod,test),!canary'),
});
const selector = z.union([
  z.string(),
  z.object({
    matchLabels: z.record(z.string(), z.string()).optional(),
    matchExpressions: z
      .array(
        z.object({
          key: z.string(),
          operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
          values: z.array(z.string()).optional(),
        }),
      )
      .optional(),
  }),
]);
const clusterGroup = z.object({
  name: z.string(),
  selector,
  labels: z.record(z.string(), z.string()).optional(),
});

export const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/health',
    summary: 'Health of the API and its PostgreSQL and Redis',
    tag: 'system',
    auth: 'public',
    success: { status: 200, description: '{ status, postgres, redis }; 503 names what is down' },
  },
  {
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This description',
    tag: 'system',
    auth: 'public',
    success: { status: 200, description: 'OpenAPI 3.1 document' },
  },

  {
    method: 'post',
    path: '/api/v1/auth/login',
    summary: 'Sign in with email and password (sets the session cookie)',
    tag: 'auth',
    auth: 'public',
    body: loginInput,
    success: {
      status: 200,
      description: 'The user and workspace; 429 with Retry-After after too many failures',
    },
  },
  {
    method: 'post',
    path: '/api/v1/auth/workspace',
    summary: "Switch the session's workspace",
    tag: 'auth',
    auth: 'viewer',
    body: switchWorkspaceInput,
    success: { status: 200, description: 'The session' },
  },
  {
    method: 'get',
    path: '/api/v1/workspaces',
    summary: 'My workspaces',
    tag: 'access',
    auth: 'viewer',
    query: page,
    success: { status: 200, description: '{ items, nextCursor }' },
  },
  {
    method: 'post',
    path: '/api/v1/workspaces',
    summary: 'Create a workspace (the creator becomes its admin)',
    tag: 'access',
    auth: 'admin',
    body: createWorkspaceInput,
    success: { status: 201, description: 'The workspace' },
  },
  {
    method: 'get',
    path: '/api/v1/members',
    summary: 'Members of the workspace',
    tag: 'access',
    auth: 'admin',
    query: page,
    success: { status: 200, description: '{ items, nextCursor }' },
  },
  {
    method: 'post',
    path: '/api/v1/members',
    summary: 'Add a member (a new user needs a password)',
    tag: 'access',
    auth: 'admin',
    body: addMemberInput,
    success: { status: 201, description: 'The member' },
  },
  {
    method: 'patch',
    path: '/api/v1/members/{id}',
    summary: "Change a member's role (ends their sessions)",
    tag: 'access',
    auth: 'admin',
    body: changeMemberRoleInput,
    success: { status: 200, description: 'The member' },
  },
  {
    method: 'delete',
    path: '/api/v1/members/{id}',
    summary: 'Remove a member',
    tag: 'access',
    auth: 'admin',
    success: { status: 204, description: 'Removed' },
  },
  {
    method: 'get',
    path: '/api/v1/tokens',
    summary: 'API tokens (prefix only, never the secret)',
    tag: 'access',
    auth: 'admin',
    query: page,
    success: { status: 200, description: '{ items, nextCursor }' },
  },
  {
    method: 'post',
    path: '/api/v1/tokens',
    summary: 'Create an API token; the secret is shown once',
    tag: 'access',
    auth: 'admin',
    body: createApiTokenInput,
    success: { status: 201, description: 'The token with its secret' },
  },
  {
    method: 'delete',
    path: '/api/v1/tokens/{id}',
    summary: 'Revoke an API token',
    tag: 'access',
    auth: 'admin',
    success: { status: 204, description: 'Revoked' },
  },
  {
    method: 'get',
    path: '/api/v1/audit',
    summary: 'Who did what, when, from where',
    tag: 'access',
    auth: 'admin',
    query: page.extend({ action: z.string().optional(), objectType: z.string().optional() }),
    success: { status: 200, description: '{ items, nextCursor }' },
  },
  {
    method: 'get',
    path: '/api/v1/live',
    summary: 'Live updates (server-sent events) for the dashboard',
    tag: 'system',
    auth: 'viewer',
    success: { status: 200, description: 'text/event-stream of JSON arrays of changes' },
  },
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'End the session',
    tag: 'auth',
    auth: 'viewer',
    success: { status: 204, description: 'Signed out' },
  },
  {
    method: 'get',
    path: '/api/v1/auth/session',
    summary: 'Who is calling: user, workspace, role, workspaces',
    tag: 'auth',
    auth: 'viewer',
    success: { status: 200, description: 'The session' },
  },

  {
    method: 'get',
    path: '/api/v1/clusters',
    summary: 'List clusters, optionally by label selector',
    tag: 'clusters',
    auth: 'viewer',
    query: page.merge(selectorQuery),
    success: { status: 200, description: '{ items, nextCursor }' },
  },
  {
    method: 'post',
    path: '/api/v1/clusters',
    summary: 'Register a cluster (URL + token + CA, or a kubeconfig)',
    tag: 'clusters',
    auth: 'operator',
    body: registerClusterInput,
    success: { status: 201, description: 'The cluster; credentials are never returned' },
  },
  {
    method: 'get',
    path: '/api/v1/clusters/{id}',
    summary: 'One cluster with its connectivity',
    tag: 'clusters',
    auth: 'viewer',
    success: { status: 200, description: 'The cluster' },
  },
  {
    method: 'patch',
    path: '/api/v1/clusters/{id}',
    summary: 'Replace labels (or rename)',
    tag: 'clusters',
    auth: 'operator',
    body: updateClusterInput,
    success: { status: 200, description: 'The cluster' },
  },
  {
    method: 'delete',
    path: '/api/v1/clusters/{id}',
    summary: 'Forget a cluster (its objects stay on it)',
    tag: 'clusters',
    auth: 'operator',
    success: { status: 204, description: 'Deleted' },
  },
  {
    method: 'get',
    path: '/api/v1/clusters/{id}/deployments',
    summary: 'The bundles deployed to a cluster',
    tag: 'clusters',
    auth: 'viewer',
    success: { status: 200, description: '{ items }' },
  },
  {
    method: 'post',
    path: '/api/v1/selectors/preview',
    summary: 'The clusters a selector matches now',
    tag: 'clusters',
    auth: 'viewer',
    body: z.object({ selector }),
    success: { status: 200, description: '{ items }' },
  },

  {
    method: 'get',
    path: '/api/v1/cluster-groups',
    summary: 'List cluster groups',
    tag: 'cluster groups',
    auth: 'viewer',
    success: { status: 200, description: '{ items }' },
  },
  {
    method: 'post',
    path: '/api/v1/cluster-groups',
    summary: 'Create a cluster group',
    tag: 'cluster groups',
    auth: 'operator',
    body: clusterGroup,
    success: { status: 201, description: 'The group with clusterCount' },
  },
  {
    method: 'get',
    path: '/api/v1/cluster-groups/{id}',
    summary: 'One cluster group',
    tag: 'cluster groups',
    auth: 'viewer',
    success: { status: 200, description: 'The group' },
  },
  {
    method: 'patch',
    path: '/api/v1/cluster-groups/{id}',
    summary: 'Change a cluster group',
    tag: 'cluster groups',
    auth: 'operator',
    body: clusterGroup.partial(),
    success: { status: 200, description: 'The group' },
  },
  {
    method: 'delete',
    path: '/api/v1/cluster-groups/{id}',
    summary: 'Delete a cluster group',
    tag: 'cluster groups',
    auth: 'operator',
    success: { status: 204, description: 'Deleted' },
  },

  {
    method: 'get',
    path: '/api/v1/gitrepos',
    summary: 'List Git repositories',
    tag: 'git repos',
    auth: 'viewer',
    success: { status: 200, description: '{ items }' },
  },
  {
    method: 'post',
    path: '/api/v1/gitrepos',
    summary: 'Connect a Git repository; fetching starts at once',
    tag: 'git repos',
    auth: 'operator',
    body: createGitRepoInput,
    success: { status: 201, description: 'The repo' },
  },
  {
    method: 'get',
    path: '/api/v1/gitrepos/{id}',
    summary: 'One repository with its commit, state and bundles',
    tag: 'git repos',
    auth: 'viewer',
    success: { status: 200, description: 'The repo' },
  },
  {
    method: 'patch',
    path: '/api/v1/gitrepos/{id}',
    summary: 'Change a repository (URL, branch, paths, targets, credentials)',
    tag: 'git repos',
    auth: 'operator',
    body: updateGitRepoInput,
    success: { status: 200, description: 'The repo' },
  },
  {
    method: 'delete',
    path: '/api/v1/gitrepos/{id}',
    summary: 'Remove a repository; its bundles are pruned from the clusters',
    tag: 'git repos',
    auth: 'operator',
    success: { status: 204, description: 'Deleting' },
  },
  {
    method: 'post',
    path: '/api/v1/gitrepos/{id}/sync',
    summary: 'Fetch now',
    tag: 'git repos',
    auth: 'operator',
    success: { status: 202, description: 'Queued' },
  },
  {
    method: 'post',
    path: '/api/v1/webhooks/github',
    summary: 'GitHub push events (X-Hub-Signature-256 over the raw body)',
    tag: 'git repos',
    auth: 'public',
    success: { status: 202, description: 'Accepted; 401 bad signature; 413 too large' },
  },

  {
    method: 'get',
    path: '/api/v1/bundles',
    summary: 'List bundles with their state summary',
    tag: 'bundles',
    auth: 'viewer',
    success: { status: 200, description: '{ items }' },
  },
  {
    method: 'get',
    path: '/api/v1/bundles/{id}',
    summary: 'One bundle',
    tag: 'bundles',
    auth: 'viewer',
    success: { status: 200, description: 'The bundle' },
  },
  {
    method: 'get',
    path: '/api/v1/bundles/{id}/targets',
    summary: 'The targets in force and the clusters they select',
    tag: 'bundles',
    auth: 'viewer',
    success: { status: 200, description: '{ targets, inherited, clusters }' },
  },
  {
    method: 'put',
    path: '/api/v1/bundles/{id}/targets',
    summary: "Set the bundle's own targets (null: use the repo's)",
    tag: 'bundles',
    auth: 'operator',
    body: z.object({ targets: targetsInput.nullable() }),
    success: { status: 200, description: '{ targets, inherited, clusters }' },
  },
  {
    method: 'put',
    path: '/api/v1/bundles/{id}/pause',
    summary: 'Pause or resume a bundle',
    tag: 'bundles',
    auth: 'operator',
    body: z.object({ isPaused: z.boolean() }),
    success: { status: 200, description: 'The bundle' },
  },
  {
    method: 'get',
    path: '/api/v1/bundles/{id}/deployments',
    summary: 'Per-cluster state, revisions and resources of a bundle',
    tag: 'bundles',
    auth: 'viewer',
    success: { status: 200, description: '{ items }' },
  },
  {
    method: 'post',
    path: '/api/v1/targets/preview',
    summary: 'The clusters a list of targets would select',
    tag: 'bundles',
    auth: 'viewer',
    body: z.object({ targets: targetsInput }),
    success: { status: 200, description: '{ targets, clusters }' },
  },

  {
    method: 'get',
    path: '/api/v1/deployments/{id}',
    summary: 'One deployment (a bundle on a cluster) with resources and diffs',
    tag: 'deployments',
    auth: 'viewer',
    success: { status: 200, description: 'The deployment' },
  },
  {
    method: 'post',
    path: '/api/v1/deployments/{id}/correct-drift',
    summary: 'Re-apply what Git says now',
    tag: 'deployments',
    auth: 'operator',
    success: { status: 202, description: 'Queued' },
  },
  {
    method: 'get',
    path: '/api/v1/fleet/matrix',
    summary: 'The fleet as clusters x bundles',
    tag: 'deployments',
    auth: 'viewer',
    query: z.object({ selector: z.string().optional(), bundle: z.string().optional() }),
    success: { status: 200, description: '{ clusters, bundles, cells, summary }' },
  },
  {
    method: 'get',
    path: '/api/v1/events',
    summary: 'State changes and actions, newest first',
    tag: 'deployments',
    auth: 'viewer',
    query: page.extend({
      clusterId: z.string().optional(),
      bundleId: z.string().optional(),
      state: z.string().optional(),
    }),
    success: { status: 200, description: '{ items, nextCursor }' },
  },
];
