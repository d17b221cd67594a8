import { posix } from 'node:path';
import { EngineError } from '../errors.ts';

/**
 * Normalizes a path inside the repository to RepoFiles' form: POSIX, relative, no "./", and ""
 * for the root. A leading "/" means the repository root, as in Fleet's `paths`. A path that
 * climbs out of `base` (by default the repository) is refused: rendering must never read
 * beyond the folder it was given.
 */
export function resolveInside(base: string, path: string, what: string): string {
  const joined = posix.normalize(posix.join(base, path.replace(/^\/+/, '')));
  const resolved = joined === '.' ? '' : joined.replace(/\/+$/, '');
  if (!isInside(base, resolved)) {
    const scope = base === '' ? 'the repository' : `"${base}"`;
    throw new EngineError('PathEscapes', `${what} "${path}" leaves ${scope}`, path);
  }
  return resolved;
}

export function isInside(base: string, path: string): boolean {
  if (path === '..' || path.startsWith('../')) return false;
  return base === '' || path === base || path.startsWith(`${base}/`);
}

/** `path` relative to `base`, for a path known to be inside it. */
export function relativeTo(base: string, path: string): string {
  if (base === '') return path;
  return path === base ? '' : path.slice(base.length + 1);
}

export function joinPath(...parts: string[]): string {
  return parts.filter((part) => part !== '').join('/');
}

/** The folder holding `path`; "" for a top-level entry. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** Every folder that holds a file, "" (the root) included. */
export function foldersOf(paths: Iterable<string>): Set<string> {
  const folders = new Set<string>(['']);
  for (const path of paths) {
    let slash = path.lastIndexOf('/');
    while (slash > 0) {
      const folder = path.slice(0, slash);
      if (folders.has(folder)) break;
      folders.add(folder);
      slash = folder.lastIndexOf('/');
    }
  }
  return folders;
}
