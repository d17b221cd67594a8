import { CatFileBatch, type BlobContent } from './cat-file-batch.ts';
import { GitError, RepoTreeError } from './errors.ts';
import { summarizeStderr } from './git-failure.ts';
import { gitEnvironment, runGit } from './git-process.ts';
import { planRepoFiles, type RefusedPath, type TreeEntry } from './tree-plan.ts';
import type { GitLogger, RepoFiles } from './types.ts';

export interface ReadLimits {
  /** A text file larger than this is refused (reported in `refused`, never read into memory). */
  maxFileBytes: number;
  /** Text read in all, over the files in scope; beyond it the whole read fails. */
  maxTotalBytes: number;
  /** Files in scope (text or binary, links counted at each path they appear); beyond it the read fails. */
  maxFiles: number;
}

export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxFileBytes: 10 * 1024 * 1024,
  maxTotalBytes: 100 * 1024 * 1024,
  maxFiles: 20_000,
});

export interface ReadRepoFilesOptions {
  /** A repository holding `commit`, such as the one `GitCache.fetch` returned. */
  gitDir: string;
  /** A full commit id (as `GitCache.fetch` returns it). */
  commit: string;
  limits?: Partial<ReadLimits>;
  /** Repository folders to read ("" or "." for all); files outside them are not read. */
  under?: readonly string[];
  timeoutMs?: number;
  /** Environment passed on to git (PATH and the like); see `gitEnvironment`. */
  env?: Readonly<Record<string, string>>;
  logger?: GitLogger;
  /**
   * Binary files to keep, by path (chart archives, say); every other binary file is skipped.
   * Kept bytes count in `maxTotalBytes`, and a file over `maxFileBytes` is left out (the caller
   * finds it missing and says so).
   */
  keepBinary?: (path: string) => boolean;
}

export interface RepoTree {
  files: RepoFiles;
  /** The binary files `keepBinary` asked for, by path. */
  binaries: ReadonlyMap<string, Buffer>;
  /** Paths left out for a reason that must fail the bundles containing them. */
  refused: RefusedPath[];
}

/** A link target longer than this cannot exist on Linux (PATH_MAX), so it is treated as dangling. */
const MAX_LINK_TARGET_BYTES = 4096;

const COMMIT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The files of one commit, read from the object database: `git ls-tree` for the listing and one
 * `git cat-file --batch` process for the contents; nothing is checked out, so no path in the
 * repository ever touches the worker's file system. Binary files (NUL bytes) are skipped unless
 * `keepBinary` asks for them, and submodules ignored: neither holds manifests. Symbolic links are resolved inside the tree
 * (see `planRepoFiles`). Problems with single paths come back in `refused`; only a breach of the
 * repository-wide limits (`maxFiles`, `maxTotalBytes`) throws a `RepoTreeError`.
 */
export async function readRepoFiles({
  gitDir,
  commit,
  limits: partialLimits,
  under,
  timeoutMs = 60_000,
  env: baseEnv,
  logger,
  keepBinary,
}: ReadRepoFilesOptions): Promise<RepoTree> {
  const limits = { ...DEFAULT_READ_LIMITS, ...partialLimits };
  if (!COMMIT_ID.test(commit)) {
    throw new GitError('RefNotFound', `"${commit}" is not a full commit id`);
  }
  const env = gitEnvironment(baseEnv);
  const listing = await runGit({
    args: ['--git-dir', gitDir, 'ls-tree', '-r', '-z', '--long', '--full-tree', commit],
    env,
    timeoutMs,
    logger,
  });
  if (listing.isTimedOut)
    throw new GitError('Timeout', `listing commit ${commit} took longer than ${timeoutMs} ms`);
  if (listing.code !== 0) {
    const isMissing = /not a tree object|Not a valid object name|bad object/i.test(listing.stderr);
    throw isMissing
      ? new GitError(
          'RefNotFound',
          `commit ${commit} is not in the repository cache; fetch it first`,
        )
      : new GitError('Failed', `git ls-tree failed: ${summarizeStderr(listing.stderr)}`);
  }
  const entries = parseLsTree(listing.stdout);
  const links = entries.filter((entry) => entry.kind === 'link');
  if (links.length > limits.maxFiles) {
    throw new RepoTreeError(
      'LimitExceeded',
      `the repository has more than ${limits.maxFiles} symbolic links`,
      '',
    );
  }

  const batch = new CatFileBatch({ gitDir, env, timeoutMs, logger });
  try {
    const linkTargets = new Map<string, string>();
    const targets = await Promise.all(
      links.map((link) => batch.read(link.oid, MAX_LINK_TARGET_BYTES)),
    );
    links.forEach((link, index) => {
      const target = targets[index];
      if (target?.kind === 'text') linkTargets.set(link.path, target.text);
    });

    const plan = planRepoFiles({ entries, linkTargets, under, maxFiles: limits.maxFiles });
    const refused = [...plan.refused];
    const reads = new Map<string, Promise<BlobContent>>();
    for (const file of plan.files) {
      if (reads.has(file.oid)) continue;
      const read = batch.read(file.oid, limits.maxFileBytes);
      // Reads still queued when a limit stops the loop are rejected by abort(); nobody awaits them.
      read.catch(() => undefined);
      reads.set(file.oid, read);
    }

    const files = new Map<string, string>();
    const binaries = new Map<string, Buffer>();
    let totalBytes = 0;
    const count = (bytes: number, path: string) => {
      totalBytes += bytes;
      if (totalBytes > limits.maxTotalBytes) {
        throw new RepoTreeError(
          'LimitExceeded',
          `the files to read exceed ${limits.maxTotalBytes} bytes in all (maxTotalBytes), at ${path}`,
          path,
        );
      }
    };
    for (const file of plan.files) {
      const content = await (reads.get(file.oid) as Promise<BlobContent>);
      if (keepBinary?.(file.path)) {
        // Kept whole, text or not: an archive without a NUL byte is still an archive.
        const data =
          content.kind === 'binary'
            ? content.data
            : content.kind === 'text'
              ? Buffer.from(content.text, 'utf8')
              : undefined;
        if (data) {
          count(data.length, file.path);
          binaries.set(file.path, data);
          continue;
        }
      }
      if (content.kind === 'tooLarge') {
        refused.push({
          path: file.path,
          code: 'LimitExceeded',
          reason: `${file.path} is ${file.size} bytes, over the ${limits.maxFileBytes}-byte limit for one file (maxFileBytes)`,
        });
        continue;
      }
      if (content.kind !== 'text') continue;
      count(content.bytes, file.path);
      files.set(file.path, content.text);
    }
    await batch.close();
    return { files, binaries, refused };
  } finally {
    await batch.abort();
  }
}

/** Parses `git ls-tree -r -z --long`: "<mode> <type> <oid> <size>\t<path>\0" per entry. */
function parseLsTree(output: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
    const path = record.slice(tab + 1);
    if (type !== 'blob' || oid === undefined) continue;
    // 100644 and 100755 are files, 120000 links; submodules (160000) are commits, not blobs.
    const kind = mode === '120000' ? 'link' : mode?.startsWith('100') ? 'file' : undefined;
    if (kind) entries.push({ path, kind, oid, size: Number(size) });
  }
  return entries;
}
