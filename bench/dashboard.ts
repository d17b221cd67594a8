import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startPlatform, type Platform } from '@flotilla/testkit';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { SEED_STATES, seedFleet } from '../e2e/harness/seed.ts';
import { percentile } from './report.ts';

/*
 * `npm run bench -- --dashboard [--clusters 1000] [--bundles 50] [--rounds 5]`: how long the
 * overview takes in Debian's Chromium over a seeded fleet (the browser test `e2e/scale.test.ts`
 * checks that it renders, scrolls and filters; this records how long each takes). The fleet is
 * written straight into Postgres as in that test, and no worker runs, so the figures are the
 * dashboard's alone: the API's matrix answer, React rendering the virtualised grid, the browser.
 */

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
const GRID = 'Fleet matrix: clusters by bundles';

const { values } = parseArgs({
  options: {
    dashboard: { type: 'boolean' },
    clusters: { type: 'string', default: '1000' },
    bundles: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '5' },
    output: { type: 'string' },
  },
});
const clusters = Number(values.clusters);
const bundles = Number(values.bundles);
const rounds = Number(values.rounds);
for (const [name, value] of Object.entries({ clusters, bundles, rounds })) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench: --${name} must be a positive integer`);
    process.exit(2);
  }
}

const REGIONS = ['eu', 'us', 'ap', 'sa'];
const ENVS = ['prod', 'staging', 'dev'];
const clusterName = (index: number) => `cluster-${String(index).padStart(4, '0')}`;
const labelsOf = (index: number) => ({
  region: REGIONS[index % REGIONS.length]!,
  env: ENVS[index % ENVS.length]!,
});
const say = (line: string) => console.log(`bench | ${line}`);

/** Milliseconds from calling `act` to `until` resolving. */
async function timed(act: () => Promise<unknown>, until: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await act();
  await until();
  return performance.now() - started;
}

async function signIn(page: Page, platform: Platform): Promise<void> {
  await page.goto(`${platform.url}/login`);
  await page.getByLabel('Email', { exact: true }).fill(platform.adminEmail);
  await page.getByLabel('Password', { exact: true }).fill(platform.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${platform.url}/`);
}

async function measureRound(page: Page, platform: Platform, matching: number) {
  const grid = page.getByRole('grid', { name: GRID });
  const total = `${clusters.toLocaleString('en')} clusters × ${bundles} bundles`;
  // A full load of the overview: HTML, scripts, the matrix answer, the first rows drawn.
  const loadMs = await timed(
    () => page.goto(`${platform.url}/`),
    async () => {
      await grid.waitFor({ timeout: 120_000 });
      await page.getByText(total).waitFor({ timeout: 120_000 });
      await grid.getByRole('rowheader', { name: clusterName(0), exact: true }).waitFor();
    },
  );
  // To the last cluster and the last bundle, as a person dragging the scrollbars would.
  const scrollMs = await timed(
    () =>
      grid.evaluate((element) =>
        element.scrollTo({ top: element.scrollHeight, left: element.scrollWidth }),
      ),
    () => grid.getByRole('rowheader', { name: clusterName(clusters - 1), exact: true }).waitFor(),
  );
  await grid.evaluate((element) => element.scrollTo({ top: 0, left: 0 }));
  // A selector typed into the filter: the narrowed matrix drawn.
  const filterMs = await timed(
    () => page.getByLabel('Cluster selector', { exact: true }).fill('region=eu,env=prod'),
    () =>
      page
        .getByText(new RegExp(`^${matching} clusters × ${bundles} bundles`))
        .waitFor({ timeout: 60_000 }),
  );
  return { loadMs, scrollMs, filterMs };
}

say(`seeding ${clusters} clusters x ${bundles} bundles (no worker)`);
const platform = await startPlatform({ isWorkerStarted: false });
let context: BrowserContext | undefined;
const userDataDir = mkdtempSync(path.join(tmpdir(), 'flotilla-bench-chromium-'));
const startedAt = new Date().toISOString();
const loadAtStart = loadavg();
try {
  await seedFleet(platform, {
    clusters: Array.from({ length: clusters }, (_, index) => ({
      name: clusterName(index),
      labels: labelsOf(index),
    })),
    bundleNames: Array.from(
      { length: bundles },
      (_, index) => `app-${String(index + 1).padStart(2, '0')}`,
    ),
    stateOf: (cluster, bundle) => SEED_STATES[(cluster * 7 + bundle) % SEED_STATES.length]!,
  });
  const matching = Array.from({ length: clusters }, (_, index) => labelsOf(index)).filter(
    (labels) => labels.region === 'eu' && labels.env === 'prod',
  ).length;

  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await signIn(page, platform);
  // One round to warm the server's compiled routes and the browser's caches, not counted.
  say('warm-up round');
  await measureRound(page, platform, matching);
  const samples = { loadMs: [] as number[], scrollMs: [] as number[], filterMs: [] as number[] };
  for (let round = 1; round <= rounds; round += 1) {
    const sample = await measureRound(page, platform, matching);
    say(
      `round ${round}: load ${sample.loadMs.toFixed(0)} ms, scroll ${sample.scrollMs.toFixed(0)} ms, filter ${sample.filterMs.toFixed(0)} ms`,
    );
    samples.loadMs.push(sample.loadMs);
    samples.scrollMs.push(sample.scrollMs);
    samples.filterMs.push(sample.filterMs);
  }
  const figures = [
    ['load', `overview loaded and drawn (${clusters * bundles} cells)`, samples.loadMs],
    ['scroll', 'scrolled to the last cluster and bundle, drawn', samples.scrollMs],
    ['filter', `selector typed, ${matching} clusters drawn`, samples.filterMs],
  ] as const;
  console.log(`\nFlotilla dashboard bench: ${clusters} clusters x ${bundles} bundles in Chromium`);
  console.log(
    `machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; load average at start ${loadAtStart.map((value) => value.toFixed(1)).join(' ')}\n`,
  );
  for (const [id, what, list] of figures) {
    console.log(
      `${id.padEnd(7)} ${what.padEnd(48)} p50 ${percentile(list, 0.5).toFixed(0).padStart(6)} ms   p95 ${percentile(list, 0.95).toFixed(0).padStart(6)} ms`,
    );
  }
  const file =
    values.output ??
    path.join('bench/results', `${startedAt.slice(0, 10)}-dashboard-${clusters}x${bundles}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  const results = {
    startedAt,
    finishedAt: new Date().toISOString(),
    command: `npm run bench -- --dashboard --clusters ${clusters} --bundles ${bundles} --rounds ${rounds}`,
    clusters,
    bundles,
    machine: { cores: cpus().length, memoryBytes: totalmem(), node: process.version, loadAtStart },
    figures: figures.map(([id, what, list]) => ({
      id,
      what,
      p50Ms: Math.round(percentile(list, 0.5)),
      p95Ms: Math.round(percentile(list, 0.95)),
      samplesMs: list.map((value) => Math.round(value)),
    })),
  };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  say(`results: ${file}`);
} finally {
  await context?.close().catch(() => undefined);
  rmSync(userDataDir, { recursive: true, force: true });
  await platform.stop();
}
