import type { RepoFiles } from '../types.ts';
import { fleetIgnoreMatcher } from './fleet-ignore.ts';
import { isInside, relativeTo } from './paths.ts';

/** Options files, in order of precedence: flotilla.yaml wins over Fleet's names. */
export const OPTIONS_FILE_NAMES = ['flotilla.yaml', 'fleet.yaml', 'fleet.yml'] as const;

export function isOptionsFileName(name: string): boolean {
  return (OPTIONS_FILE_NAMES as readonly string[]).includes(name);
}

/**
 * The files of one bundle, keyed by path relative to the bundle folder and sorted as Fleet
 * sorts a bundle's resources (by name). Like Fleet's bundle reader it leaves out hidden files
 * and folders, whatever `.fleetignore` files exclude, and the bundle's own options file
 * (`optionsFile`, a repository path, when a GitRepo `bundles:` entry names one).
 */
export function readBundleFiles(
  files: RepoFiles,
  bundlePath: string,
  optionsFile?: string,
): Map<string, string> {
  const inBundle: [string, string][] = [];
  for (const [path, content] of files) {
    if (path === bundlePath || !isInside(bundlePath, path)) continue;
    const relative = relativeTo(bundlePath, path);
    if (relative.split('/').some((segment) => segment.startsWith('.'))) continue;
    if (isOptionsFileName(relative) || path === optionsFile) continue;
    inBundle.push([relative, content]);
  }
  const isIgnored = fleetIgnoreMatcher(files, bundlePath);
  return new Map(
    inBundle
      .filter(([relative]) => !isIgnored(relative))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
