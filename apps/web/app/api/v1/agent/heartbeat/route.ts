import { agentHeartbeatInput, recordAgentHeartbeat } from '@flotilla/core';
import { agentRoute } from '@/server/agent-route.ts';

export const dynamic = 'force-dynamic';

/** `{ agentVersion, heartbeatSeconds, kubernetesVersion? }` → `{ reportRequested }`. */
export const POST = agentRoute({ body: agentHeartbeatInput }, async ({ ctx, agent, body }) => ({
  body: await recordAgentHeartbeat({ ctx, agent, input: body }),
}));
