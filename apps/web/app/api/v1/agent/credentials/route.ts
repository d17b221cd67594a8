import { rotateAgentCredential } from '@flotilla/core';
import { agentRoute } from '@/server/agent-route.ts';

export const dynamic = 'force-dynamic';

/** Rotation: a new credential (201); the one used for this call ends an hour later. */
export const POST = agentRoute({}, async ({ ctx, agent, origin }) => ({
  status: 201,
  headers: { 'cache-control': 'no-store' },
  body: await rotateAgentCredential({ ctx, agent, origin }),
}));
