import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CoreContext } from '../context.ts';
import { sealConnection } from '../clusters/cluster-credentials.ts';
import { newId } from '../ids.ts';
import { asJson } from '../json.ts';

export const DEMO_WORKSPACE_NAME = 'demo';

const fleetFileSchema = z.array(
  z.object({ name: z.string(), url: z.string(), token: z.string(), caData: z.string().optional() }),
);

const REGIONS = ['eu-west', 'us-east', 'ap-south'] as const;
const ENVS = ['dev', 'test', 'prod'] as const;

export interface DemoSeed {
  workspaceId: string;
  clusters: number;
  gitRepoId: string;
}

/**
 * The demo fleet: a "demo" workspace with the simulated clusters kube-sim serves (labelled by
 * region and env, marked simulated), and a local Git repository of example bundles targeted at
 * all of them. Every user becomes a member so the first sign-in lands there. Safe to run at
 * every start: kube-sim hands out new ports and tokens each time, so the clusters' addresses
 * and credentials are refreshed and what they ran is deployed again.
 */
export async function seedDemoFleet({
  ctx,
  fleetFile,
  repoUrl,
  paths,
}: {
  ctx: Pick<CoreContext, 'db' | 'secrets' | 'queues' | 'logger'>;
  fleetFile: string;
  repoUrl: string;
  paths: string[];
}): Promise<DemoSeed> {
  const fleet = fleetFileSchema.parse(JSON.parse(readFileSync(fleetFile, 'utf8')));
  const workspace = await ctx.db.workspace.upsert({
    where: { name: DEMO_WORKSPACE_NAME },
    create: { name: DEMO_WORKSPACE_NAME },
    update: {},
  });
  const users = await ctx.db.user.findMany({ select: { id: true } });
  await ctx.db.membership.createMany({
    data: users.map((user) => ({
      workspaceId: workspace.id,
      userId: user.id,
      role: 'admin' as const,
    })),
    skipDuplicates: true,
  });
  for (const [index, simulated] of fleet.entries()) {
    const labels = {
      region: REGIONS[index % REGIONS.length]!,
      env: ENVS[Math.floor(index / REGIONS.length) % ENVS.length]!,
      demo: 'true',
    };
    const existing = await ctx.db.cluster.findUnique({
      where: { workspaceId_name: { workspaceId: workspace.id, name: simulated.name } },
    });
    const id = existing?.id ?? newId();
    const connection = {
      apiServerUrl: simulated.url,
      ...(simulated.caData ? { caData: simulated.caData } : {}),
      insecureSkipTlsVerify: false,
      credentials: { kind: 'token' as const, token: simulated.token },
    };
    const data = {
      apiServerUrl: simulated.url,
      caData: simulated.caData ?? null,
      credentials: sealConnection(ctx.secrets, id, connection),
      credentialKind: 'token',
      isSimulated: true,
      connectivity: 'Unknown' as const,
      probeFailures: 0,
      nextProbeAt: new Date(),
    };
    if (existing) {
      await ctx.db.cluster.update({ where: { id }, data });
      // A restarted kube-sim starts empty: deploy everything again.
      await ctx.db.bundleDeployment.updateMany({
        where: { clusterId: id },
        data: { appliedHash: null, appliedCommit: null, inventory: [] },
      });
    } else {
      await ctx.db.cluster.create({
        data: { id, workspaceId: workspace.id, name: simulated.name, labels, ...data },
      });
    }
  }
  let repo = await ctx.db.gitRepo.findUnique({
    where: { workspaceId_name: { workspaceId: workspace.id, name: 'examples' } },
  });
  repo ??= await ctx.db.gitRepo.create({
    data: {
      workspaceId: workspace.id,
      name: 'examples',
      url: repoUrl,
      branch: 'main',
      paths,
      pollIntervalSeconds: 30,
      nextPollAt: new Date(Date.now() + 30_000),
      targets: asJson([
        { name: 'every demo cluster', clusterSelector: { matchLabels: { demo: 'true' } } },
      ]),
    },
  });
  // An earlier start may have seeded another repository or fewer bundles (a pull added one).
  if (repo.url !== repoUrl || repo.paths.join(',') !== paths.join(','))
    repo = await ctx.db.gitRepo.update({ where: { id: repo.id }, data: { url: repoUrl, paths } });
  await ctx.queues.enqueueGitSync({ gitRepoId: repo.id, reason: 'created' });
  const clusters = await ctx.db.cluster.findMany({
    where: { workspaceId: workspace.id },
    select: { id: true },
  });
  await ctx.queues.enqueueProbes(clusters.map((cluster) => ({ clusterId: cluster.id })));
  ctx.logger.info({ clusters: fleet.length, workspace: DEMO_WORKSPACE_NAME }, 'demo fleet ready');
  return { workspaceId: workspace.id, clusters: fleet.length, gitRepoId: repo.id };
}
