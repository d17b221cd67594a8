import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fetchChart } from '@flotilla/charts';
import { createGitCache, readRemoteRepository } from '@flotilla/git';
import {
  bundleChartSource,
  bundleNameOf,
  chartKeyOf,
  firstMatchingTarget,
  loadBundleChart,
  loadBundleOptions,
  loadKustomizeCharts,
  renderBundle,
  resolveRemoteBases,
  type ClusterGroupFacts,
  type KubeObject,
} from '@flotilla/engine';
import { DEFAULT_CHART_LIMITS, loadChartArchive, type Chart } from '@flotilla/helm';
import { stringify } from 'yaml';
import { readBundleFolder } from './read-bundle-folder.ts';

const HELP = `Usage: flotilla render BUNDLE_DIR [options]

Prints the objects a cluster gets from a bundle folder (raw YAML with overlays, kustomize,
or a Helm chart with fleet.yaml's helm: options), as \`fleet test\` does: fleet.yaml (or
flotilla.yaml) is read, and the first targetCustomization matching the cluster applies.

Options:
  -l, --label K=V            a label of the cluster (repeatable)
      --cluster-name N       the cluster's name (matches clusterName; default "local")
      --group NAME           a cluster group the cluster belongs to (repeatable; matches
                             clusterGroup); clusterGroupSelector sees groups without labels
      --options FILE         the options file to read instead of fleet.yaml, relative to the
                             folder (as a GitRepo bundles: entry's options)
      --chart-cache-dir DIR  where downloaded charts are kept (default ~/.cache/flotilla/charts)
      --git-cache-dir DIR    where remote kustomize bases (git URLs) are fetched to
                             (default ~/.cache/flotilla/git)
      --allow-file-urls      let remote bases be file:// repositories (local testing)
`;

/** `flotilla render`: errors go to stderr with exit code 1, naming the file. */
export async function runRender(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        label: { type: 'string', short: 'l', multiple: true },
        'cluster-name': { type: 'string' },
        group: { type: 'string', multiple: true },
        options: { type: 'string' },
        'chart-cache-dir': { type: 'string' },
        'git-cache-dir': { type: 'string' },
        'allow-file-urls': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`Error: ${(error as Error).message}\n\n${HELP}`);
    return 1;
  }
  const { values: flags, positionals } = parsed;
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [dir] = positionals;
  if (dir === undefined || positionals.length > 1) {
    process.stderr.write(`Error: expected one bundle folder\n\n${HELP}`);
    return 1;
  }
  const labels: Record<string, string> = {};
  for (const label of flags.label ?? []) {
    const at = label.indexOf('=');
    if (at <= 0) {
      process.stderr.write(`Error: --label "${label}": expected KEY=VALUE\n`);
      return 1;
    }
    labels[label.slice(0, at)] = label.slice(at + 1);
  }
  try {
    const objects = await renderFolder({
      dir: path.resolve(dir),
      clusterName: flags['cluster-name'] ?? 'local',
      labels,
      groups: flags.group ?? [],
      optionsFile: flags.options,
      chartCacheDir:
        flags['chart-cache-dir'] ?? path.join(homedir(), '.cache', 'flotilla', 'charts'),
      gitCacheDir: flags['git-cache-dir'] ?? path.join(homedir(), '.cache', 'flotilla', 'git'),
      allowFileUrls: flags['allow-file-urls'] ?? false,
    });
    process.stdout.write(
      objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n'),
    );
    return 0;
  } catch (error) {
    process.stderr.write(`Error: ${describe(error, dir)}\n`);
    return 1;
  }
}

interface RenderFolderInput {
  dir: string;
  clusterName: string;
  labels: Record<string, string>;
  groups: readonly string[];
  optionsFile?: string | undefined;
  chartCacheDir: string;
  gitCacheDir: string;
  allowFileUrls: boolean;
}

/**
 * The folder is read as a repository whose root is the bundle: paths in messages are relative
 * to it, and, as in Fleet, kustomize bases outside the bundle are not part of it.
 */
async function renderFolder(input: RenderFolderInput): Promise<KubeObject[]> {
  const { files, archives } = await readBundleFolder(input.dir);
  const options = loadBundleOptions(files, '', undefined, input.optionsFile);
  // Group membership is given, not computed: a group with an empty selector holds every cluster.
  const groups: ClusterGroupFacts[] = input.groups.map((name) => ({
    name,
    labels: {},
    selector: {},
  }));
  const cluster = { id: input.clusterName, name: input.clusterName, labels: input.labels };
  const match = firstMatchingTarget(options.targetCustomizations, cluster, groups);
  if (match?.doNotDeploy) return [];
  const customization = match?.target;
  const bundle = { files, bundlePath: '', options, customization };
  const source = bundleChartSource(bundle);
  const charts = new Map<string, Chart>();
  if (source?.kind === 'external') {
    const { request } = source;
    const archive = request.isInRepository ? archives.get(request.chart) : undefined;
    if (request.isInRepository && archive === undefined) {
      throw new Error(`${request.chart}: helm.chart names an archive that is not in the folder`);
    }
    const chart = archive
      ? await loadChartArchive(archive, DEFAULT_CHART_LIMITS, request.chart)
      : (await fetchChart({ spec: request, cacheDir: input.chartCacheDir })).chart;
    charts.set(chartKeyOf(request), chart);
  }
  const chart = await loadBundleChart({ ...bundle, charts });
  // Remote kustomize bases are fetched as the worker fetches them: git, the address policy,
  // no credentials, the same bounds.
  const git = createGitCache({
    dir: input.gitCacheDir,
    allowFileUrls: input.allowFileUrls,
  });
  const remoteBases = await resolveRemoteBases({
    ...bundle,
    fetchRepository: ({ repoUrl, ref }) => readRemoteRepository({ git, url: repoUrl, ref }),
  });
  // Fleet names a bundle after its path; the folder's own name stands in for it here.
  const bundleName = options.name ? undefined : bundleNameOf(path.basename(input.dir));
  const kustomizeCharts = await loadKustomizeCharts({
    ...bundle,
    pullChart: async ({ repo, name, version }) =>
      (
        await fetchChart({
          spec: { repo, chart: name, version },
          cacheDir: input.chartCacheDir,
        })
      ).chart,
  });
  return renderBundle({ ...bundle, chart, bundleName, remoteBases, kustomizeCharts }).objects;
}

/** Engine and chart errors name the file already; an error without a place gets the folder. */
function describe(error: unknown, dir: string): string {
  if (!(error instanceof Error)) return String(error);
  const where = 'where' in error && typeof error.where === 'string' ? error.where : '';
  if (where && !error.message.includes(where)) return `${error.message} (${where})`;
  return error.message || `${dir}: ${error.name}`;
}
