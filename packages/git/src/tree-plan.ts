import { posix } from 'node:path';
import { RepoTreeError, type RepoTreeErrorCode } from './errors.ts';

/** A blob of the tree as `git ls-tree` lists it: a regular file or a symbolic link. */
export interface TreeEntry {
  path: string;
  kind: 'file' | 'link';
  oid: string;
  size: number;
}

/** A path that was not read, and why. The caller fails only the bundles that contain it. */
export interface RefusedPath {
  path: string;
  code: RepoTreeErrorCode;
  reason: string;
}

/** One file to hand to the engine: the path it is seen at, and the blob that holds its content. */
export interface PlannedFile {
  path: string;
  oid: string;
  size: number;
}

export interface TreePlan {
  files: PlannedFile[];
  refused: RefusedPath[];
}

export interface PlanOptions {
  entries: readonly TreeEntry[];
  /** The target text of every link in `entries`; a link missing here counts as dangling. */
  linkTargets: ReadonlyMap<string, string>;
  /** Only files at or below these folders; all files when undefined. */
  under?: readonly string[];
  maxFiles: number;
}

/** As Linux's ELOOP: a chain of more links than this is a loop. */
const MAX_LINK_HOPS = 40;

type Resolution =
  | { kind: 'file'; entry: TreeEntry }
  | { kind: 'dir'; path: string }
  | { kind: 'escapes' }
  | { kind: 'loop' }
  | { kind: 'missing' };

function hasInvalidSegment(path: string): boolean {
  return path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

function isAtOrBelow(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

/**
 * Decides which files of a tree the engine gets and under which paths, without reading any
 * content. Symbolic links are resolved the way the kernel would resolve them in a checkout, but
 * inside the tree only: a link to a file yields that file's blob at the link's path, a link to a
 * folder yields that folder's files below the link's path. A link that is absolute or climbs
 * above the root, an entry whose own name contains "..", and a loop of links are refused, each
 * under the path a bundle would see it at. Dangling links are left out silently, as Fleet does.
 */
export function planRepoFiles({ entries, linkTargets, under, maxFiles }: PlanOptions): TreePlan {
  const refused = new Map<string, RefusedPath>();
  const refuse = (path: string, code: RepoTreeErrorCode, reason: string) => {
    if (!refused.has(path)) refused.set(path, { path, code, reason });
  };

  const scopes: string[] = [];
  for (const folder of under ?? ['']) {
    const normalized = posix.normalize(folder.replace(/^\/+/, '')).replace(/\/+$/, '');
    const scope = normalized === '.' ? '' : normalized;
    if (scope === '..' || scope.startsWith('../'))
      refuse(folder, 'PathEscapes', `"${folder}" leaves the repository`);
    else scopes.push(scope);
  }
  const isInScope = (path: string) => scopes.some((scope) => isAtOrBelow(path, scope));
  // A folder is worth walking when it is inside a scope or on the way to one.
  const canReachScope = (folder: string) =>
    scopes.some((scope) => isAtOrBelow(folder, scope) || isAtOrBelow(scope, folder));

  const blobs = new Map<string, TreeEntry>();
  const children = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (hasInvalidSegment(entry.path)) {
      if (isInScope(entry.path))
        refuse(entry.path, 'PathEscapes', `"${entry.path}" is not a path inside the repository`);
      continue;
    }
    blobs.set(entry.path, entry);
    const segments = entry.path.split('/');
    for (let depth = 0; depth < segments.length; depth++) {
      const folder = segments.slice(0, depth).join('/');
      const names = children.get(folder) ?? new Set<string>();
      names.add(segments[depth] as string);
      children.set(folder, names);
    }
  }

  const resolveLink = (linkPath: string): Resolution => {
    const target = linkTargets.get(linkPath);
    if (target === undefined || target === '') return { kind: 'missing' };
    if (target.startsWith('/')) return { kind: 'escapes' };
    const lexical = posix.normalize(posix.join(posix.dirname(linkPath), target));
    if (lexical === '..' || lexical.startsWith('../')) return { kind: 'escapes' };

    const resolved = linkPath.split('/').slice(0, -1);
    let rest = target.split('/');
    let hops = 0;
    while (rest.length > 0) {
      const [part, ...remaining] = rest;
      rest = remaining;
      if (part === undefined || part === '' || part === '.') continue;
      if (part === '..') {
        if (resolved.length === 0) return { kind: 'escapes' };
        resolved.pop();
        continue;
      }
      resolved.push(part);
      const current = resolved.join('/');
      const entry = blobs.get(current);
      if (entry?.kind === 'link') {
        hops += 1;
        if (hops > MAX_LINK_HOPS) return { kind: 'loop' };
        const next = linkTargets.get(current);
        if (next === undefined || next === '') return { kind: 'missing' };
        if (next.startsWith('/')) return { kind: 'escapes' };
        resolved.pop();
        rest = [...next.split('/'), ...rest];
        continue;
      }
      if (
        !children.has(current) &&
        (entry === undefined || rest.some((p) => p !== '' && p !== '.'))
      ) {
        return { kind: 'missing' };
      }
    }
    const final = resolved.join('/');
    const entry = blobs.get(final);
    if (entry?.kind === 'file') return { kind: 'file', entry };
    if (children.has(final)) return { kind: 'dir', path: final };
    return { kind: 'missing' };
  };

  const files: PlannedFile[] = [];
  const emit = (path: string, entry: TreeEntry) => {
    files.push({ path, oid: entry.oid, size: entry.size });
    if (files.length > maxFiles) {
      throw new RepoTreeError(
        'LimitExceeded',
        `the repository has more than ${maxFiles} files to read (maxFiles)`,
        '',
      );
    }
  };

  // `walking` holds the real folders being walked on the current path from the root: a link
  // back into one of them would repeat forever (a/loop -> .., or x/l -> ../y with y/l -> ../x).
  const walk = (folder: string, seenAs: string, walking: ReadonlySet<string>) => {
    const names = [...(children.get(folder) ?? [])].sort();
    for (const name of names) {
      const realPath = join(folder, name);
      const path = join(seenAs, name);
      if (children.has(realPath) && canReachScope(path)) {
        walk(realPath, path, new Set([...walking, realPath]));
      }
      const entry = blobs.get(realPath);
      if (!entry) continue;
      if (entry.kind === 'file') {
        if (isInScope(path)) emit(path, entry);
        continue;
      }
      if (!canReachScope(path)) continue;
      const resolution = resolveLink(realPath);
      switch (resolution.kind) {
        case 'file':
          if (isInScope(path)) emit(path, resolution.entry);
          break;
        case 'dir':
          if (walking.has(resolution.path)) {
            refuse(path, 'SymlinkLoop', `${path} points to a folder that contains it`);
          } else {
            walk(resolution.path, path, new Set([...walking, resolution.path]));
          }
          break;
        case 'escapes':
          refuse(path, 'PathEscapes', `${path} points outside the repository`);
          break;
        case 'loop':
          refuse(path, 'SymlinkLoop', `${path} is a loop of symbolic links`);
          break;
        case 'missing':
          break;
      }
    }
  };
  walk('', '', new Set(['']));

  return { files, refused: [...refused.values()] };
}
