import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface BundleFolder {
  /** Text files by POSIX path relative to the folder (the engine's RepoFiles). */
  files: Map<string, string>;
  /** Chart archives (.tgz) by the same paths: bytes the text map cannot hold. */
  archives: Map<string, Buffer>;
}

// Bounds like the git tree reader's: a folder given by mistake (a home folder) fails fast.
const MAX_FILES = 20_000;
const MAX_TOTAL_BYTES = 200 * 1024 * 1024;

/**
 * Reads a bundle folder as the git tree reader reads a commit: regular files only (symbolic
 * links are skipped, so nothing outside the folder is read), `.git` left out, binary files
 * (a NUL byte) left out of the text map.
 */
export async function readBundleFolder(root: string): Promise<BundleFolder> {
  const files = new Map<string, string>();
  const archives = new Map<string, Buffer>();
  let count = 0;
  let bytes = 0;
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
      throw new Error(`${folder}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') await walk(full);
        continue;
      }
      if (!entry.isFile()) continue;
      const data = await readFile(full);
      count += 1;
      bytes += data.length;
      if (count > MAX_FILES || bytes > MAX_TOTAL_BYTES) {
        throw new Error(`${root}: more than ${MAX_FILES} files or ${MAX_TOTAL_BYTES} bytes`);
      }
      const relative = path.relative(root, full).split(path.sep).join('/');
      if (/\.(tgz|tar\.gz)$/.test(relative)) archives.set(relative, data);
      if (!data.includes(0)) files.set(relative, data.toString('utf8'));
    }
  };
  await walk(root);
  return { files, archives };
}
