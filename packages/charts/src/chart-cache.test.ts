import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCachedChart, writeCachedChart } from './chart-cache.ts';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const archive = (n: number, size = 100) => Buffer.alloc(size, n);

describe('the chart cache: by digest, bounded, least recently used out first', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-chart-cache-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const age = async (data: Buffer, secondsAgo: number) => {
    const when = new Date(Date.now() - secondsAgo * 1000);
    await utimes(join(dir, `${sha256(data)}.tgz`), when, when);
  };

  it('evicts the least recently used archives beyond the file count, a read counting as a use', async () => {
    const [a, b, c, d] = [archive(1), archive(2), archive(3), archive(4)];
    const limits = { maxBytes: 1_000_000, maxFiles: 3 };
    await writeCachedChart(dir, sha256(a), a, limits);
    await writeCachedChart(dir, sha256(b), b, limits);
    await writeCachedChart(dir, sha256(c), c, limits);
    await age(a, 30);
    await age(b, 20);
    await age(c, 10);
    expect(await readCachedChart(dir, sha256(a))).toEqual(a);
    await writeCachedChart(dir, sha256(d), d, limits);
    expect((await readdir(dir)).sort()).toEqual(
      [a, c, d].map((data) => `${sha256(data)}.tgz`).sort(),
    );
  });

  it('evicts by bytes, keeps the archive just written, and ignores a file that no longer hashes to its name', async () => {
    const [big, small] = [archive(5, 600), archive(6, 300)];
    const limits = { maxBytes: 800, maxFiles: 100 };
    await writeCachedChart(dir, sha256(small), small, limits);
    await age(small, 10);
    await writeCachedChart(dir, sha256(big), big, limits);
    expect(await readdir(dir)).toEqual([`${sha256(big)}.tgz`]);
    await writeCachedChart(dir, sha256(small), small, { maxBytes: 100, maxFiles: 100 });
    expect(await readdir(dir)).toEqual([`${sha256(small)}.tgz`]);

    await writeFile(join(dir, `${sha256(small)}.tgz`), 'tampered');
    expect(await readCachedChart(dir, sha256(small))).toBeUndefined();
    expect(await readCachedChart(dir, '../../etc/passwd')).toBeUndefined();
  });
});
