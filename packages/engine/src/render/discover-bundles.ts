import picomatch from 'picomatch';
import type { RepoFiles } from '../types.ts';
import { bundleNameOf } from './bundle-name.ts';
import { OPTIONS_FILE_NAMES } from './bundle-files.ts';
import { fleetIgnoreMatcher } from './fleet-ignore.ts';
import { foldersOf, isInside, joinPath, parentOf, resolveInside } from './paths.ts';

export interface DiscoveredBundle {
  /** Folder of the bundle, relative to the repository root; "" is the root. */
  path: string;
  /** Fleet's name for it (see bundleNameOf); an options file's `name` may override it. */
  name: string;
  /** The options file to read instead of fleet.yaml, relative to `path` (driven scan only). */
  optionsFile?: string;
}

/**
 * The bundles of a repository, as Fleet's `fleet apply` finds them under each of a GitRepo's
 * `paths` (globs matched against folders; none means the repository root):
 * - every folder at or below the path that holds an options file is a bundle;
 * - the path itself is one too when it holds YAML files that no such folder claims,
 *   so loose manifests next to sub-bundles are not silently dropped.
 * Files and folders that a `.fleetignore` excludes are not looked at. Sorted by path. A path
 * that leaves the repository throws EngineError PathEscapes; a malformed ignore pattern throws
 * EngineError OptionsInvalid.
 */
export function discoverBundles(
  files: RepoFiles,
  paths: readonly string[] = [],
): DiscoveredBundle[] {
  // What a .fleetignore excludes is no bundle and no loose YAML, as it is no part of a bundle.
  const isIgnored = fleetIgnoreMatcher(files, '');
  const filePaths = [...files.keys()].filter(
    (path) => !path.split('/').includes('.git') && !isIgnored(path),
  );
  const folders = foldersOf(filePaths);
  const kept = new Set(filePaths);
  const optionFolders = new Set(
    [...folders].filter((folder) =>
      OPTIONS_FILE_NAMES.some((name) => kept.has(joinPath(folder, name))),
    ),
  );

  const bundles = new Set<string>();
  for (const root of matchRoots(folders, paths)) {
    if (optionFolders.has(root) || hasUnclaimedYaml(root, filePaths, optionFolders)) {
      bundles.add(root);
    }
    for (const folder of optionFolders) {
      if (isInside(root, folder)) bundles.add(folder);
    }
  }
  return [...bundles].sort().map((path) => ({ path, name: bundleNameOf(path) }));
}

function matchRoots(folders: ReadonlySet<string>, paths: readonly string[]): string[] {
  if (paths.length === 0) return [''];
  const roots = new Set<string>();
  for (const path of paths) {
    const pattern = resolveInside('', path, 'path');
    if (!picomatch.scan(pattern).isGlob) {
      if (folders.has(pattern)) roots.add(pattern);
      continue;
    }
    // Go's filepath.Glob, which Fleet uses, lets "*" match names that start with a dot.
    const isMatch = picomatch(pattern, { dot: true });
    for (const folder of folders) {
      if (folder !== '' && isMatch(folder)) roots.add(folder);
    }
  }
  return [...roots];
}

/** Fleet's hasSubDirectoryWithResourcesAndWithoutFleetYaml, over the whole tree at once. */
function hasUnclaimedYaml(
  root: string,
  filePaths: readonly string[],
  optionFolders: ReadonlySet<string>,
): boolean {
  return filePaths.some((path) => {
    if (!isInside(root, path) || !/\.ya?ml$/.test(path)) return false;
    for (let folder = parentOf(path); folder !== root; folder = parentOf(folder)) {
      if (optionFolders.has(folder)) return false;
    }
    return true;
  });
}
