import { gzipSync } from 'node:zlib';
import type { CoreContext } from '../context.ts';
import { loadRevisions } from '../deployments/revision-cache.ts';
import { AppError } from '../errors.ts';
import type { AgentPrincipal } from './agent-principal.ts';

/**
 * A rendered revision by its hash, gzipped JSON `{ hash, objects, hooks, deployOptions }`: only
 * one that a deployment of the agent's own cluster wants, has or is headed for (404 otherwise,
 * however the hash was learnt). Content-addressed, so the agent may keep it for ever.
 */
export async function getAgentRevision({
  ctx,
  agent,
  hash,
}: {
  ctx: Pick<CoreContext, 'db'>;
  agent: AgentPrincipal;
  hash: string;
}): Promise<{ gzipped: Buffer; etag: string }> {
  const isOwn = await ctx.db.bundleDeployment.findFirst({
    where: {
      clusterId: agent.clusterId,
      workspaceId: agent.workspaceId,
      OR: [{ desiredHash: hash }, { appliedHash: hash }, { targetHash: hash }],
    },
    select: { id: true },
  });
  if (!isOwn) throw AppError.notFound('revision');
  const revision = (await loadRevisions(ctx, agent.workspaceId, [hash])).get(hash);
  if (!revision) throw AppError.notFound('revision');
  const body = JSON.stringify({
    hash: revision.hash,
    objects: revision.objects,
    hooks: revision.hooks,
    deployOptions: revision.deployOptions,
  });
  return { gzipped: gzipSync(body), etag: `"${hash}"` };
}
