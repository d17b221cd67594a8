import {
  ChartError,
  formatHelmTemplate,
  mergeMaps,
  readValuesFile,
  renderChart,
  type Chart,
} from '@flotilla/helm';
import { EngineError } from '../errors.ts';
import type { RepoFiles } from '../types.ts';
import { parseKustomization, type HelmChartEntry, type Kustomization } from './kustomization.ts';
import {
  isInside,
  isRemoteReference,
  KUSTOMIZATION_FILE_NAMES,
  resolveRepoPath,
  type KustLoader,
} from './loader.ts';
import { readResources } from './read-resources.ts';
import type { Resource } from './resource.ts';

/** The charts `helmCharts:` entries inflate, loaded by the caller, by chart folder (see chartDirOf). */
export type KustomizeCharts = ReadonlyMap<string, Chart>;

/** A chart a kustomization names: where kustomize looks for it, and where it would pull it from. */
export interface KustomizeChartRequest {
  /** Repository-relative folder of the chart (`<kustomization>/charts/<name>`). */
  dir: string;
  name: string;
  repo: string;
  version: string;
  /** The kustomization file and field, for messages. */
  where: string;
}

/**
 * kustomize's chart folder: `<chartHome>/<name>` under the kustomization (chartHome defaults to
 * "charts"), or `<chartHome>/<name>-<version>/<name>` for a chart pulled from a repository at a
 * version, where `helm pull` puts it.
 */
export function chartDirOf(
  root: string,
  globals: Kustomization['helmGlobals'],
  entry: Pick<HelmChartEntry, 'name' | 'version' | 'repo'>,
  where: string,
): string {
  const home = resolveRepoPath(root, globals?.chartHome ?? 'charts', `${where}: chartHome`);
  const versioned = entry.version && entry.repo ? `/${entry.name}-${entry.version}` : '';
  return resolveRepoPath(home, `.${versioned}/${entry.name}`, where);
}

/**
 * The charts the kustomizations under `dir` (the repository's own, not remote bases) inflate,
 * one per folder. The caller loads each: from the folder when the repository has it, else from
 * `repo` (kustomize's `helm pull`).
 */
export function findKustomizeCharts(files: RepoFiles, dir: string): KustomizeChartRequest[] {
  const folders = new Set<string>();
  for (const path of files.keys()) {
    for (let at = path.indexOf('/'); at >= 0; at = path.indexOf('/', at + 1)) {
      folders.add(path.slice(0, at));
    }
  }
  const found = new Map<string, KustomizeChartRequest>();
  const visited = new Set<string>();
  const visit = (folder: string): void => {
    if (visited.has(folder)) return;
    visited.add(folder);
    const file = KUSTOMIZATION_FILE_NAMES.map((name) => (folder ? `${folder}/${name}` : name)).find(
      (path) => files.has(path),
    );
    if (file === undefined) return;
    let kustomization: Kustomization;
    try {
      kustomization = parseKustomization(files.get(file) ?? '', file);
    } catch {
      return;
    }
    kustomization.helmCharts.forEach((entry, i) => {
      const where = `${file}: helmCharts[${i}]`;
      try {
        const chartDir = chartDirOf(folder, kustomization.helmGlobals, entry, where);
        if (!found.has(chartDir)) {
          found.set(chartDir, {
            dir: chartDir,
            name: entry.name,
            repo: entry.repo ?? '',
            version: entry.version ?? '',
            where,
          });
        }
      } catch {
        // A chartHome outside the repository: the build says so.
      }
    });
    for (const reference of [...kustomization.resources, ...kustomization.components]) {
      if (isRemoteReference(reference)) continue;
      let path: string;
      try {
        path = resolveRepoPath(folder, reference, file);
      } catch {
        continue;
      }
      if (path === '' || folders.has(path)) visit(path);
    }
  };
  visit(dir);
  return [...found.values()];
}

/**
 * What `helm template` prints for one `helmCharts:` entry, as kustomize's
 * HelmChartInflationGenerator runs it, read back as resources. Values: the values file (the
 * chart's values.yaml unless `valuesFile`) combined with `valuesInline` by `valuesMerge`
 * (override: inline wins; merge: the file wins; replace: inline only), then
 * `additionalValuesFiles`; Helm puts the chart's defaults under them. The release is
 * "release-name" in "default" unless given. Random functions are seeded by the entry, so a
 * build is the same every time (kustomize, running helm, draws new values each time).
 */
export function inflateHelmChart(
  loader: KustLoader,
  kustomization: Kustomization,
  entry: HelmChartEntry,
  field: string,
): Resource[] {
  const where = loader.where(field);
  if (entry.nameTemplate !== undefined) {
    throw new EngineError('Unsupported', `${where}: nameTemplate is not supported`, where);
  }
  const dir = chartDirOf(loader.root, kustomization.helmGlobals, entry, where);
  const chart = isInside(dir, loader.boundary) ? loader.reader.charts.get(dir) : undefined;
  if (!chart) {
    const pulled = entry.repo ? ` and it was not pulled from ${entry.repo}` : '';
    throw new EngineError(
      'KustomizeFailed',
      `${where}: no chart "${entry.name}" at "${loader.reader.display(dir)}"${pulled}`,
      where,
    );
  }
  const valuesOf = (relative: string, valuesField: string) => {
    const { path, text } = loader.readFile(relative, valuesField);
    return readValuesFile({ name: path, data: Buffer.from(text) }, loader.reader.display(path));
  };
  const fileValues = entry.valuesFile ? valuesOf(entry.valuesFile, `${field}.valuesFile`) : {};
  const inline = entry.valuesInline ?? {};
  let values: Record<string, unknown>;
  switch (entry.valuesMerge ?? 'override') {
    case 'override':
      values = mergeMaps(fileValues, inline);
      break;
    case 'merge':
      // The chart's own values.yaml is the values file by default: it wins too.
      values = mergeMaps(inline, entry.valuesFile ? fileValues : chart.values);
      break;
    case 'replace':
      values = Object.keys(inline).length > 0 ? inline : fileValues;
      break;
  }
  (entry.additionalValuesFiles ?? []).forEach((file, i) => {
    values = mergeMaps(values, valuesOf(file, `${field}.additionalValuesFiles[${i}]`));
  });
  const releaseName = entry.releaseName ?? 'release-name';
  let text: string;
  try {
    const rendered = renderChart(chart, {
      releaseName,
      namespace: entry.namespace ?? 'default',
      values,
      ...(entry.kubeVersion ? { kubeVersion: entry.kubeVersion } : {}),
      ...(entry.apiVersions ? { apiVersions: entry.apiVersions } : {}),
      seed: `${loader.reader.display(loader.file)}#${field}#${releaseName}`,
    });
    if (entry.skipHooks) rendered.hooks = [];
    text = formatHelmTemplate(rendered, {
      skipTests: entry.skipTests ?? false,
      includeCrds: entry.includeCRDs ?? false,
    });
  } catch (error) {
    if (error instanceof ChartError) {
      throw new EngineError('KustomizeFailed', `${where}: ${error.message}`, where);
    }
    throw error;
  }
  return readResources(text, `${where} (${entry.name})`);
}
