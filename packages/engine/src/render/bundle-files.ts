import picomatch from 'picomatch';
import type { RepoFiles } from '../types.ts';
import { isInside, joinPath, relativeTo } from './paths.ts';

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

/**
 * Fleet's `.fleetignore`: each line is a glob matched against the name of a file or folder below
 * the ignore file's folder; `name/*` ignores a folder called `name`. Blank lines and `#` lines
 * are skipped.
 */
function fleetIgnoreMatcher(files: RepoFiles, bundlePath: string): (relative: string) => boolean {
  const rules = new Map<string, { folders: Set<string>; match: (name: string) => boolean }>();
  for (const [path, content] of files) {
    if (!path.endsWith('.fleetignore') || !isInside(bundlePath, path)) continue;
    const relative = relativeTo(bundlePath, path);
    const folder = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
    if (joinPath(folder, '.fleetignore') !== relative) continue;
    const patterns = content
      .split(/\r?\n/)
      .map((line) => line.replace(/([^\\])\s+$/, '$1'))
      .filter((line) => line !== '' && !line.startsWith('#'));
    const folders = new Set(patterns.filter((p) => /^.+\/\*$/.test(p)).map((p) => p.slice(0, -2)));
    const globs = patterns.filter((p) => !/^.+\/\*$/.test(p));
    const match = globs.length > 0 ? picomatch(globs, { dot: true }) : () => false;
    rules.set(folder, { folders, match });
  }
  if (rules.size === 0) return () => false;

  return (relative) => {
    const segments = relative.split('/');
    return segments.some((name, index) => {
      const isFolder = index < segments.length - 1;
      // Rules of every folder above this segment apply to it, as they propagate down in Fleet.
      for (let depth = 0; depth <= index; depth++) {
        const rule = rules.get(segments.slice(0, depth).join('/'));
        if (!rule) continue;
        if (rule.match(name) || (isFolder && rule.folders.has(name))) return true;
      }
      return false;
    });
  };
}
