import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBareRepo, type BareRepo } from '../../testkit/src/git.ts';
import {
  GitError,
  RepoTreeError,
  createGitCache,
  readRepoFiles,
  type GitCache,
} from '../src/index.ts';
import { rejectionOf } from './helpers.ts';

const SUBMODULE_COMMIT = '1234567890abcdef1234567890abcdef12345678';
const BIG_YAML = `data: "${'y'.repeat(3000)}"\n`;
const BINARY = `\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR${'\u0000'.repeat(16)}`;

describe('readRepoFiles: the files of a commit, straight from the object database', () => {
  let root: string;
  let repo: BareRepo;
  let cache: GitCache;
  let commit: string;
  let gitDir: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'flotilla-read-tree-test-'));
    repo = await createBareRepo({
      'apps/web/deploy.yaml': 'kind: Deployment\nmetadata:\n  name: wëb\n',
      'apps/web/alias.yaml': { symlink: 'deploy.yaml' },
      'apps/web/base': { symlink: '../../shared' },
      'shared/cm.yaml': 'kind: ConfigMap\n',
      'apps/web/logo.png': BINARY,
      'apps/bad/ok.yaml': 'kind: Secret\n',
      'apps/bad/passwd.yaml': { symlink: '../../../etc/passwd' },
      'apps/bad/absolute.yaml': { symlink: '/etc/passwd' },
      '../outside.yaml': 'kind: Namespace\n',
      'apps/big/huge.yaml': BIG_YAML,
      'apps/big/huge.bin': `${BINARY}${'z'.repeat(3000)}`,
      'vendor/lib': { submodule: SUBMODULE_COMMIT },
    });
    cache = createGitCache({ dir: path.join(root, 'cache'), allowFileUrls: true });
    ({ commit, gitDir } = await cache.fetch({ repoId: 'tree', url: repo.url }));
  });

  afterAll(async () => {
    await repo?.remove();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('returns text files, resolves links inside the repository, and refuses the ones that leave it', async () => {
    const tree = await readRepoFiles({ gitDir, commit, limits: { maxFileBytes: 2000 } });
    expect(Object.fromEntries(tree.files)).toEqual({
      'apps/bad/ok.yaml': 'kind: Secret\n',
      'apps/web/alias.yaml': 'kind: Deployment\nmetadata:\n  name: wëb\n',
      'apps/web/base/cm.yaml': 'kind: ConfigMap\n',
      'apps/web/deploy.yaml': 'kind: Deployment\nmetadata:\n  name: wëb\n',
      'shared/cm.yaml': 'kind: ConfigMap\n',
    });
    expect(tree.refused).toEqual([
      {
        path: '../outside.yaml',
        code: 'PathEscapes',
        reason: '"../outside.yaml" is not a path inside the repository',
      },
      {
        path: 'apps/bad/absolute.yaml',
        code: 'PathEscapes',
        reason: 'apps/bad/absolute.yaml points outside the repository',
      },
      {
        path: 'apps/bad/passwd.yaml',
        code: 'PathEscapes',
        reason: 'apps/bad/passwd.yaml points outside the repository',
      },
      {
        path: 'apps/big/huge.yaml',
        code: 'LimitExceeded',
        reason: `apps/big/huge.yaml is ${BIG_YAML.length} bytes, over the 2000-byte limit for one file (maxFileBytes)`,
      },
    ]);
  });

  it('reads only the folders asked for, following their links elsewhere', async () => {
    const tree = await cache.readFiles({ repoId: 'tree', commit, under: ['apps/web'] });
    expect([...tree.files.keys()]).toEqual([
      'apps/web/alias.yaml',
      'apps/web/base/cm.yaml',
      'apps/web/deploy.yaml',
    ]);
    expect(tree.refused).toEqual([]);
  });

  it('fails the whole read past maxTotalBytes or maxFiles', async () => {
    const tooMuch = await rejectionOf(
      readRepoFiles({ gitDir, commit, limits: { maxTotalBytes: 100 } }),
    );
    expect(tooMuch).toBeInstanceOf(RepoTreeError);
    expect(tooMuch).toMatchObject({ code: 'LimitExceeded' });
    expect((tooMuch as RepoTreeError).message).toMatch(
      /^the files to read exceed 100 bytes in all \(maxTotalBytes\), at /,
    );

    // Eight files are in scope: five texts, two binaries and the large text.
    const tooMany = await rejectionOf(readRepoFiles({ gitDir, commit, limits: { maxFiles: 7 } }));
    expect(tooMany).toBeInstanceOf(RepoTreeError);
    expect((tooMany as RepoTreeError).message).toBe(
      'the repository has more than 7 files to read (maxFiles)',
    );
    await expect(readRepoFiles({ gitDir, commit, limits: { maxFiles: 8 } })).resolves.toBeDefined();
  });

  it('keeps the binary files asked for, byte for byte and bounded, and skips the others', async () => {
    const archive = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0xff, 0x00, 0x0a, 0x80, 0x7f]);
    const binaries = await createBareRepo({
      'charts/web-1.0.0.tgz': { bytes: archive },
      'charts/web/charts/sub.tgz': { bytes: Buffer.concat([archive, Buffer.alloc(4000)]) },
      'charts/alias.tgz': { symlink: 'web-1.0.0.tgz' },
      'charts/logo.png': { bytes: Buffer.from(BINARY, 'latin1') },
      'charts/values.yaml': 'a: 1\n',
    });
    try {
      const fetched = await cache.fetch({ repoId: 'binaries', url: binaries.url });
      const keepBinary = (file: string) => file.endsWith('.tgz');
      const tree = await cache.readFiles({
        repoId: 'binaries',
        commit: fetched.commit,
        keepBinary,
        limits: { maxFileBytes: 1000 },
      });
      expect([...tree.files.keys()]).toEqual(['charts/values.yaml']);
      // The 4 KB archive is over maxFileBytes: left out, not refused (no bundle need fail for it).
      expect(Object.fromEntries(tree.binaries)).toEqual({
        'charts/alias.tgz': archive,
        'charts/web-1.0.0.tgz': archive,
      });
      expect(tree.refused).toEqual([]);

      const plain = await cache.readFiles({ repoId: 'binaries', commit: fetched.commit });
      expect(plain.binaries.size).toBe(0);
      const tooMuch = await rejectionOf(
        cache.readFiles({
          repoId: 'binaries',
          commit: fetched.commit,
          keepBinary,
          limits: { maxTotalBytes: 15 },
        }),
      );
      expect((tooMuch as RepoTreeError).message).toMatch(/exceed 15 bytes in all/);
    } finally {
      await binaries.remove();
    }
  });

  it('reads large and many files intact through one cat-file process', async () => {
    const large = `kind: ConfigMap\ndata:\n${Array.from({ length: 20_000 }, (_, i) => `  key${i}: "välue ${i}"\n`).join('')}`;
    const many = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`many/file-${i}.yaml`, `index: ${i}\n`]),
    );
    const bulk = await createBareRepo({ 'large.yaml': large, ...many });
    try {
      const fetched = await cache.fetch({ repoId: 'bulk', url: bulk.url });
      const tree = await cache.readFiles({ repoId: 'bulk', commit: fetched.commit });
      expect(tree.files.size).toBe(301);
      expect(tree.files.get('large.yaml')).toBe(large);
      expect(tree.files.get('many/file-299.yaml')).toBe('index: 299\n');
    } finally {
      await bulk.remove();
    }
  });

  it('says RefNotFound for a commit the cache does not hold', async () => {
    const error = await rejectionOf(readRepoFiles({ gitDir, commit: 'a'.repeat(40) }));
    expect(error).toBeInstanceOf(GitError);
    expect(error).toMatchObject({
      code: 'RefNotFound',
      message: `commit ${'a'.repeat(40)} is not in the repository cache; fetch it first`,
    });
    const notAnId = await rejectionOf(readRepoFiles({ gitDir, commit: '--output=/tmp/x' }));
    expect(notAnId).toMatchObject({
      code: 'RefNotFound',
      message: '"--output=/tmp/x" is not a full commit id',
    });
  });
});
