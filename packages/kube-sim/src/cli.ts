import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startKubeSim } from './sim-server.ts';

/*
 * Starts a fleet of simulated clusters for benchmarks and demos and writes where they are:
 *
 *   tsx packages/kube-sim/src/cli.ts --clusters 100 --port 17000 --state fleet.json \
 *     [--tls-cert server.crt --tls-key server.key --tls-ca ca.crt] [--ready-delay-ms 2000]
 *
 * The state file holds [{ name, url, token, caData }]. Stops on SIGINT/SIGTERM.
 */

const USAGE =
  'usage: cli.ts --clusters N [--port BASE] [--state FILE] [--host 127.0.0.1] ' +
  '[--tls-cert FILE --tls-key FILE [--tls-ca FILE]] [--ready-delay-ms MS] [--name-prefix sim]';

function fail(message: string): never {
  console.error(`kube-sim: ${message}\n${USAGE}`);
  process.exit(2);
}

function positiveInteger(
  value: string | undefined,
  name: string,
  fallback?: number,
): number | undefined {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    fail(`--${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clusters: { type: 'string' },
      port: { type: 'string' },
      state: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-ca': { type: 'string' },
      'ready-delay-ms': { type: 'string' },
      'name-prefix': { type: 'string', default: 'sim' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const count = positiveInteger(values.clusters, 'clusters');
  if (!count) fail('--clusters is required and must be at least 1');
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key']))
    fail('--tls-cert and --tls-key go together');
  const tls =
    values['tls-cert'] && values['tls-key']
      ? {
          cert: readFileSync(values['tls-cert']),
          key: readFileSync(values['tls-key']),
          ...(values['tls-ca'] ? { ca: readFileSync(values['tls-ca']) } : {}),
        }
      : false;
  const prefix = values['name-prefix'] ?? 'sim';
  const sim = await startKubeSim({
    clusters: Array.from({ length: count }, (_, index) => ({ name: `${prefix}-${index + 1}` })),
    tls,
    basePort: positiveInteger(values.port, 'port'),
    deploymentReadyDelayMs: positiveInteger(values['ready-delay-ms'], 'ready-delay-ms', 2000),
    host: values.host,
  });
  const state = sim.clusters.map(({ name, url, token, caData }) => ({
    name,
    url,
    token,
    caData: caData ?? '',
  }));
  if (values.state) writeFileSync(values.state, `${JSON.stringify(state, null, 2)}\n`);
  const first = sim.clusters[0];
  const last = sim.clusters[sim.clusters.length - 1];
  console.log(
    `kube-sim: ${sim.clusters.length} clusters on ${first?.url} .. ${last?.url}` +
      (values.state ? `, state in ${values.state}` : ''),
  );
  const shutdown = () => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`kube-sim: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
