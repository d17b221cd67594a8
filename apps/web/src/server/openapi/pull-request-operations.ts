import { listPullRequestPreviewsQuery } from '@flotilla/core';
import type { Operation } from './operations.ts';

/** Pull-request previews (docs/GITHUB.md): read-only; the worker makes them from webhooks. */
export const PULL_REQUEST_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/pull-requests',
    summary:
      'List pull-request previews (repo, PR number, title, head sha, check conclusion, bundles changed, clusters affected); open ones unless state=all',
    tag: 'pull-requests',
    auth: 'viewer',
    query: listPullRequestPreviewsQuery,
    success: { status: 200, description: '{ items }' },
  },
  {
    method: 'get',
    path: '/api/v1/pull-requests/{id}',
    summary:
      'A pull-request preview: per bundle and customization, the clusters it would change, render errors and the unified diffs against the desired revisions',
    tag: 'pull-requests',
    auth: 'viewer',
    success: { status: 200, description: 'The preview' },
  },
];
