import { createTestDatabase, type TestDatabase } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAgentDesiredState } from '../src/agents/get-agent-desired-state.ts';
import type { AgentPrincipal } from '../src/agents/agent-principal.ts';

const hash = (digit: string) => digit.repeat(64);

describe("an agent's long-poll of its desired deployments", () => {
  let database: TestDatabase;
  const agents: AgentPrincipal[] = [];
  const deploymentIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    const workspace = await db.workspace.create({ data: { name: 'edge' } });
    const workspaceId = workspace.id;
    const repo = await db.gitRepo.create({
      data: { workspaceId, name: 'apps', url: 'https://git.example/apps.git' },
    });
    const bundle = await db.bundle.create({
      data: { workspaceId, gitRepoId: repo.id, name: 'app', path: 'app' },
    });
    for (const name of ['shop-1', 'shop-2']) {
      const cluster = await db.cluster.create({
        data: { workspaceId, name, connectionKind: 'agent', credentialKind: 'none' },
      });
      const deployment = await db.bundleDeployment.create({
        data: {
          workspaceId,
          bundleId: bundle.id,
          clusterId: cluster.id,
          desiredHash: hash('a'),
          desiredCommit: 'a'.repeat(40),
        },
      });
      deploymentIds.push(deployment.id);
      agents.push({
        kind: 'agent',
        credentialId: `credential-${name}`,
        clusterId: cluster.id,
        clusterName: name,
        workspaceId,
      });
    }
  });

  afterAll(async () => {
    await database?.drop();
  });

  const ctx = () => ({ db: database.db });

  it('answers 304 at the end of the wait when nothing changed', async () => {
    const first = await getAgentDesiredState({ ctx: ctx(), agent: agents[0]! });
    expect(first.notModified).toBe(false);

    const again = await getAgentDesiredState({
      ctx: ctx(),
      agent: agents[0]!,
      ifNoneMatch: first.etag,
      waitSeconds: 2,
    });

    expect(again).toEqual({ notModified: true, etag: first.etag });
  });

  it('answers with the new revision as soon as the plan writes it, not at the end of the wait', async () => {
    const [one, two] = agents as [AgentPrincipal, AgentPrincipal];
    const before = await Promise.all(
      [one, two].map((agent) => getAgentDesiredState({ ctx: ctx(), agent })),
    );
    // Both agents wait (a minute, longer than the test's own timeout): only one cluster changes.
    const waits = [one, two].map((agent, index) =>
      getAgentDesiredState({
        ctx: ctx(),
        agent,
        ifNoneMatch: before[index]!.etag,
        waitSeconds: index === 0 ? 50 : 3,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await database.db.$executeRaw`
      UPDATE "BundleDeployment" SET "desiredHash" = ${hash('b')}, "updatedAt" = now()
      WHERE id = ${deploymentIds[0]!}`;

    const [changed, unchanged] = await Promise.all(waits);
    if (!changed || changed.notModified)
      throw new Error(`no new state: ${JSON.stringify(changed)}`);
    expect(changed.state.deployments[0]?.desiredHash).toBe(hash('b'));
    expect(unchanged).toEqual({ notModified: true, etag: before[1]!.etag });
  }, 20_000);

  it('ends the wait when the agent hangs up', async () => {
    const first = await getAgentDesiredState({ ctx: ctx(), agent: agents[1]! });
    const hangUp = new AbortController();
    const wait = getAgentDesiredState({
      ctx: ctx(),
      agent: agents[1]!,
      ifNoneMatch: first.etag,
      waitSeconds: 50,
      signal: hangUp.signal,
    });
    hangUp.abort();
    expect(await wait).toEqual({ notModified: true, etag: first.etag });
  }, 20_000);
});
