import semver from 'semver';
import { TemplateFunctionError } from '../template/errors.ts';
import { type TemplateFunction, strval } from './convert.ts';

/** What Sprig's `semver` returns: Masterminds' *Version, read through its methods. */
export class SemverVersion {
  constructor(private readonly version: semver.SemVer) {}
  Major = (): bigint => BigInt(this.version.major);
  Minor = (): bigint => BigInt(this.version.minor);
  Patch = (): bigint => BigInt(this.version.patch);
  Prerelease = (): string => this.version.prerelease.join('.');
  Metadata = (): string => this.version.build.join('.');
  Original = (): string => this.version.raw;
  String = (): string => this.version.version;
  toString(): string {
    return this.version.version;
  }
}

/** Masterminds/semver's lenient parse: a leading v, and missing minor/patch read as 0. */
export function parseVersion(input: string): semver.SemVer {
  const match =
    /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(
      input.trim(),
    );
  if (!match) throw new TemplateFunctionError(`Invalid Semantic Version`);
  const [, major, minor = '0', patch = '0', pre, build] = match;
  const text = `${major}.${minor}.${patch}${pre ? `-${pre}` : ''}${build ? `+${build}` : ''}`;
  const parsed = semver.parse(text, { loose: true });
  if (!parsed) throw new TemplateFunctionError(`Invalid Semantic Version`);
  return parsed;
}

/**
 * A Masterminds constraint in npm's range syntax: commas (and) become spaces, `=<` becomes `<=`,
 * `~>` becomes `~`, and spaces after an operator go.
 */
export function toNpmRange(constraint: string): string {
  return constraint
    .split('||')
    .map((part) =>
      part
        .replace(/,/g, ' ')
        .replace(/=</g, '<=')
        .replace(/=>/g, '>=')
        .replace(/~>/g, '~')
        .replace(/(>=|<=|!=|>|<|=|~|\^)\s+/g, '$1')
        // npm reads "1.21-0" as garbage: Masterminds pads a partial version before its prerelease.
        .replace(
          /(^|[\s<>=~^])v?(\d+)(?:\.(\d+))?-([0-9A-Za-z.-]+)/g,
          (_m, lead: string, major: string, minor?: string, pre?: string) =>
            `${lead}${major}.${minor ?? '0'}.0-${pre ?? ''}`,
        )
        .replace(/(^|[\s<>=~^])v(\d)/g, '$1$2')
        .trim(),
    )
    .join(' || ');
}

export function semverCompare(constraint: string, version: string): boolean {
  const v = parseVersion(version);
  const range = toNpmRange(constraint);
  const parts = range.split(/\s+/).filter((p) => p.startsWith('!='));
  // npm ranges have no "!=": check those by hand and drop them from the range.
  for (const part of parts) {
    if (semver.eq(v, parseVersion(part.slice(2)))) return false;
  }
  const rest = range.replace(/!=\S+/g, '').trim() || '*';
  let parsedRange: semver.Range;
  try {
    parsedRange = new semver.Range(rest, { loose: true, includePrerelease: /-/.test(rest) });
  } catch {
    throw new TemplateFunctionError(`improper constraint: ${constraint}`);
  }
  return parsedRange.test(v);
}

export function semverFunctions(): Record<string, TemplateFunction> {
  return {
    semver: (v) => new SemverVersion(parseVersion(strval(v))),
    semverCompare: (constraint, version) => semverCompare(strval(constraint), strval(version)),
  };
}
