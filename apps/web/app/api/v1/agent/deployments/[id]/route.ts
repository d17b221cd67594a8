import { AppError, getAgentDesiredDeployment } from '@flotilla/core';
import { agentRoute } from '@/server/agent-route.ts';
import { idParams } from '@/server/schemas.ts';

export const dynamic = 'force-dynamic';

/** One desired deployment of the agent's own cluster; any other is 404. */
export const GET = agentRoute({ params: idParams }, async ({ ctx, agent, params }) => {
  const deployment = await getAgentDesiredDeployment({ ctx, agent, deploymentId: params.id });
  if (!deployment) throw AppError.notFound('deployment');
  return { body: deployment };
});
