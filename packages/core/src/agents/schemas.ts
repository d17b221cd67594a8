import { HEALTH_STATUSES } from '@flotilla/engine';
import { z } from 'zod';
import { displayName, labelsSchema } from '../clusters/schemas.ts';

/** POST /api/v1/clusters with connectionKind "agent". */
export const registerAgentClusterInput = z.object({
  connectionKind: z.literal('agent'),
  name: displayName,
  labels: labelsSchema.default({}),
  /** How long the registration token may be used; 24 h by default, at most 7 days. */
  tokenExpiresInHours: z.number().int().min(1).max(168).default(24),
});
export type RegisterAgentClusterInput = z.input<typeof registerAgentClusterInput>;

/** POST /api/v1/clusters/{id}/agent/registration-tokens: a new token for the same cluster. */
export const issueRegistrationTokenInput = z.object({
  tokenExpiresInHours: z.number().int().min(1).max(168).default(24),
});

const agentVersion = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9.+_-]+$/, 'must be a version such as 0.1.0');

/** POST /api/v1/agent/register */
export const exchangeRegistrationTokenInput = z.object({
  token: z.string().min(1, 'is required').max(200),
  agentVersion: agentVersion.optional(),
});

/** POST /api/v1/agent/heartbeat */
export const agentHeartbeatInput = z.object({
  agentVersion,
  /** How often the agent will beat; silent for 3x this, the cluster turns Offline. */
  heartbeatSeconds: z.number().int().min(1).max(3600),
  kubernetesVersion: z.string().trim().max(64).optional(),
});
export type AgentHeartbeatInput = z.infer<typeof agentHeartbeatInput>;

/** Free text from an agent: Postgres text holds no NUL, and an error message may carry one. */
const reportText = (max: number) =>
  z
    .string()
    .max(max)
    .transform((value) => value.replaceAll('\u0000', ''));

const objectRef = z.object({
  apiVersion: z.string().min(1).max(253),
  kind: z.string().min(1).max(253),
  namespace: z.string().max(253).default(''),
  name: z.string().min(1).max(253),
});

const assessedResource = z.object({
  apiVersion: z.string().min(1).max(253),
  kind: z.string().min(1).max(253),
  namespace: z.string().max(253),
  name: z.string().min(1).max(253),
  health: z.enum(HEALTH_STATUSES),
  healthMessage: reportText(2000),
  modified: z.boolean(),
  missing: z.boolean(),
  driftPaths: z.array(reportText(1000)).max(200),
  diff: z
    .string()
    .max(64 * 1024)
    .optional(),
});

/** POST /api/v1/agent/state: what the agent found, per deployment of its cluster. */
export const agentStateReportInput = z.object({
  deployments: z
    .array(
      z.object({
        id: z.string().min(1).max(64),
        /** The revision now on the cluster (null: none applied yet). */
        appliedHash: z
          .string()
          .regex(/^[a-f0-9]{64}$/)
          .nullable(),
        /** Why the last apply failed, naming the objects; null after a good apply. */
        error: z
          .string()
          .max(16 * 1024)
          .nullable(),
        resources: z.array(assessedResource).max(5000),
        /** What the agent applied and keeps pruning by. */
        inventory: z.array(objectRef).max(5000),
      }),
    )
    .max(2000),
  /** Orphaned deployments whose objects the agent removed. */
  pruned: z.array(z.string().min(1).max(64)).max(2000).default([]),
});
export type AgentStateReport = z.infer<typeof agentStateReportInput>;
