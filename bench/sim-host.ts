import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startKubeSim } from '@flotilla/kube-sim';
import type { SimHostMessage, SimHostRequest } from './sim-protocol.ts';

/*
 * kube-sim in a process of its own, driven by the bench over IPC: the bench needs the clusters'
 * request counters (P4), which the CLI does not expose, and the simulated API servers must not
 * share an event loop with the bench's own floor loop or its polling.
 */

const { values } = parseArgs({
  options: {
    clusters: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-ca': { type: 'string' },
    'ready-delay-ms': { type: 'string' },
  },
});

function send(message: SimHostMessage): void {
  process.send?.(message);
}

const count = Number(values.clusters);
if (!Number.isInteger(count) || count < 1) throw new Error('--clusters must be a positive integer');
if (!values['tls-cert'] || !values['tls-key'] || !values['tls-ca'])
  throw new Error('--tls-cert, --tls-key and --tls-ca are required');

const sim = await startKubeSim({
  clusters: Array.from({ length: count }, (_, index) => ({
    name: `sim-${String(index + 1).padStart(4, '0')}`,
  })),
  tls: {
    cert: readFileSync(values['tls-cert']),
    key: readFileSync(values['tls-key']),
    ca: readFileSync(values['tls-ca']),
  },
  deploymentReadyDelayMs: Number(values['ready-delay-ms'] ?? 500),
});

process.on('message', (raw: SimHostRequest) => {
  switch (raw.type) {
    case 'counters': {
      const byVerb: Record<string, number> = {};
      let requests = 0;
      let mutating = 0;
      for (const cluster of sim.clusters) {
        requests += cluster.counters.requests;
        mutating += cluster.counters.mutating;
        for (const [verb, value] of Object.entries(cluster.counters.byVerb))
          byVerb[verb] = (byVerb[verb] ?? 0) + value;
      }
      send({ type: 'counters', id: raw.id, totals: { requests, mutating, byVerb } });
      return;
    }
    case 'fault': {
      const wanted = new Set(raw.names);
      const targets = sim.clusters.filter((cluster) => wanted.has(cluster.name));
      void Promise.all(targets.map((cluster) => cluster.setFault(raw.fault))).then(() =>
        send({ type: 'faulted', id: raw.id, names: targets.map((cluster) => cluster.name) }),
      );
      return;
    }
    case 'stop':
      // The parent's exit also ends us (disconnect below), so a killed bench leaves no sim behind.
      void sim.stop().then(() => process.exit(0));
      return;
    default: {
      const unknown: never = raw;
      throw new Error(`unknown request ${JSON.stringify(unknown)}`);
    }
  }
});
process.on('disconnect', () => process.exit(0));

send({
  type: 'ready',
  clusters: sim.clusters.map(({ name, url, token, caData }) => ({
    name,
    url,
    token,
    caData: caData ?? '',
  })),
});
