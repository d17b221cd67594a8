import { objectEventsQuery } from '@flotilla/core';
import type { Operation } from './operations.ts';

/** The deployment page's on-demand reads of the cluster, and its Retry. */
export const DEPLOYMENT_OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/deployments/{id}/live',
    summary:
      'Desired objects (Secret values masked) against the live ones, read by the worker on demand (at most 20 s), with the resource tree (owner references, health)',
    tag: 'deployments',
    auth: 'viewer',
    success: {
      status: 200,
      description:
        '{ deploymentId, clusterName, revision: { hash, commit } | null, objects: [{ apiVersion, kind, namespace, name, desired: { yaml, isTruncated } | null, live: { yaml, isTruncated } | null, liveError }], isTruncated, tree: [{ apiVersion, kind, namespace, name, uid, health, healthMessage, children }], treeErrors, live: { status: read, readAt } | { status: unavailable, reason: agent|offline|unreachable|timeout|failed, message } }',
    },
  },
  {
    method: 'get',
    path: '/api/v1/deployments/{id}/live/events',
    summary:
      "The cluster's events of one object in the deployment's namespaces (core/v1 Events by involvedObject), newest first, at most 50",
    tag: 'deployments',
    auth: 'viewer',
    query: objectEventsQuery,
    success: {
      status: 200,
      description:
        '{ object, events: [{ type, reason, message, count, lastSeen, source }], live: { status: read } | { status: unavailable, reason, message } }',
    },
  },
  {
    method: 'post',
    path: '/api/v1/deployments/{id}/retry',
    summary: 'Apply the revision whose apply failed again, now (ErrApplied only; else 409)',
    tag: 'deployments',
    auth: 'operator',
    success: { status: 202, description: '{ deploymentId }' },
  },
];
