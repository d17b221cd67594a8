import type { Caller, Permission, Role } from './route-table.ts';

/** Workspace A's objects, by the ids its admin created. */
export type FixtureIds = Record<
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

export interface ReadRoute {
  access: Permission | 'public';
  /** The path names one object of workspace A: another workspace's caller gets 404. */
  isObjectScoped: boolean;
  /** A live event stream: check the status and its first bytes, then close it. */
  isStream?: boolean;
  path: (ids: FixtureIds) => string;
  /** A public route's answer to every caller when it is not 200. */
  publicStatus?: number;
}

/**
 * Every GET endpoint and the least permission it needs. Lists are not object-scoped: another
 * workspace's caller gets 200 with its own (empty) data, and the test checks that no id of
 * workspace A appears in what it gets. Filters that name A's objects (events by cluster,
 * matrix by bundle) must come back empty for B, not filtered from A's rows.
 */
export function readRouteTable(): Readonly<Record<string, ReadRoute | { access: 'catch-all' }>> {
  const list = (access: Permission, path: string): ReadRoute => ({
    access,
    isObjectScoped: false,
    path: () => path,
  });
  const object = (path: (ids: FixtureIds) => string): ReadRoute => ({
    access: 'read',
    isObjectScoped: true,
    path,
  });
  return {
    'GET /[...path]': { access: 'catch-all' },
    'GET /health': { access: 'public', isObjectScoped: false, path: () => '/health' },
    'GET /health/live': { access: 'public', isObjectScoped: false, path: () => '/health/live' },
    'GET /health/ready': { access: 'public', isObjectScoped: false, path: () => '/health/ready' },
    // Single sign-on is not configured on the test platform: both steps answer 404 to anyone
    // (the flow itself is tested with a real issuer beside the OIDC code).
    'GET /auth/oidc/login': {
      access: 'public',
      isObjectScoped: false,
      publicStatus: 404,
      path: () => '/auth/oidc/login',
    },
    'GET /auth/oidc/callback': {
      access: 'public',
      isObjectScoped: false,
      publicStatus: 404,
      path: () => '/auth/oidc/callback?code=x&state=y',
    },
    'GET /openapi.json': { access: 'public', isObjectScoped: false, path: () => '/openapi.json' },
    // The agent API takes an agent credential (or a registration token), never a user's.
    'GET /agent/install.yaml': {
      access: 'public',
      isObjectScoped: false,
      publicStatus: 401,
      path: () => `/agent/install.yaml?token=flr_${'x'.repeat(40)}`,
    },
    'GET /agent/deployments': {
      access: 'public',
      isObjectScoped: false,
      publicStatus: 401,
      path: () => '/agent/deployments',
    },
    'GET /agent/deployments/[id]': {
      access: 'public',
      isObjectScoped: false,
      publicStatus: 401,
      path: ({ deployment }) => `/agent/deployments/${deployment}`,
    },
    'GET /agent/revisions/[hash]': {
      access: 'public',
      isObjectScoped: false,
      publicStatus: 401,
      path: () => `/agent/revisions/${'a'.repeat(64)}`,
    },
    'GET /auth/session': list('read', '/auth/session'),
    'GET /workspaces': list('read', '/workspaces'),
    'GET /clusters': list('read', '/clusters?q=c&sort=-name'),
    // Names of A's fixtures start with their kind's letter: B must find none of them.
    'GET /search': list('read', '/search?q=c'),
    'GET /cluster-groups': list('read', '/cluster-groups'),
    'GET /sync-windows': list('read', '/sync-windows'),
    'GET /notifications/rules': list('read', '/notifications/rules'),
    'GET /pull-requests': list('read', '/pull-requests?state=all'),
    'GET /gitrepos': list('read', '/gitrepos?q=r&sort=-name'),
    'GET /bundles': list('read', '/bundles?sort=path'),
    'GET /fleet/matrix': list('read', '/fleet/matrix'),
    'GET /events': {
      access: 'read',
      isObjectScoped: false,
      path: ({ cluster, bundle }) => `/events?clusterId=${cluster}&bundleId=${bundle}`,
    },
    'GET /live': { access: 'read', isObjectScoped: false, isStream: true, path: () => '/live' },
    // Admin-only lists: a viewer or an operator gets 403, never a list.
    'GET /audit': list('administer', '/audit'),
    'GET /members': list('administer', '/members'),
    'GET /tokens': list('administer', '/tokens'),
    'GET /clusters/[id]': object(({ cluster }) => `/clusters/${cluster}`),
    'GET /clusters/[id]/deployments': object(({ cluster }) => `/clusters/${cluster}/deployments`),
    'GET /cluster-groups/[id]': object(({ group }) => `/cluster-groups/${group}`),
    'GET /gitrepos/[id]': object(({ gitRepo }) => `/gitrepos/${gitRepo}`),
    'GET /gitrepos/[id]/github': object(({ gitRepo }) => `/gitrepos/${gitRepo}/github`),
    'GET /bundles/[id]': object(({ bundle }) => `/bundles/${bundle}`),
    'GET /bundles/[id]/deployments': object(({ bundle }) => `/bundles/${bundle}/deployments`),
    'GET /bundles/[id]/targets': object(({ bundle }) => `/bundles/${bundle}/targets`),
    'GET /deployments/[id]': object(({ deployment }) => `/deployments/${deployment}`),
    'GET /deployments/[id]/history': object(
      ({ deployment }) => `/deployments/${deployment}/history`,
    ),
    // Read by the worker on demand; the fixture cluster does not answer, which the answer says.
    'GET /deployments/[id]/live': object(({ deployment }) => `/deployments/${deployment}/live`),
    'GET /deployments/[id]/live/events': object(
      ({ deployment }) =>
        `/deployments/${deployment}/live/events?apiVersion=v1&kind=ConfigMap&namespace=access-test&name=settings`,
    ),
    'GET /notifications/rules/[id]': object(
      ({ notificationRule }) => `/notifications/rules/${notificationRule}`,
    ),
    'GET /pull-requests/[id]': object(
      ({ pullRequestPreview }) => `/pull-requests/${pullRequestPreview}`,
    ),
    'GET /notifications/rules/[id]/deliveries': object(
      ({ notificationRule }) => `/notifications/rules/${notificationRule}/deliveries`,
    ),
  };
}

const ALLOWED: Readonly<Record<Permission, readonly Role[]>> = {
  read: ['viewer', 'operator', 'admin'],
  operate: ['operator', 'admin'],
  administer: ['admin'],
};

/** Reads need no Origin check (no other site can read the answer): the cookie's role decides. */
export function expectedReadStatus(row: ReadRoute, caller: Caller): number {
  if (row.access === 'public') return row.publicStatus ?? 200;
  switch (caller) {
    case 'anonymous':
    case 'revoked token':
      return 401;
    case 'cross-site session':
      return 200;
    case 'other workspace':
      return row.isObjectScoped ? 404 : 200;
    case 'viewer':
    case 'operator':
    case 'admin':
      return ALLOWED[row.access].includes(caller) ? 200 : 403;
  }
}
