#!/usr/bin/env node
// `npm test`: the same preparation as `npm start`, then every check: lint, format, typecheck,
// migration drift, the dashboard build, and the unit, integration and browser tests.
// A missing service or asset fails the run; nothing is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  ensureDependencies,
  ensureServices,
  fail,
  generatePrismaClient,
  loadEnvironment,
  migrate,
  ROOT,
  run,
  say,
} from './lib/prepare.mjs';

const only = process.argv.slice(2);
const wants = (step) => only.length === 0 || only.includes(step);

function locateAssets() {
  // The workplace's shared folder (envtest binaries, Fleet's examples) sits next to the checkout.
  process.env.FLOTILLA_SHARED_DIR ??=
    [path.resolve(ROOT, '../shared'), '/work/shared'].find((dir) => existsSync(dir)) ?? '';
  if (!existsSync(path.join(process.env.FLOTILLA_SHARED_DIR, 'fixtures/fleet-examples'))) {
    fail(
      'the shared folder with fixtures/fleet-examples was not found next to the checkout (set FLOTILLA_SHARED_DIR)',
    );
  }
  const fallback = path.join(process.env.FLOTILLA_SHARED_DIR, 'envtest/bin');
  process.env.KUBEBUILDER_ASSETS ??= existsSync(fallback) ? fallback : '';
  const assets = process.env.KUBEBUILDER_ASSETS;
  for (const binary of ['kube-apiserver', 'etcd']) {
    if (!assets || !existsSync(path.join(assets, binary))) {
      fail(`KUBEBUILDER_ASSETS must name a folder with kube-apiserver and etcd (now: "${assets}")`);
    }
  }
  if (!process.env.CHROMIUM_PATH) {
    const which = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
      encoding: 'utf8',
    });
    process.env.CHROMIUM_PATH = which.stdout.trim();
  }
  if (!process.env.CHROMIUM_PATH || !existsSync(process.env.CHROMIUM_PATH)) {
    fail(
      'Chromium is needed for the browser tests: apt-get install -y chromium (or set CHROMIUM_PATH)',
    );
  }
}

const timings = [];
function step(name, action) {
  const started = Date.now();
  say(`── ${name}`);
  action();
  timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const results = path.join(ROOT, 'test-results');
function vitest(project) {
  mkdirSync(results, { recursive: true });
  const report = path.join(results, `${project}.json`);
  rmSync(report, { force: true });
  const outcome = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    { cwd: ROOT, stdio: 'inherit', env: process.env },
  );
  const counts = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined;
  return { status: outcome.status, counts };
}

ensureDependencies();
loadEnvironment({ defaultDatabase: 'flotilla_dev' });
await ensureServices();
locateAssets();
generatePrismaClient();
// As `npm start` does: create the database (flotilla_dev here) and apply the migrations. The
// tests make databases of their own; this one is where `prisma migrate diff` connects.
migrate();

if (wants('lint')) {
  step('lint (eslint)', () => run('npx', ['eslint', '.', '--max-warnings', '0']));
  step('format (prettier --check)', () =>
    run('npx', ['prettier', '--check', '.', '--log-level', 'warn']),
  );
}
if (wants('typecheck')) {
  step('typecheck', () => {
    run('npx', ['turbo', 'run', 'typecheck', '--output-logs=errors-only']);
    // Outside the workspaces: the browser tests and the benchmark.
    for (const project of ['e2e/tsconfig.json', 'bench/tsconfig.json']) {
      if (existsSync(path.join(ROOT, project))) run('npx', ['tsc', '-p', project]);
    }
  });
}
if (wants('migrations')) {
  step('migrations match schema.prisma', () =>
    run('npx', [
      'prisma',
      'migrate',
      'diff',
      '--from-migrations',
      'prisma/migrations',
      '--to-schema-datamodel',
      'prisma/schema.prisma',
      '--exit-code',
    ]),
  );
}
if (wants('build') || wants('e2e')) {
  step('build the dashboard', () =>
    run('npx', ['turbo', 'run', 'build', '--filter=@flotilla/web', '--output-logs=errors-only']),
  );
}

let passed = 0;
let failed = 0;
let isFailing = false;
for (const project of ['unit', 'integration', 'e2e']) {
  if (!wants(project)) continue;
  step(`${project} tests`, () => {
    const { status, counts } = vitest(project);
    passed += counts?.numPassedTests ?? 0;
    failed += counts?.numFailedTests ?? 0;
    if (status !== 0) isFailing = true;
  });
}

say(`timings: ${timings.join(', ')}`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
if (isFailing || failed > 0) fail('some tests failed');
