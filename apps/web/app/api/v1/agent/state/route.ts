import { agentStateReportInput, reportAgentState } from '@flotilla/core';
import { agentRoute } from '@/server/agent-route.ts';

export const dynamic = 'force-dynamic';

/** What the agent found: per deployment its applied revision, resources, drift and error. */
export const POST = agentRoute({ body: agentStateReportInput }, async ({ ctx, agent, body }) => ({
  body: await reportAgentState({ ctx, agent, report: body }),
}));
