import {
  agentHeartbeatInput,
  agentStateReportInput,
  exchangeRegistrationTokenInput,
  issueRegistrationTokenInput,
} from '@flotilla/core';
import { z } from 'zod';
import type { Operation } from './operations.ts';

/**
 * The agent API (docs/AGENT.md). "public" here means: not a user's session or API token. The
 * install manifest and the exchange take a registration token; the rest an agent credential
 * (Authorization: Bearer fla_...), which sees its own cluster only.
 */
export const AGENT_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/clusters/{id}/agent/registration-tokens',
    summary: 'Issue a new one-time registration token for an agent cluster',
    tag: 'agents',
    auth: 'operator',
    body: issueRegistrationTokenInput,
    success: {
      status: 201,
      description: '{ token, tokenPrefix, expiresAt, installUrl, installCommand }',
    },
  },
  {
    method: 'post',
    path: '/api/v1/clusters/{id}/agent/revoke',
    summary: "Revoke an agent cluster's credentials and unused registration tokens",
    tag: 'agents',
    auth: 'operator',
    success: { status: 200, description: '{ credentialsRevoked, tokensRevoked }' },
  },
  {
    method: 'get',
    path: '/api/v1/agent/install.yaml',
    summary: 'The manifest that installs the agent (registration token in ?token=)',
    tag: 'agents',
    auth: 'public',
    query: z.object({ token: z.string() }),
    success: { status: 200, description: 'application/yaml: Namespace, RBAC, Secret, Deployment' },
  },
  {
    method: 'post',
    path: '/api/v1/agent/register',
    summary: 'Trade a registration token for an agent credential (once)',
    tag: 'agents',
    auth: 'public',
    body: exchangeRegistrationTokenInput,
    success: { status: 201, description: '{ credential, clusterId, clusterName }' },
  },
  {
    method: 'get',
    path: '/api/v1/agent/deployments',
    summary: "The agent cluster's desired deployments (ETag; long-poll with ?wait=)",
    tag: 'agents',
    auth: 'public',
    query: z.object({ wait: z.number().int().optional() }),
    success: { status: 200, description: '{ clusterId, workspaceId, deployments }, or 304' },
  },
  {
    method: 'get',
    path: '/api/v1/agent/deployments/{id}',
    summary: "One desired deployment of the agent's cluster",
    tag: 'agents',
    auth: 'public',
    success: { status: 200, description: 'The deployment; 404 for any other cluster' },
  },
  {
    method: 'get',
    path: '/api/v1/agent/revisions/{hash}',
    summary: 'A rendered revision by sha256 (gzip, immutable)',
    tag: 'agents',
    auth: 'public',
    success: { status: 200, description: '{ hash, objects, hooks, deployOptions }' },
  },
  {
    method: 'post',
    path: '/api/v1/agent/state',
    summary: 'Report applied revisions, resources, drift and errors',
    tag: 'agents',
    auth: 'public',
    body: agentStateReportInput,
    success: { status: 200, description: '{ accepted, ignored, pruned }' },
  },
  {
    method: 'post',
    path: '/api/v1/agent/credentials',
    summary: 'Rotate the agent credential (the old one ends an hour later)',
    tag: 'agents',
    auth: 'public',
    success: { status: 201, description: '{ credential, previousExpiresAt }' },
  },
  {
    method: 'post',
    path: '/api/v1/agent/heartbeat',
    summary: 'Say the agent is alive (version, interval)',
    tag: 'agents',
    auth: 'public',
    body: agentHeartbeatInput,
    success: { status: 200, description: '{ reportRequested }' },
  },
];
