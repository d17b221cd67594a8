#!/usr/bin/env node
// `npm run bench -- --clusters N --bundles M`: makes sure the services answer and the dashboard
// is built (in apps/web/.next-bench, rebuilt when a source file is newer than the build), then
// runs bench/run.ts (or, with --dashboard, bench/dashboard.ts: the overview timed in Chromium;
// with --helm, bench/helm.ts: chart renders per second in process and with `helm template`;
// with --agents N, bench/agents.ts: N agent clusters idle, then one commit through them).
// See docs/PERFORMANCE.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureServices, fail, generatePrismaClient, ROOT, run, say } from './lib/prepare.mjs';

const args = process.argv.slice(2);

// --help answers at once: no services, no build (it used to build the dashboard first).
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage:
  npm run bench -- --clusters N --bundles M [--ready-delay-ms 500] [--matrix-requests 30]
      [--rest-seconds 0] [--phase-timeout-seconds 600] [--cpu-profile DIR] [--output FILE]
      [--hanging N [--hanging-only]] [--rollout-partitions 10 [--rollout-only]]
      [--workers 1 | --workers 1,2,3]
      the platform against N simulated clusters and M bundles: P1-P6 (bench/run.ts);
      --workers 1,2,3 runs P2 again with 2, then 3 worker processes (the scale-out line)
  npm run bench -- --dashboard [--clusters 1000] [--bundles 50] [--rounds 5] [--output FILE]
      the overview timed in Chromium over a seeded fleet (bench/dashboard.ts)
  npm run bench -- --agents N [--idle-seconds 60] [--output FILE]
      N agent clusters idle, then one commit through them (bench/agents.ts)
  npm run bench -- --helm
      chart renders per second, in process and with \`helm template\` (bench/helm.ts)
  --no-build uses the last dashboard build even if sources changed. See docs/PERFORMANCE.md.`);
  process.exit(0);
}

// --helm: the Helm render figure (bench/helm.ts) runs in this process alone: no services, no build.
if (args.includes('--helm')) {
  const helm = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench/helm.ts'), ...args],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (helm.status !== 0)
    fail(`the Helm bench did not complete (exit ${helm.status ?? helm.signal})`);
  process.exit(0);
}
const isBuildSkipped = args.includes('--no-build');
const benchArgs = args.filter((arg) => arg !== '--no-build');
const distDir = process.env.FLOTILLA_WEB_DIST_DIR || '.next-bench';

// The bench makes its own database and Redis server; these only have to answer.
process.env.DATABASE_URL ??=
  process.env.FLOTILLA_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
process.env.REDIS_URL ??= process.env.FLOTILLA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
await ensureServices();
if (!existsSync(path.join(ROOT, 'packages/db/src/generated'))) generatePrismaClient();

function newestChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.next') || entry.name === 'test')
      continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const buildId = path.join(ROOT, 'apps/web', distDir, 'BUILD_ID');
const sources = [
  path.join(ROOT, 'apps/web'),
  ...['config', 'core', 'db', 'engine', 'git', 'jobs', 'kube'].map((name) =>
    path.join(ROOT, 'packages', name, 'src'),
  ),
];
const isStale =
  !existsSync(buildId) || sources.some((dir) => newestChange(dir) > statSync(buildId).mtimeMs);
if (isStale && isBuildSkipped)
  say(`--no-build: using apps/web/${distDir} although sources changed since it was built`);
if (isStale && !isBuildSkipped) {
  say(`building the dashboard into apps/web/${distDir} (a few minutes on 2 cores)`);
  // One build at a time on this machine: the lock is shared with other checkouts' builds.
  run('flock', ['/tmp/flotilla-build.lock', 'npx', 'next', 'build'], {
    cwd: path.join(ROOT, 'apps/web'),
    env: { ...process.env, FLOTILLA_WEB_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' },
  });
}

// The worker runs from its bundle, as `npm start` and the image run it; a second to build.
if (!args.includes('--dashboard'))
  run(process.execPath, [path.join(ROOT, 'apps/worker/build.mjs')]);

const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    path.join(
      ROOT,
      args.includes('--dashboard')
        ? 'bench/dashboard.ts'
        : args.includes('--agents')
          ? 'bench/agents.ts'
          : 'bench/run.ts',
    ),
    ...benchArgs,
  ],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, FLOTILLA_WEB_DIST_DIR: distDir },
  },
);
if (result.status !== 0)
  fail(`the bench did not complete (exit ${result.status ?? result.signal})`);
