import {
  BUNDLE_SORTS,
  CLUSTER_SORTS,
  createGitRepoInput,
  EVENT_SORTS,
  GIT_REPO_SORTS,
  FLEET_ACTION_MAX_ITEMS,
  fleetActionInput,
  githubConnectionInput,
  registerClusterInput,
  syncWindowInput,
  targetsInput,
  testClusterConnectionInput,
  testGitRepoConnectionInput,
  updateClusterInput,
  updateGitRepoInput,
} from '@flotilla/core';
import { z } from 'zod';
import type { Operation } from './operations.ts';
import { clusterGroup, page, selector, selectorQuery } from './shared.ts';

/** A sync window as the API takes it (targets as bundles and repos have them). */
const syncWindow = syncWindowInput.extend({ targets: targetsInput.min(1) });

/** Clusters, groups, repos, bundles, deployments, the fleet and the system endpoints. */
export const FLEET_OPERATIONS: Operation[] = [
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
    path: '/api/v1/health/live',
    summary: 'Liveness: the process answers (asks no dependency)',
    tag: 'system',
    auth: 'public',
    success: { status: 200, description: '{ status: "ok" }' },
  },
  {
    method: 'get',
    path: '/api/v1/health/ready',
    summary: 'Readiness: PostgreSQL and Redis answer',
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
    method: 'get',
    path: '/api/v1/search',
    summary: 'Search clusters, bundles and repositories by name or cluster label (key=value)',
    tag: 'search',
    auth: 'viewer',
    query: z.object({
      q: z
        .string()
        .min(1)
        .max(256)
        .describe(
          'At most 8 words (each in the name or a cluster label, any case) and key=value labels; all must match',
        ),
      limit: z.number().int().min(1).max(50).optional().describe('Results per kind (default 8)'),
    }),
    success: { status: 200, description: '{ items: [{ kind, id, name, detail, labels }] }' },
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
    method: 'get',
    path: '/api/v1/clusters',
    summary: 'List clusters, optionally by name, label selector and sort order',
    tag: 'clusters',
    auth: 'viewer',
    query: page.merge(selectorQuery).extend({
      q: z.string().max(253).optional().describe('Part of the name, any case'),
      sort: z
        .enum(CLUSTER_SORTS)
        .optional()
        .describe('Column to sort by (default name); a leading - sorts descending'),
    }),
    success: { status: 200, description: '{ items, nextCursor }' },
  },
  {
    method: 'post',
    path: '/api/v1/clusters',
    summary:
      'Register a cluster (URL + token + CA, or a kubeconfig; or connectionKind "agent" with name and labels: the answer carries a one-time registration token and install command)',
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
    summary:
      'Replace labels, rename, or change how a direct cluster is reached (apiServerUrl, caData, token: write-only, replaced and never returned; a probe follows)',
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
    method: 'post',
    path: '/api/v1/clusters/test-connection',
    summary:
      "Test a connection without saving it (GET /version): the register form's URL + token + CA or kubeconfig, or clusterId with the fields being changed (the stored token fills in)",
    tag: 'clusters',
    auth: 'operator',
    body: testClusterConnectionInput,
    success: {
      status: 200,
      description:
        '{ ok: true, kubernetesVersion, message } or { ok: false, reason, message }; 422 names a bad field',
    },
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
    summary: 'One cluster group, with its member clusters and the bundles that target it',
    tag: 'cluster groups',
    auth: 'viewer',
    success: {
      status: 200,
      description:
        'The group with clusters (members by name, at most 500; clusterCount counts all) and bundles ([{ id, name, gitRepoId, gitRepoName, targetIndex, isInherited }]: a target names the group or selects it by its labels)',
    },
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
    path: '/api/v1/sync-windows',
    summary: 'List sync windows (with isActive: open now)',
    tag: 'sync windows',
    auth: 'viewer',
    success: { status: 200, description: '{ items }' },
  },
  {
    method: 'post',
    path: '/api/v1/sync-windows',
    summary:
      'Create a sync window: allow or deny changes to the clusters its targets match, from each cron schedule time (in timeZone) for duration',
    tag: 'sync windows',
    auth: 'operator',
    body: syncWindow,
    success: { status: 201, description: 'The window; every bundle is planned again' },
  },
  {
    method: 'patch',
    path: '/api/v1/sync-windows/{id}',
    summary: 'Change a sync window',
    tag: 'sync windows',
    auth: 'operator',
    body: syncWindow.partial(),
    success: { status: 200, description: 'The window' },
  },
  {
    method: 'delete',
    path: '/api/v1/sync-windows/{id}',
    summary: 'Delete a sync window (what it held is planned again)',
    tag: 'sync windows',
    auth: 'operator',
    success: { status: 204, description: 'Deleted' },
  },

  {
    method: 'get',
    path: '/api/v1/gitrepos',
    summary: 'List Git repositories, optionally by name and sort order',
    tag: 'git repos',
    auth: 'viewer',
    query: z.object({
      q: z.string().max(253).optional().describe('Part of the name, any case'),
      sort: z
        .enum(GIT_REPO_SORTS)
        .optional()
        .describe('Column to sort by (default name); a leading - sorts descending'),
    }),
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
    path: '/api/v1/gitrepos/test-connection',
    summary:
      "Test a repository without saving it (git ls-remote, run by the worker): the connect form's URL, branch or revision and credentials, or gitRepoId with the fields being changed (the stored credentials fill in)",
    tag: 'git repos',
    auth: 'operator',
    body: testGitRepoConnectionInput,
    success: {
      status: 200,
      description:
        '{ ok: true, commit, message } (commit: the branch or tag head; null for a pinned commit) or { ok: false, reason, message }; 404 for an unknown gitRepoId; 422 names a bad field',
    },
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
    path: '/api/v1/gitrepos/{id}/confirm-removal',
    summary:
      "Let the repo's current commit remove more than the allowed share of its bundles (that commit only)",
    tag: 'git repos',
    auth: 'operator',
    success: { status: 200, description: '{ confirmedCommit }; a sync is queued' },
  },
  {
    method: 'get',
    path: '/api/v1/gitrepos/{id}/github',
    summary: "The repo's GitHub connection (never its secret) and its latest commit statuses",
    tag: 'git repos',
    auth: 'viewer',
    success: { status: 200, description: '{ connection, statuses }' },
  },
  {
    method: 'put',
    path: '/api/v1/gitrepos/{id}/github',
    summary:
      'Connect the repo to GitHub (a token, or a GitHub App: app id, installation id, private key), or replace the connection',
    tag: 'git repos',
    auth: 'operator',
    body: githubConnectionInput,
    success: { status: 200, description: '{ connection, statuses }' },
  },
  {
    method: 'delete',
    path: '/api/v1/gitrepos/{id}/github',
    summary: 'Disconnect the repo from GitHub (no more commit statuses)',
    tag: 'git repos',
    auth: 'operator',
    success: { status: 204, description: 'Disconnected' },
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
    summary: 'List bundles with their state summary, optionally by name and sort order',
    tag: 'bundles',
    auth: 'viewer',
    query: z.object({
      q: z.string().max(253).optional().describe('Part of the name, any case'),
      sort: z
        .enum(BUNDLE_SORTS)
        .optional()
        .describe('Column to sort by (default name); a leading - sorts descending'),
    }),
    success: { status: 200, description: '{ items }' },
  },
  {
    method: 'get',
    path: '/api/v1/bundles/{id}',
    summary: 'One bundle',
    tag: 'bundles',
    auth: 'viewer',
    success: {
      status: 200,
      description:
        'The bundle, with `renders`: for each customization at the deploying commit (and at a newer commit that failed), `{ commit, customization, revision, chart: { name, version, appVersion, source } | null, values, error: { message, locations: [{ file, line, column }] } | null, renderedAt }`. `source` is `{ kind: folder|generated|archive, path }`, `{ kind: repository, url, chart, version }`, `{ kind: oci, ref, version }` or `{ kind: url, url }`, never with credentials; `values` are the values over the chart defaults in Helm order, with values under password/token/secret/key-like names and everything from a `secretKeyRef` shown as `*****`. `rollout` (null before the bundle is planned at its commit): `{ commit, partitions: [{ name, clusters, clusterIds, upToDate, done, ready, failing, inProgress, waiting, isWaiting, isPromoted }], halted: { partition, of, name, failing: [{ clusterId, clusterName, message }] } | null, promotedPartitions }`. `pin` (null when not pinned): `{ commit, by, at, isHoldingBack }`, the commit every cluster is held at (PUT /api/v1/bundles/{id}/pin).',
    },
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
    method: 'put',
    path: '/api/v1/bundles/{id}/pin',
    summary:
      'Roll back: pin the bundle to an earlier commit it rendered; every cluster gets that commit and newer commits are held back until the pin is released (audited)',
    tag: 'bundles',
    auth: 'operator',
    body: z.object({
      commit: z.string().describe('the commit SHA, or an unambiguous prefix of 7 or more'),
    }),
    success: {
      status: 200,
      description:
        'The bundle, with `pin: { commit, by, at, isHoldingBack }`; 422 naming `commit` when the bundle has no revision of that commit',
    },
  },
  {
    method: 'delete',
    path: '/api/v1/bundles/{id}/pin',
    summary: "Release the bundle's pin: it follows its latest commit again (audited)",
    tag: 'bundles',
    auth: 'operator',
    success: { status: 200, description: 'The bundle, with `pin: null`' },
  },
  {
    method: 'post',
    path: '/api/v1/bundles/{id}/confirm-prune',
    summary:
      'Let every deployment held by a revision with no objects delete all its objects (that revision only)',
    tag: 'bundles',
    auth: 'operator',
    success: { status: 200, description: '{ confirmed }: how many deployments it released' },
  },
  {
    method: 'post',
    path: '/api/v1/bundles/{id}/rollout/promote',
    summary:
      'Let the halted rollout of the current commit go on past the halted partition (a new commit starts a rollout that may halt again)',
    tag: 'bundles',
    auth: 'operator',
    success: { status: 200, description: 'The bundle; 409 when its rollout is not halted' },
  },
  {
    method: 'post',
    path: '/api/v1/bundles/{id}/rollout/retry',
    summary: 'Queue the deploys of the failing clusters of the halted partition again',
    tag: 'bundles',
    auth: 'operator',
    success: { status: 200, description: 'The bundle; 409 when its rollout is not halted' },
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
    success: {
      status: 200,
      description:
        "The deployment, with `renders`: its customization at the desired commit (the chart and masked values in effect on this cluster) and at the bundle's newer commit when that one failed, shaped as in GET /api/v1/bundles/{id}, and `pin`: the bundle's pin `{ commit, by, at, isHoldingBack }` or null",
    },
  },
  {
    method: 'get',
    path: '/api/v1/deployments/{id}/history',
    summary: 'The revisions applied to this deployment, newest first',
    tag: 'deployments',
    auth: 'viewer',
    success: {
      status: 200,
      description:
        '{ items: [{ id, commit, revisionHash, customization, result: applied|failed, error, trigger: commit|drift|retry|rollback, at }] }: the last FLOTILLA_HISTORY_PER_DEPLOYMENT applies',
    },
  },
  {
    method: 'post',
    path: '/api/v1/deployments/{id}/correct-drift',
    summary:
      'Re-apply what Git says now (a manual sync: outside a sync window only when the window has manualSync, audited; else 409 naming it)',
    tag: 'deployments',
    auth: 'operator',
    success: { status: 202, description: 'Queued' },
  },
  {
    method: 'post',
    path: '/api/v1/deployments/{id}/confirm-prune',
    summary:
      'Let a deployment held by a revision with no objects delete all its objects (that revision only)',
    tag: 'deployments',
    auth: 'operator',
    success: { status: 200, description: 'The deployment (unchanged when nothing was held)' },
  },
  {
    method: 'get',
    path: '/api/v1/fleet/matrix',
    summary: 'The fleet as clusters x bundles',
    tag: 'deployments',
    auth: 'viewer',
    query: z.object({
      selector: z.string().optional(),
      bundle: z.string().optional(),
      format: z.enum(['full', 'compact']).optional(),
    }),
    success: {
      status: 200,
      description:
        '{ clusters, bundles, cells, summary }; with format=compact { format, legend, clusters, ' +
        'bundles (each with its summary, isPaused and renderError), rows (one letter per bundle ' +
        'per cluster), summary } ' +
        'with a strong ETag: If-None-Match answers 304 while no cell, cluster or bundle changed',
    },
  },
  {
    method: 'post',
    path: '/api/v1/fleet/actions',
    summary:
      'One action over many deployments (correct-drift, retry a failed apply) or bundles (pause, resume), ' +
      `at most ${FLEET_ACTION_MAX_ITEMS} items; each item is checked and audited as its own endpoint does`,
    tag: 'deployments',
    auth: 'operator',
    body: fleetActionInput,
    success: {
      status: 200,
      description:
        '{ action, requested, done, failed, items: [{ bundleId, clusterId?, isDone, deploymentId?, ' +
        'error?: { code, message } }] }: one failing item never stops the others',
    },
  },
  {
    method: 'get',
    path: '/api/v1/events',
    summary: 'State changes and actions, newest first unless sorted; filter by text',
    tag: 'deployments',
    auth: 'viewer',
    query: page.extend({
      clusterId: z.string().optional(),
      bundleId: z.string().optional(),
      state: z.string().optional(),
      q: z.string().max(256).optional().describe('Text in the message or the event type, any case'),
      sort: z.enum(EVENT_SORTS).optional().describe('-at (newest first, the default) or at'),
    }),
    success: { status: 200, description: '{ items, nextCursor }' },
  },
];
