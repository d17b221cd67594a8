import type { RepoFiles } from '../types.ts';
import { parseKustomization } from './kustomization.ts';
import { isRemoteReference, KUSTOMIZATION_FILE_NAMES, RepoReader } from './loader.ts';
import {
  parseRemoteReference,
  remoteRepoKey,
  type RemoteBases,
  type RemoteReference,
} from './remote-reference.ts';

export interface MissingRemoteBase {
  reference: RemoteReference;
  /** The kustomization file that names it, as messages show it. */
  file: string;
  /** How many remotes deep it is named (0: by the repository's own kustomizations). */
  depth: number;
}

const UNBOUNDED = { maxBytes: Number.MAX_SAFE_INTEGER, maxDocuments: Number.MAX_SAFE_INTEGER };

/**
 * The remote git bases and resources that building `dir` needs and `remotes` does not hold yet,
 * one per repository and ref, in the order kustomize meets them. The caller fetches them and
 * asks again with the result, since a fetched remote may name remotes of its own. A folder or
 * file that cannot be read is left for the build to report.
 */
export function findRemoteBases(
  files: RepoFiles,
  dir: string,
  remotes: RemoteBases = new Map(),
): MissingRemoteBase[] {
  const reader = new RepoReader(files, UNBOUNDED, remotes);
  const missing = new Map<string, MissingRemoteBase>();
  const visited = new Set<string>();

  const visit = (folder: string, boundary: string, depth: number): void => {
    if (visited.has(folder)) return;
    visited.add(folder);
    const file = KUSTOMIZATION_FILE_NAMES.map((name) => (folder ? `${folder}/${name}` : name)).find(
      (path) => reader.isFile(path),
    );
    if (file === undefined) return;
    const shown = reader.display(file);
    let references: string[];
    try {
      const kustomization = parseKustomization(reader.read(file, shown), shown);
      references = [...kustomization.resources, ...kustomization.components];
    } catch {
      return;
    }
    for (const reference of references) {
      if (isRemoteReference(reference)) {
        const parsed = parseRemoteReference(reference);
        if (parsed.kind !== 'git') continue;
        const mount = reader.mountOf(parsed.reference);
        if (mount !== undefined) {
          const path = parsed.reference.path;
          visit(path === '' ? mount : `${mount}/${path}`, mount, depth + 1);
        } else if (!missing.has(remoteRepoKey(parsed.reference))) {
          missing.set(remoteRepoKey(parsed.reference), {
            reference: parsed.reference,
            file: shown,
            depth,
          });
        }
        continue;
      }
      const path = joinRelative(folder, reference);
      if (path === undefined || !reader.isDirectory(path)) continue;
      if (boundary !== '' && !(path === boundary || path.startsWith(`${boundary}/`))) continue;
      visit(path, boundary, depth);
    }
  };
  visit(dir, '', 0);
  return [...missing.values()];
}

/** `a/b` + `../c`; undefined when it leaves the root (the build reports that). */
function joinRelative(dir: string, relative: string): string | undefined {
  if (relative.startsWith('/')) return undefined;
  const parts: string[] = [];
  for (const part of `${dir}/${relative}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.pop() === undefined) return undefined;
  }
  return parts.join('/');
}
