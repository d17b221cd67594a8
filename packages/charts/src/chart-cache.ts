import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How much the chart cache may hold; the least recently used archives go first. */
export interface ChartCacheLimits {
  maxBytes: number;
  maxFiles: number;
}

export const DEFAULT_CHART_CACHE_LIMITS: Readonly<ChartCacheLimits> = Object.freeze({
  maxBytes: 1024 * 1024 * 1024,
  maxFiles: 1000,
});

const DIGEST = /^[0-9a-f]{64}$/;

/**
 * An archive by its sha256, used only while it still hashes to its name (a file changed on disk
 * is ignored and fetched again). A hit marks the file as recently used.
 */
export async function readCachedChart(
  dir: string | undefined,
  digest: string,
): Promise<Buffer | undefined> {
  if (!dir || !DIGEST.test(digest)) return undefined;
  const file = join(dir, `${digest}.tgz`);
  const data = await readFile(file).catch(() => undefined);
  if (!data || createHash('sha256').update(data).digest('hex') !== digest) return undefined;
  const now = new Date();
  await utimes(file, now, now).catch(() => undefined);
  return data;
}

/**
 * Stores an archive under its sha256 (written to a temporary name, then renamed: a reader never
 * sees half a file), then evicts the least recently used archives beyond the limits.
 */
export async function writeCachedChart(
  dir: string | undefined,
  digest: string,
  data: Buffer,
  limits: ChartCacheLimits = DEFAULT_CHART_CACHE_LIMITS,
): Promise<void> {
  if (!dir || !DIGEST.test(digest)) return;
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `${digest}.${process.pid}.${Date.now()}.tmp`);
  await writeFile(temporary, data);
  await rename(temporary, join(dir, `${digest}.tgz`));
  await evictCachedCharts(dir, limits, digest);
}

/** Removes the least recently used archives until the cache is within `limits`; `keep` stays. */
export async function evictCachedCharts(
  dir: string,
  limits: ChartCacheLimits,
  keep?: string,
): Promise<void> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) =>
    /^[0-9a-f]{64}\.tgz$/.test(name),
  );
  const files = (
    await Promise.all(
      names.map(async (name) => {
        const info = await stat(join(dir, name)).catch(() => undefined);
        return info ? { name, size: info.size, usedAt: info.mtimeMs } : undefined;
      }),
    )
  ).filter((file) => file !== undefined);
  let totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  let count = files.length;
  files.sort((a, b) => a.usedAt - b.usedAt);
  for (const file of files) {
    if (totalBytes <= limits.maxBytes && count <= limits.maxFiles) break;
    if (file.name === `${keep}.tgz`) continue;
    await rm(join(dir, file.name), { force: true });
    totalBytes -= file.size;
    count -= 1;
  }
}
