import { ChartError } from './errors.ts';

interface IgnoreRule {
  negate: boolean;
  mustBeDir: boolean;
  match: (path: string) => boolean;
}

/** filepath.Match as a RegExp: `*` and `?` stop at `/`, `[...]` classes, `\` escapes. */
function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '\\' && i + 1 < glob.length) out += `\\${glob[++i]}`;
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      const body = glob.slice(i + 1, end).replace(/^\^/, '!');
      out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else out += ch.replace(/[.+^${}()|\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * Helm's .helmignore (pkg/ignore): gitignore-like lines where a pattern without `/` matches the
 * base name, a pattern with one matches the whole path, `!` negates, a trailing `/` is for
 * directories only and `**` is refused. Helm always adds `templates/.?*`.
 */
export class HelmIgnore {
  private readonly rules: IgnoreRule[] = [];

  constructor(text: string) {
    for (const raw of [...text.split(/\r?\n/), 'templates/.?*']) {
      let line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      if (line.includes('**'))
        throw new ChartError(
          '.helmignore: double-star (**) syntax is not supported',
          '.helmignore',
        );
      const negate = line.startsWith('!');
      if (negate) line = line.slice(1);
      const mustBeDir = line.endsWith('/');
      if (mustBeDir) line = line.replace(/\/+$/, '');
      const isRooted = line.startsWith('/');
      const pattern = globToRegExp(line.replace(/^\//, ''));
      const matchesBase = !isRooted && !line.includes('/');
      this.rules.push({
        negate,
        mustBeDir,
        match: (path) => pattern.test(matchesBase ? (path.split('/').pop() ?? path) : path),
      });
    }
  }

  isIgnored(path: string, isDir: boolean): boolean {
    let ignored = false;
    for (const rule of this.rules) {
      if (rule.mustBeDir && !isDir) continue;
      if (rule.match(path)) ignored = !rule.negate;
    }
    return ignored;
  }
}
