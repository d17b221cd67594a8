import type { Platform } from './testkit.ts';
import { addMember, createToken, uniqueName, type Session } from './access-helpers.ts';

export type Role = 'admin' | 'operator' | 'viewer';
export type Permission = 'read' | 'operate' | 'administer';
export type Caller =
  | 'anonymous'
  | 'revoked token'
  | 'cross-site session'
  | 'viewer'
  | 'other workspace'
  | 'operator'
  | 'admin';
export interface Call {
  path: string;
  json?: unknown;
}

export interface ProtectedRoute {
  access: Permission;
  /** Status of a successful call. */
  success: number;
  /** The call names an object of this workspace, so another workspace's caller gets 404. */
  isObjectScoped: boolean;
  /** A POST that changes nothing (previews): still walked, read access suffices. */
  isReadOnly?: boolean;
  /** Builds the request; routes that consume their object create a fresh one per call. */
  prepare: () => Promise<Call> | Call;
}
export interface PublicRoute {
  access: 'public';
  /** What a caller without a token gets for a valid request, as the route documents. */
  anonymous: { status: number; prepare: () => Call };
}
interface CatchAllRoute {
  access: 'catch-all';
}
export type RouteRow = ProtectedRoute | PublicRoute | CatchAllRoute;

const ALLOWED: Readonly<Record<Permission, readonly Role[]>> = {
  read: ['viewer', 'operator', 'admin'],
  operate: ['operator', 'admin'],
  administer: ['admin'],
};
/** Refused callers first: a successful DELETE must not remove what the next caller needs. */
export const CALLERS: readonly Caller[] = [
  'anonymous',
  'revoked token',
  'cross-site session',
  'viewer',
  'other workspace',
  'operator',
  'admin',
];
export const FOREIGN_ORIGIN = 'https://attacker.example';

export function expectedStatus(row: ProtectedRoute, caller: Caller): number {
  switch (caller) {
    case 'anonymous':
    case 'revoked token':
      return 401;
    case 'cross-site session':
      return 403;
    case 'other workspace':
      return row.isObjectScoped ? 404 : row.success;
    case 'viewer':
    case 'operator':
    case 'admin':
      return ALLOWED[row.access].includes(caller) ? row.success : 403;
  }
}

/** What the table's requests need: the platform, workspace A's objects, and ways to make fresh ones. */
export interface TableFixtures {
  platform: Platform;
  ids: Record<
    | 'workspace'
    | 'cluster'
    | 'group'
    | 'gitRepo'
    | 'bundle'
    | 'deployment'
    | 'notificationRule'
    | 'pullRequestPreview',
    string
  >;
  adminToken: string;
  repoUrl: string;
  adminSession: Session;
  newCluster: () => Promise<string>;
  newGroup: () => Promise<string>;
  newGitRepo: () => Promise<string>;
}

/**
 * Every mutating endpoint and the least permission it needs. A route missing here fails the
 * test that compares this table with the route files, so a new endpoint cannot go unchecked.
 */
/** `f` is read when a request is prepared: beforeAll fills it in after the table is built. */
export function routeTable(f: TableFixtures): Readonly<Record<string, RouteRow>> {
  // Sync windows that target no cluster, so they hold back nothing the other rows do.
  const syncWindowBody = () => ({
    name: uniqueName('w'),
    kind: 'deny',
    schedule: '0 22 * * *',
    duration: '1h',
    targets: [{ clusterName: 'no-such-cluster' }],
  });
  const newSyncWindow = () =>
    f.platform
      .api('/api/v1/sync-windows', { token: f.adminToken, json: syncWindowBody() })
      .then(async (response) => ((await response.json()) as { id: string }).id);
  let syncWindow: Promise<string> | undefined;
  // Rules that send to a loopback port nothing listens on: a test message only fails, logged.
  const notificationRuleBody = () => ({
    name: uniqueName('n'),
    events: ['deployment.ErrApplied'],
    destination: { kind: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 'x'.repeat(32) },
  });
  const newNotificationRule = () =>
    f.platform
      .api('/api/v1/notifications/rules', { token: f.adminToken, json: notificationRuleBody() })
      .then(async (response) => ((await response.json()) as { id: string }).id);
  const bundleCommit = () =>
    f.platform
      .api(`/api/v1/bundles/${f.ids.bundle}`, { token: f.adminToken })
      .then(async (response) => ((await response.json()) as { commit: string }).commit);
  // One agent cluster of workspace A, made on first use (tokens and revokes may repeat on it).
  let agentCluster: Promise<string> | undefined;
  const agentClusterId = () =>
    (agentCluster ??= f.platform
      .api('/api/v1/clusters', {
        token: f.adminToken,
        json: { connectionKind: 'agent', name: uniqueName('agent') },
      })
      .then(async (response) => ((await response.json()) as { id: string }).id));
  const refusedAgentCall = (path: string, json: unknown): PublicRoute => ({
    // Authenticated by an agent credential or a registration token: users' tokens are neither.
    access: 'public',
    anonymous: { status: 401, prepare: () => ({ path, json }) },
  });
  return {
    'POST /agent/register': refusedAgentCall('/agent/register', { token: `flr_${'x'.repeat(40)}` }),
    'POST /agent/state': refusedAgentCall('/agent/state', { deployments: [] }),
    'POST /agent/credentials': refusedAgentCall('/agent/credentials', {}),
    'POST /agent/heartbeat': refusedAgentCall('/agent/heartbeat', {
      agentVersion: '0.1.0',
      heartbeatSeconds: 30,
    }),
    'POST /clusters/[id]/agent/registration-tokens': {
      access: 'operate',
      success: 201,
      isObjectScoped: true,
      prepare: async () => ({
        path: `/clusters/${await agentClusterId()}/agent/registration-tokens`,
        json: {},
      }),
    },
    'POST /clusters/[id]/agent/revoke': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: async () => ({ path: `/clusters/${await agentClusterId()}/agent/revoke` }),
    },
    'DELETE /[...path]': { access: 'catch-all' },
    'PATCH /[...path]': { access: 'catch-all' },
    'POST /[...path]': { access: 'catch-all' },
    'PUT /[...path]': { access: 'catch-all' },
    'POST /auth/login': {
      access: 'public',
      anonymous: {
        status: 200,
        prepare: () => ({
          path: '/auth/login',
          json: { email: f.platform.adminEmail, password: f.platform.adminPassword },
        }),
      },
    },
    'POST /webhooks/github': {
      // Authenticated by the delivery's signature: none is a bad one.
      access: 'public',
      anonymous: {
        status: 401,
        prepare: () => ({ path: '/webhooks/github', json: { ref: 'refs/heads/main' } }),
      },
    },
    'POST /auth/logout': {
      access: 'read',
      success: 204,
      isObjectScoped: false,
      prepare: () => ({ path: '/auth/logout' }),
    },
    'POST /auth/workspace': {
      access: 'read',
      success: 200,
      isObjectScoped: true,
      prepare: () => ({ path: '/auth/workspace', json: { workspaceId: f.ids.workspace } }),
    },
    'POST /selectors/preview': {
      access: 'read',
      isReadOnly: true,
      success: 200,
      isObjectScoped: false,
      prepare: () => ({ path: '/selectors/preview', json: { selector: 'team=a' } }),
    },
    'POST /targets/preview': {
      access: 'read',
      isReadOnly: true,
      success: 200,
      isObjectScoped: false,
      prepare: () => ({
        path: '/targets/preview',
        json: { targets: [{ clusterSelector: { matchLabels: { team: 'a' } } }] },
      }),
    },
    'PUT /bundles/[id]/pause': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: () => ({ path: `/bundles/${f.ids.bundle}/pause`, json: { isPaused: false } }),
    },
    'PUT /bundles/[id]/pin': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      // Pinned to the commit it renders now: a pin that changes nothing the fleet runs.
      prepare: async () => ({
        path: `/bundles/${f.ids.bundle}/pin`,
        json: { commit: await bundleCommit() },
      }),
    },
    'DELETE /bundles/[id]/pin': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: () => ({ path: `/bundles/${f.ids.bundle}/pin` }),
    },
    'PUT /bundles/[id]/targets': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: () => ({ path: `/bundles/${f.ids.bundle}/targets`, json: { targets: null } }),
    },
    'POST /cluster-groups': {
      access: 'operate',
      success: 201,
      isObjectScoped: false,
      prepare: () => ({
        path: '/cluster-groups',
        json: { name: uniqueName('g'), selector: 'team=a' },
      }),
    },
    'PATCH /cluster-groups/[id]': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: () => ({
        path: `/cluster-groups/${f.ids.group}`,
        json: { labels: { tier: 'gold' } },
      }),
    },
    'DELETE /cluster-groups/[id]': {
      access: 'operate',
      success: 204,
      isObjectScoped: true,
      prepare: async () => ({ path: `/cluster-groups/${await f.newGroup()}` }),
    },
    'POST /sync-windows': {
      access: 'operate',
      success: 201,
      isObjectScoped: false,
      prepare: () => ({ path: '/sync-windows', json: syncWindowBody() }),
    },
    'PATCH /sync-windows/[id]': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: async () => ({
        path: `/sync-windows/${await (syncWindow ??= newSyncWindow())}`,
        json: { duration: '2h' },
      }),
    },
    'DELETE /sync-windows/[id]': {
      access: 'operate',
      success: 204,
      isObjectScoped: true,
      prepare: async () => ({ path: `/sync-windows/${await newSyncWindow()}` }),
    },
    'POST /notifications/rules': {
      access: 'operate',
      success: 201,
      isObjectScoped: false,
      prepare: () => ({ path: '/notifications/rules', json: notificationRuleBody() }),
    },
    'PATCH /notifications/rules/[id]': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: () => ({
        path: `/notifications/rules/${f.ids.notificationRule}`,
        json: { windowSeconds: 20 },
      }),
    },
    'DELETE /notifications/rules/[id]': {
      access: 'operate',
      success: 204,
      isObjectScoped: true,
      prepare: async () => ({ path: `/notifications/rules/${await newNotificationRule()}` }),
    },
    'POST /notifications/rules/[id]/test': {
      access: 'operate',
      success: 202,
      isObjectScoped: true,
      prepare: () => ({ path: `/notifications/rules/${f.ids.notificationRule}/test` }),
    },
    'POST /clusters': {
      access: 'operate',
      success: 201,
      isObjectScoped: false,
      prepare: () => ({
        path: '/clusters',
        json: { name: uniqueName('c'), apiServerUrl: 'https://127.0.0.1:1', token: 'unused' },
      }),
    },
    'PATCH /clusters/[id]': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: () => ({ path: `/clusters/${f.ids.cluster}`, json: { labels: { team: 'a' } } }),
    },
    'POST /clusters/test-connection': {
      // Saves nothing, but opens a cluster's stored token to reach it: operators only.
      access: 'operate',
      isReadOnly: true,
      success: 200,
      isObjectScoped: true,
      prepare: () => ({ path: '/clusters/test-connection', json: { clusterId: f.ids.cluster } }),
    },
    'DELETE /clusters/[id]': {
      access: 'operate',
      success: 204,
      isObjectScoped: true,
      prepare: async () => ({ path: `/clusters/${await f.newCluster()}` }),
    },
    'POST /deployments/[id]/confirm-prune': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: () => ({ path: `/deployments/${f.ids.deployment}/confirm-prune` }),
    },
    'POST /bundles/[id]/confirm-prune': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: () => ({ path: `/bundles/${f.ids.bundle}/confirm-prune` }),
    },
    // The fixture bundle's rollout is not halted: a permitted caller gets past authorization
    // to the rollout check (409); test/rollout-halt.test.ts of the worker promotes and retries.
    'POST /bundles/[id]/rollout/promote': {
      access: 'operate',
      success: 409,
      isObjectScoped: true,
      prepare: () => ({ path: `/bundles/${f.ids.bundle}/rollout/promote` }),
    },
    'POST /bundles/[id]/rollout/retry': {
      access: 'operate',
      success: 409,
      isObjectScoped: true,
      prepare: () => ({ path: `/bundles/${f.ids.bundle}/rollout/retry` }),
    },
    'POST /deployments/[id]/correct-drift': {
      access: 'operate',
      success: 202,
      isObjectScoped: true,
      prepare: () => ({ path: `/deployments/${f.ids.deployment}/correct-drift` }),
    },
    // Per-item results: the fixture deployment's item may be refused (409, nothing applied
    // yet), another workspace's caller gets 200 with that item not found.
    'POST /fleet/actions': {
      access: 'operate',
      success: 200,
      isObjectScoped: false,
      prepare: async () => {
        const deployment = await f.platform.api(`/api/v1/deployments/${f.ids.deployment}`, {
          token: f.adminToken,
        });
        const { bundleId, clusterId } = (await deployment.json()) as {
          bundleId: string;
          clusterId: string;
        };
        return {
          path: '/fleet/actions',
          json: { action: 'correct-drift', deployments: [{ bundleId, clusterId }] },
        };
      },
    },
    // The fixture deployment's apply has not failed: a permitted caller gets past authorization
    // to the state check (409); e2e/deployment-page.test.ts retries a real failed apply.
    'POST /deployments/[id]/retry': {
      access: 'operate',
      success: 409,
      isObjectScoped: true,
      prepare: () => ({ path: `/deployments/${f.ids.deployment}/retry` }),
    },
    'POST /gitrepos': {
      access: 'operate',
      success: 201,
      isObjectScoped: false,
      prepare: () => ({ path: '/gitrepos', json: { name: uniqueName('r'), url: f.repoUrl } }),
    },
    'PATCH /gitrepos/[id]': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: () => ({ path: `/gitrepos/${f.ids.gitRepo}`, json: { pollIntervalSeconds: 120 } }),
    },
    'POST /gitrepos/test-connection': {
      // Saves nothing, but the worker opens a repo's stored credentials for it: operators only.
      access: 'operate',
      isReadOnly: true,
      success: 200,
      isObjectScoped: true,
      prepare: () => ({ path: '/gitrepos/test-connection', json: { gitRepoId: f.ids.gitRepo } }),
    },
    'DELETE /gitrepos/[id]': {
      access: 'operate',
      success: 204,
      isObjectScoped: true,
      prepare: async () => ({ path: `/gitrepos/${await f.newGitRepo()}` }),
    },
    'POST /gitrepos/[id]/confirm-removal': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: () => ({ path: `/gitrepos/${f.ids.gitRepo}/confirm-removal` }),
    },
    'PUT /gitrepos/[id]/github': {
      access: 'operate',
      success: 200,
      isObjectScoped: true,
      prepare: () => ({
        path: `/gitrepos/${f.ids.gitRepo}/github`,
        json: { authKind: 'token', token: 'ghp_route_table', repository: 'acme/fleet' },
      }),
    },
    'DELETE /gitrepos/[id]/github': {
      access: 'operate',
      success: 204,
      isObjectScoped: true,
      prepare: async () => {
        const gitRepoId = await f.newGitRepo();
        const response = await f.platform.api(`/api/v1/gitrepos/${gitRepoId}/github`, {
          token: f.adminToken,
          method: 'PUT',
          json: { authKind: 'token', token: 'ghp_route_table', repository: 'acme/fleet' },
        });
        if (response.status !== 200) throw new Error(`connecting GitHub: ${response.status}`);
        return { path: `/gitrepos/${gitRepoId}/github` };
      },
    },
    'POST /gitrepos/[id]/sync': {
      access: 'operate',
      success: 202,
      isObjectScoped: true,
      prepare: () => ({ path: `/gitrepos/${f.ids.gitRepo}/sync` }),
    },
    'POST /workspaces': {
      access: 'administer',
      success: 201,
      isObjectScoped: false,
      prepare: () => ({ path: '/workspaces', json: { name: uniqueName('ws') } }),
    },
    'POST /members': {
      access: 'administer',
      success: 201,
      isObjectScoped: false,
      prepare: () => ({
        path: '/members',
        json: {
          email: `${uniqueName('m')}@example.com`,
          role: 'viewer',
          password: 'correct horse battery',
        },
      }),
    },
    'PATCH /members/[id]': {
      access: 'administer',
      success: 200,
      isObjectScoped: true,
      prepare: async () => ({
        path: `/members/${(await addMember(f.platform, f.adminToken, 'viewer')).id}`,
        json: { role: 'operator' },
      }),
    },
    'DELETE /members/[id]': {
      access: 'administer',
      success: 204,
      isObjectScoped: true,
      prepare: async () => ({
        path: `/members/${(await addMember(f.platform, f.adminToken, 'viewer')).id}`,
      }),
    },
    'POST /tokens': {
      access: 'administer',
      success: 201,
      isObjectScoped: false,
      prepare: () => ({ path: '/tokens', json: { name: uniqueName('t'), role: 'viewer' } }),
    },
    'DELETE /tokens/[id]': {
      access: 'administer',
      success: 204,
      isObjectScoped: true,
      prepare: async () => ({
        path: `/tokens/${(await createToken(f.platform, f.adminSession, 'viewer')).id}`,
      }),
    },
  };
}
