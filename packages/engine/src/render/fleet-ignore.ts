import { EngineError } from '../errors.ts';
import type { RepoFiles } from '../types.ts';
import { isInside, joinPath, relativeTo } from './paths.ts';

/**
 * Fleet's `.fleetignore`: each line is a glob (Go's filepath.Match) matched against the name of
 * a file or folder below the ignore file's folder; `name/*` ignores a folder called `name`.
 * Blank lines and `#` lines are skipped, trailing spaces dropped unless escaped. There is no
 * gitignore negation: `!keep.yaml` names a file called "!keep.yaml", as in Fleet.
 * Returns whether a path relative to `bundlePath` is ignored; throws EngineError OptionsInvalid
 * naming the file for a malformed pattern (Fleet fails the bundle too).
 */
export function fleetIgnoreMatcher(
  files: RepoFiles,
  bundlePath: string,
): (relative: string) => boolean {
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
    const globs = patterns
      .filter((p) => !/^.+\/\*$/.test(p))
      .map((pattern) => goGlob(pattern, path));
    const match = (name: string) => globs.some((glob) => glob.test(name));
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

/** Go's filepath.Match as a RegExp over one name: `*`, `?`, `[...]` (`^` negates), `\\` escapes. */
function goGlob(pattern: string, file: string): RegExp {
  const bad = () =>
    new EngineError('OptionsInvalid', `${file}: "${pattern}" is not a valid pattern`, file);
  const literal = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined) throw bad();
      source += literal(next);
    } else if (c === '[') {
      let j = i + 1;
      let cls = '';
      if (pattern[j] === '^') {
        cls = '^';
        j++;
      }
      let isEmpty = true;
      for (; j < pattern.length && (pattern[j] !== ']' || isEmpty); j++) {
        let ch = pattern[j] as string;
        if (ch === ']' || ch === '-') throw bad();
        if (ch === '\\') ch = pattern[++j] ?? '';
        if (ch === '') throw bad();
        cls += literal(ch);
        if (pattern[j + 1] === '-' && pattern[j + 2] !== ']') {
          let hi = pattern[j + 2] ?? '';
          j += 2;
          if (hi === '\\') hi = pattern[++j] ?? '';
          if (hi === '' || hi < ch) throw bad();
          cls += `-${literal(hi)}`;
        }
        isEmpty = false;
      }
      if (pattern[j] !== ']' || isEmpty) throw bad();
      source += `[${cls}]`;
      i = j;
    } else source += literal(c);
  }
  return new RegExp(`^${source}$`);
}
