import type { z } from 'zod';
import { ACCESS_OPERATIONS } from './access-operations.ts';
import { AGENT_OPERATIONS } from './agent-operations.ts';
import { DEPLOYMENT_OPERATIONS } from './deployment-operations.ts';
import { FLEET_OPERATIONS } from './fleet-operations.ts';
import { NOTIFICATION_OPERATIONS } from './notification-operations.ts';
import { PULL_REQUEST_OPERATIONS } from './pull-request-operations.ts';

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

export const OPERATIONS: Operation[] = [
  ...FLEET_OPERATIONS,
  ...DEPLOYMENT_OPERATIONS,
  ...ACCESS_OPERATIONS,
  ...AGENT_OPERATIONS,
  ...NOTIFICATION_OPERATIONS,
  ...PULL_REQUEST_OPERATIONS,
];
