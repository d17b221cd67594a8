#!/usr/bin/env node
// `npm start`: prepare everything a fresh clone needs, then run web + worker (and, for the demo,
// the simulated fleet) with prefixed logs. Ctrl-C stops them all.
import path from 'node:path';
import readline from 'node:readline/promises';
import {
  ensureDependencies,
  ensureServices,
  generatePrismaClient,
  loadEnvironment,
  migrate,
  ROOT,
  run,
  say,
} from './lib/prepare.mjs';
import { prepareDemo } from './lib/demo.mjs';
import { startChild, stopOnSignals } from './lib/processes.mjs';

const isDev = process.argv.includes('--dev');
/** Install, generate, migrate and build, then exit (docker-compose's setup service). */
const isPrepareOnly = process.argv.includes('--prepare-only');

async function askForDemo() {
  if (process.env.FLOTILLA_DEMO !== undefined) return;
  if (!process.stdin.isTTY) {
    say('tip: FLOTILLA_DEMO=1 npm start adds a demo fleet of simulated clusters');
    return;
  }
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  const timeout = setTimeout(() => prompt.close(), 20_000);
  try {
    const answer = await prompt.question(
      'flotilla | Add a demo fleet of simulated clusters? [y/N] ',
    );
    process.env.FLOTILLA_DEMO = /^y(es)?$/i.test(answer.trim()) ? '1' : '0';
  } catch {
    process.env.FLOTILLA_DEMO = '0';
  } finally {
    clearTimeout(timeout);
    prompt.close();
  }
}

ensureDependencies();
const environment = loadEnvironment();
if (!isPrepareOnly) await askForDemo();
await ensureServices();
generatePrismaClient();
migrate();
if (!isDev) {
  say('building the dashboard and the worker (cached when nothing changed)');
  run('npx', [
    'turbo',
    'run',
    'build',
    '--filter=@flotilla/web',
    '--filter=@flotilla/worker',
    '--output-logs=errors-only',
  ]);
}

if (isPrepareOnly) {
  say('prepared');
  process.exit(0);
}

/**
 * FLOTILLA_WORKERS=N (default 1) worker processes sharing the queues. Each serves its own
 * /metrics: worker i listens on FLOTILLA_WORKER_METRICS_PORT + i (9464, 9465, ...). Only the
 * first seeds the demo fleet; the others get Git and chart caches of their own.
 */
function startWorkers() {
  const raw = process.env.FLOTILLA_WORKERS ?? '1';
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 64) {
    say(`FLOTILLA_WORKERS must be a whole number from 1 to 64, not "${raw}"`);
    process.exit(1);
  }
  const basePort = Number(process.env.FLOTILLA_WORKER_METRICS_PORT ?? 9464);
  for (let index = 0; index < count; index += 1) {
    const env = {
      ...process.env,
      FLOTILLA_WORKER_METRICS_PORT: String(basePort + index),
      // A Git and chart cache per process, as each machine would have: git's lock files do not
      // let two processes fetch into one cache repository at once.
      ...(index > 0
        ? {
            FLOTILLA_DEMO: '0',
            FLOTILLA_GIT_CACHE_DIR: `${process.env.FLOTILLA_GIT_CACHE_DIR ?? '.flotilla/git-cache'}-${index + 1}`,
            FLOTILLA_CHART_CACHE_DIR: `${process.env.FLOTILLA_CHART_CACHE_DIR ?? '.flotilla/chart-cache'}-${index + 1}`,
          }
        : {}),
    };
    // The bundle built above (apps/worker/build.mjs); --dev runs the sources through tsx.
    startChild(
      count === 1 ? 'worker' : `work-${index + 1}`,
      process.execPath,
      isDev ? ['--import', 'tsx', 'apps/worker/src/main.ts'] : ['apps/worker/dist/main.mjs'],
      { env },
    );
  }
}

stopOnSignals();
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const port = process.env.PORT;

if (process.env.FLOTILLA_DEMO === '1') {
  const { simArgs, env } = prepareDemo();
  Object.assign(process.env, env);
  startChild('sim', process.execPath, [
    '--import',
    'tsx',
    'packages/kube-sim/src/cli.ts',
    ...simArgs,
  ]);
}
// `node --import tsx`, not the tsx CLI: the CLI relays signals to a child process and kills it
// with SIGKILL when it does not confirm within 30 ms (a loaded machine), which would cut the
// worker's graceful shutdown short.
startWorkers();
startChild('web', bin('next'), [isDev ? 'dev' : 'start', '-p', port], {
  cwd: path.join(ROOT, 'apps/web'),
});
say(`dashboard: http://localhost:${port}  (Ctrl-C stops everything)`);
if (environment.generatedAdminPasswordFile) {
  say(
    `sign in as ${process.env.FLOTILLA_ADMIN_EMAIL}; the password is in ` +
      `${path.relative(ROOT, environment.generatedAdminPasswordFile)} (or set FLOTILLA_ADMIN_PASSWORD)`,
  );
}
