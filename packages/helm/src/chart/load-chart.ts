import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { parse as parseYamlFailsafe } from 'yaml';
import { isPlainObject } from '../template/values.ts';
import { parseYaml } from '../sprig/serialize.ts';
import { ChartError } from './errors.ts';
import { HelmIgnore } from './helmignore.ts';
import type { Chart, ChartDependency, ChartFile, ChartMetadata } from './types.ts';

/** Bounds on what a chart may hold, as Helm's loader has them (100 MiB, 5 MiB a file). */
export interface ChartLimits {
  maxTotalBytes: number;
  maxFileBytes: number;
  maxFiles: number;
}

export const DEFAULT_CHART_LIMITS: ChartLimits = {
  maxTotalBytes: 100 * 1024 * 1024,
  maxFileBytes: 5 * 1024 * 1024,
  maxFiles: 10_000,
};

/** Loads a chart from a folder or a `.tgz` archive on disk. */
export async function loadChart(
  path: string,
  limits: ChartLimits = DEFAULT_CHART_LIMITS,
): Promise<Chart> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new ChartError(`chart not found: ${path}`, path);
  if (info.isDirectory()) return loadChartFiles(await readChartFolder(path, limits), limits);
  return loadChartArchive(await readFile(path), limits, path);
}

/** Reads a chart folder as Helm's LoadDir does: .helmignore applied, no link leaving the chart. */
async function readChartFolder(root: string, limits: ChartLimits): Promise<ChartFile[]> {
  const realRoot = await realpath(root);
  const ignoreText = await readFile(join(root, '.helmignore'), 'utf8').catch(() => '');
  const ignore = new HelmIgnore(ignoreText);
  const files: ChartFile[] = [];
  let total = 0;
  const walk = async (folder: string): Promise<void> => {
    const entries = (await readdir(folder)).sort();
    for (const entry of entries) {
      const full = join(folder, entry);
      const name = relative(root, full).split(sep).join('/');
      let info = await lstat(full);
      if (info.isSymbolicLink()) {
        const target = await realpath(full).catch(() => null);
        if (!target || (target !== realRoot && !target.startsWith(realRoot + sep))) {
          throw new ChartError(`chart file ${name} is a link that leaves the chart`, name);
        }
        info = await stat(full);
      }
      if (ignore.isIgnored(name, info.isDirectory())) continue;
      if (info.isDirectory()) {
        await walk(full);
        continue;
      }
      if (!info.isFile()) continue;
      checkBounds(name, info.size, (total += info.size), files.length + 1, limits);
      files.push({ name, data: await readFile(full) });
    }
  };
  await walk(root);
  return files;
}

function checkBounds(
  name: string,
  size: number,
  total: number,
  count: number,
  limits: ChartLimits,
): void {
  if (size > limits.maxFileBytes) {
    throw new ChartError(`chart file ${name} is larger than ${limits.maxFileBytes} bytes`, name);
  }
  if (total > limits.maxTotalBytes) {
    throw new ChartError(`chart is larger than ${limits.maxTotalBytes} bytes (at ${name})`, name);
  }
  if (count > limits.maxFiles)
    throw new ChartError(`chart has more than ${limits.maxFiles} files (at ${name})`, name);
}

/**
 * The files of a chart archive (a gzipped tar whose entries sit under one top folder). Entries
 * that would leave the chart (absolute, `..`, links, devices) are refused, naming the entry.
 */
export async function readChartArchive(
  data: Buffer,
  limits: ChartLimits,
  source: string,
): Promise<ChartFile[]> {
  const files: ChartFile[] = [];
  let total = 0;
  const tar = extract();
  const gunzip = createGunzip();
  let inflated = 0;
  gunzip.on('data', (chunk: Buffer) => {
    inflated += chunk.length;
    // A gzip bomb is cut off while inflating, before tar-stream buffers it.
    if (inflated > limits.maxTotalBytes + 1024 * 1024) {
      gunzip.destroy(
        new ChartError(
          `${source}: chart archive is larger than ${limits.maxTotalBytes} bytes`,
          source,
        ),
      );
    }
  });
  const done = (async () => {
    for await (const entry of tar) {
      const { name: rawName, type, size = 0 } = entry.header;
      const name = rawName.replace(/\\/g, '/');
      if (type === 'directory') {
        entry.resume();
        continue;
      }
      if (type !== 'file' && type !== 'contiguous-file') {
        throw new ChartError(`${source}: archive entry ${name} is a ${type}, not a file`, name);
      }
      if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.split('/').includes('..')) {
        throw new ChartError(`${source}: archive entry ${name} leaves the chart`, name);
      }
      const parts = name.split('/').filter((p) => p !== '' && p !== '.');
      if (parts.length < 2) {
        throw new ChartError(
          `${source}: archive entry ${name} is not inside the chart's folder`,
          name,
        );
      }
      const inner = parts.slice(1).join('/');
      checkBounds(inner, size, (total += size), files.length + 1, limits);
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      files.push({ name: inner, data: Buffer.concat(chunks) });
    }
  })();
  Readable.from([data]).pipe(gunzip).pipe(tar);
  const failed = new Promise<never>((_, reject) => {
    gunzip.on('error', (error: Error) => {
      tar.destroy(error);
      reject(
        error instanceof ChartError
          ? error
          : new ChartError(`${source}: not a gzipped chart archive: ${error.message}`, source),
      );
    });
  });
  await Promise.race([done, failed]);
  if (files.length === 0) throw new ChartError(`${source}: the chart archive is empty`, source);
  return files;
}

export async function loadChartArchive(
  data: Buffer,
  limits: ChartLimits,
  source: string,
): Promise<Chart> {
  return loadChartFiles(await readChartArchive(data, limits, source), limits);
}

const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);

/**
 * Chart.yaml's fields. Helm reads them into typed string fields, so `appVersion: 1.10` is the
 * string "1.10" (not the number 1.1): the failsafe schema keeps every scalar's text.
 */
function parseMetadata(data: Buffer): ChartMetadata {
  let raw: unknown;
  let typed: unknown;
  try {
    raw = parseYamlFailsafe(data.toString('utf8'), { schema: 'failsafe' });
    typed = parseYaml(data.toString('utf8'));
  } catch (error) {
    throw new ChartError(`Chart.yaml: ${(error as Error).message}`, 'Chart.yaml');
  }
  if (!isPlainObject(raw) || !isPlainObject(typed))
    throw new ChartError('Chart.yaml: not a map', 'Chart.yaml');
  const deps = Array.isArray(raw.dependencies) ? raw.dependencies : [];
  const typedDeps = Array.isArray(typed.dependencies) ? typed.dependencies : [];
  const metadata: ChartMetadata = {
    apiVersion: str(raw.apiVersion),
    name: str(raw.name),
    version: str(raw.version),
    appVersion: str(raw.appVersion),
    description: str(raw.description),
    type: str(raw.type),
    kubeVersion: str(raw.kubeVersion),
    home: str(raw.home),
    icon: str(raw.icon),
    keywords: strList(raw.keywords),
    sources: strList(raw.sources),
    maintainers: (Array.isArray(raw.maintainers) ? raw.maintainers : []).map((m: unknown) => {
      const o = isPlainObject(m) ? m : {};
      return { name: str(o.name), email: str(o.email), url: str(o.url) };
    }),
    annotations: isPlainObject(raw.annotations)
      ? Object.fromEntries(Object.entries(raw.annotations).map(([k, v]) => [k, str(v)]))
      : {},
    deprecated: typed.deprecated === true,
    condition: str(raw.condition),
    tags: str(raw.tags),
    dependencies: deps.map((d: unknown, i: number): ChartDependency => {
      const o = isPlainObject(d) ? d : {};
      const t = typedDeps[i];
      const typedDep = isPlainObject(t) ? t : {};
      return {
        name: str(o.name),
        version: str(o.version),
        repository: str(o.repository),
        condition: str(o.condition),
        tags: strList(o.tags),
        alias: str(o.alias),
        enabled: true,
        importValues: Array.isArray(typedDep['import-values']) ? typedDep['import-values'] : [],
      };
    }),
  };
  if (!metadata.name)
    throw new ChartError('Chart.yaml: chart.metadata.name is required', 'Chart.yaml');
  if (!metadata.version)
    throw new ChartError('Chart.yaml: chart.metadata.version is required', 'Chart.yaml');
  if (metadata.apiVersion === '') metadata.apiVersion = 'v1';
  return metadata;
}

/** Helm's LoadFiles: sorts a chart's files into metadata, values, templates, files and subcharts. */
export async function loadChartFiles(
  files: ChartFile[],
  limits: ChartLimits = DEFAULT_CHART_LIMITS,
): Promise<Chart> {
  const chartYaml = files.find((f) => f.name === 'Chart.yaml');
  if (!chartYaml) throw new ChartError('Chart.yaml file is missing', 'Chart.yaml');
  const metadata = parseMetadata(chartYaml.data);
  const chart: Chart = {
    metadata,
    values: {},
    schema: null,
    templates: [],
    files: [],
    dependencies: [],
    parent: null,
  };
  const subcharts = new Map<string, ChartFile[]>();
  for (const file of files) {
    if (
      file.name === 'Chart.yaml' ||
      file.name === 'Chart.lock' ||
      file.name === 'requirements.lock'
    )
      continue;
    if (file.name === 'values.yaml') {
      chart.values = readValuesFile(file, `${metadata.name}/values.yaml`);
    } else if (file.name === 'values.schema.json') {
      try {
        chart.schema = JSON.parse(file.data.toString('utf8')) as unknown;
      } catch (error) {
        throw new ChartError(
          `${metadata.name}/values.schema.json: ${(error as Error).message}`,
          'values.schema.json',
        );
      }
    } else if (file.name === 'requirements.yaml' && metadata.apiVersion === 'v1') {
      const req = parseYaml(file.data.toString('utf8'));
      if (isPlainObject(req) && Array.isArray(req.dependencies)) {
        metadata.dependencies = parseMetadata(
          Buffer.from(`name: x\nversion: 0.0.0\n${file.data.toString('utf8')}`),
        ).dependencies;
      }
    } else if (file.name.startsWith('templates/')) {
      chart.templates.push(file);
    } else if (file.name.startsWith('charts/') && !file.name.endsWith('.prov')) {
      const rest = file.name.slice('charts/'.length);
      const key = rest.split('/')[0] ?? rest;
      subcharts.set(key, [
        ...(subcharts.get(key) ?? []),
        { name: rest.slice(key.length + 1), data: file.data },
      ]);
    } else {
      chart.files.push(file);
    }
  }
  for (const [key, subFiles] of [...subcharts].sort(([a], [b]) => a.localeCompare(b))) {
    let sub: Chart;
    if (key.endsWith('.tgz') || key.endsWith('.tar.gz')) {
      const archive = files.find((f) => f.name === `charts/${key}`);
      if (!archive) continue;
      try {
        sub = await loadChartArchive(archive.data, limits, `${metadata.name}/charts/${key}`);
      } catch (error) {
        // The archive is the file to point at: an entry name such as ../x is no path to show.
        if (error instanceof ChartError) throw new ChartError(error.message, `charts/${key}`);
        throw error;
      }
    } else {
      if (!subFiles.some((f) => f.name === 'Chart.yaml')) continue;
      try {
        sub = await loadChartFiles(subFiles, limits);
      } catch (error) {
        if (error instanceof ChartError) {
          throw new ChartError(
            `${metadata.name}/charts/${key}: ${error.message}`,
            `charts/${key}/${error.file ?? ''}`,
          );
        }
        throw error;
      }
    }
    sub.parent = chart;
    chart.dependencies.push(sub);
  }
  return chart;
}

/** A values file (values.yaml or -f): a YAML map in Helm's value model; empty is `{}`. */
export function readValuesFile(file: ChartFile, displayName: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(file.data.toString('utf8'));
  } catch (error) {
    throw new ChartError(`${displayName}: ${(error as Error).message}`, displayName);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainObject(parsed))
    throw new ChartError(`${displayName}: values must be a map`, displayName);
  return parsed;
}
