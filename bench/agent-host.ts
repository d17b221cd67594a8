import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger } from '@flotilla/config';
import { createClusterClient } from '@flotilla/kube';
import { startKubeSim } from '@flotilla/kube-sim';
import pLimit from 'p-limit';
import { Agent } from '../apps/agent/src/agent.ts';
import { FlotillaApi } from '../apps/agent/src/flotilla-api.ts';
import type { AgentHostMessage, AgentHostRequest, AgentRequestCounts } from './agent-protocol.ts';

/*
 * N simulated clusters and one agent in each, in a process of their own (the bench measures
 * the web server, so the agents must not share its event loop or the bench's). Each agent is
 * apps/agent's Agent and FlotillaApi as they run in a cluster, with the settings a real one
 * has by default; only the cluster is kube-sim and the credential is kept in memory. Every
 * request an agent makes to Flotilla goes through fetch, counted here by route.
 */

const AGENT_VERSION = '0.1.0-bench';
const REGISTRATIONS_AT_ONCE = 16;

const { values } = parseArgs({
  options: {
    clusters: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-ca': { type: 'string' },
    'ready-delay-ms': { type: 'string' },
    url: { type: 'string' },
    'heartbeat-seconds': { type: 'string' },
    'poll-wait-seconds': { type: 'string' },
    'resync-seconds': { type: 'string' },
  },
});

function send(message: AgentHostMessage): void {
  process.send?.(message);
}

const count = Number(values.clusters);
if (!Number.isInteger(count) || count < 1) throw new Error('--clusters must be a positive integer');
if (!values['tls-cert'] || !values['tls-key'] || !values['tls-ca'] || !values.url)
  throw new Error('--tls-cert, --tls-key, --tls-ca and --url are required');
const flotillaUrl = values.url;

const counts: AgentRequestCounts = { total: 0, byRoute: {}, notModified: 0, failed: 0 };
const routeOf = (url: string): string => {
  const pathname = new URL(url).pathname.replace(/^\/api\/v1\/agent\//, '');
  return pathname.startsWith('revisions/') ? 'revisions' : pathname;
};
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  const isFlotilla = url.startsWith(flotillaUrl);
  if (isFlotilla) {
    counts.total += 1;
    const route = routeOf(url);
    counts.byRoute[route] = (counts.byRoute[route] ?? 0) + 1;
  }
  try {
    const response = await realFetch(input, init);
    if (isFlotilla && response.status === 304) counts.notModified += 1;
    return response;
  } catch (error) {
    if (isFlotilla) counts.failed += 1;
    throw error;
  }
};

const sim = await startKubeSim({
  clusters: Array.from({ length: count }, (_, index) => ({
    name: `agent-${String(index + 1).padStart(4, '0')}`,
  })),
  tls: {
    cert: readFileSync(values['tls-cert']),
    key: readFileSync(values['tls-key']),
    ca: readFileSync(values['tls-ca']),
  },
  deploymentReadyDelayMs: Number(values['ready-delay-ms'] ?? 500),
});
const logger = createLogger({ name: 'bench-agent', level: 'warn', format: 'json' });
const settings = {
  heartbeatSeconds: Number(values['heartbeat-seconds'] ?? 30),
  pollWaitSeconds: Number(values['poll-wait-seconds'] ?? 30),
  resyncSeconds: Number(values['resync-seconds'] ?? 30),
  rotateSeconds: 86_400,
};
const agents: Agent[] = [];
const runs: Promise<void>[] = [];

async function startAgents(tokens: readonly string[]): Promise<void> {
  const limit = pLimit(REGISTRATIONS_AT_ONCE);
  await Promise.all(
    sim.clusters.map((cluster, index) =>
      limit(async () => {
        const token = tokens[index];
        if (!token) throw new Error(`no registration token for ${cluster.name}`);
        const api = new FlotillaApi(flotillaUrl, AGENT_VERSION);
        api.setCredential((await api.register(token)).credential);
        const client = createClusterClient({
          apiServerUrl: cluster.url,
          caData: cluster.caData ?? '',
          insecureSkipTlsVerify: false,
          credentials: { kind: 'token', token: cluster.token },
        });
        const agent = new Agent(api, client, settings, logger, async () => {});
        agents.push(agent);
        runs.push(
          agent.run().catch((error: unknown) => {
            logger.error({ cluster: cluster.name, err: (error as Error).message }, 'agent ended');
          }),
        );
      }),
    ),
  );
}

process.on('message', (raw: AgentHostRequest) => {
  switch (raw.type) {
    case 'start':
      startAgents(raw.tokens).then(
        () => send({ type: 'started', id: raw.id }),
        (error: unknown) => send({ type: 'failed', id: raw.id, message: String(error) }),
      );
      return;
    case 'counters': {
      let clusterRequests = 0;
      let clusterWrites = 0;
      for (const cluster of sim.clusters) {
        clusterRequests += cluster.counters.requests;
        clusterWrites += cluster.counters.mutating;
      }
      send({
        type: 'counters',
        id: raw.id,
        flotilla: structuredClone(counts),
        clusterRequests,
        clusterWrites,
      });
      return;
    }
    case 'stop':
      for (const agent of agents) agent.stop();
      void Promise.race([
        Promise.all(runs),
        new Promise((resolve) => setTimeout(resolve, 5000)),
      ]).then(async () => {
        await sim.stop();
        process.exit(0);
      });
      return;
    default: {
      const unknown: never = raw;
      throw new Error(`unknown request ${JSON.stringify(unknown)}`);
    }
  }
});
process.on('disconnect', () => process.exit(0));

send({ type: 'ready', clusters: sim.clusters.map((cluster) => cluster.name) });
