import { describe, expect, it } from 'vitest';
import { discoverBundles } from './discover-bundles.ts';
import { fleetIgnoreMatcher } from './fleet-ignore.ts';

/**
 * Fleet's `.fleetignore` (internal/bundlereader: ignoreTree + filepath.Match on each name): the
 * cases of Fleet's own TestGetContent, and where Go's globs differ from gitignore's.
 */
const ignored = (files: Record<string, string>, root = '') => {
  const isIgnored = fleetIgnoreMatcher(new Map(Object.entries(files)), root);
  return Object.keys(files).filter(
    (path) => !path.endsWith('.fleetignore') && isIgnored(path.slice(root ? root.length + 1 : 0)),
  );
};

describe('fleetIgnoreMatcher', () => {
  it.each<{ name: string; files: Record<string, string>; expected: string[] }>([
    {
      name: 'a name matches at any depth below the ignore file',
      files: { '.fleetignore': 'foo.yaml\n', 'foo.yaml': '', 'a/b/foo.yaml': '', 'bar.yaml': '' },
      expected: ['foo.yaml', 'a/b/foo.yaml'],
    },
    {
      name: 'globs are Go globs over one name: * does not cross folders',
      files: { '.fleetignore': '*.local.yaml\na*/x.yaml\n', 'dev.local.yaml': '', 'ab/x.yaml': '' },
      expected: ['dev.local.yaml'],
    },
    {
      name: 'name/* ignores a folder of that name, not a file',
      files: {
        '.fleetignore': 'scratch/*\n',
        'scratch/a.yaml': '',
        'x/scratch/b.yaml': '',
        'y/scratch': '',
      },
      expected: ['scratch/a.yaml', 'x/scratch/b.yaml'],
    },
    {
      name: 'a plain name ignores files and folders alike',
      files: { '.fleetignore': 'secrets\n', 'secrets/a.yaml': '', 'app/secrets': '' },
      expected: ['secrets/a.yaml', 'app/secrets'],
    },
    {
      name: 'rules go down, never across to sibling folders',
      files: { 'a/.fleetignore': 'x.yaml\n', 'a/x.yaml': '', 'a/deep/x.yaml': '', 'b/x.yaml': '' },
      expected: ['a/x.yaml', 'a/deep/x.yaml'],
    },
    {
      name: 'comments, blank lines and trailing spaces are skipped; an escaped space is kept',
      files: {
        '.fleetignore': '# x.yaml\n\ny.yaml   \nz\\ \n',
        'x.yaml': '',
        'y.yaml': '',
        'z ': '',
      },
      expected: ['y.yaml', 'z '],
    },
    {
      name: 'no gitignore negation: !keep.yaml names a file called "!keep.yaml"',
      files: {
        '.fleetignore': '*.yaml\n!keep.yaml\n',
        'keep.yaml': '',
        '!keep.yaml': '',
        'a.json': '',
      },
      expected: ['keep.yaml', '!keep.yaml'],
    },
    {
      name: 'character classes with ranges and ^, ? for one character',
      files: {
        '.fleetignore': 'v[0-9].yaml\nx[^a].yaml\n?.json\n',
        'v1.yaml': '',
        'va.yaml': '',
        'xa.yaml': '',
        'xb.yaml': '',
        'a.json': '',
        'ab.json': '',
      },
      expected: ['v1.yaml', 'xb.yaml', 'a.json'],
    },
  ])('$name', ({ files, expected }) => {
    expect(ignored(files)).toEqual(expected);
  });

  it('reads only the ignore files at or below the bundle folder', () => {
    const files = {
      '.fleetignore': 'a.yaml\n',
      'app/a.yaml': '',
      'app/.fleetignore': 'b.yaml\n',
      'app/b.yaml': '',
    };
    expect(ignored(files, 'app')).toEqual(['app/b.yaml']);
  });

  it('refuses a malformed pattern, naming the ignore file', () => {
    expect(() => fleetIgnoreMatcher(new Map([['app/.fleetignore', 'x[.yaml\n']]), '')).toThrow(
      expect.objectContaining({
        code: 'OptionsInvalid',
        message: 'app/.fleetignore: "x[.yaml" is not a valid pattern',
      }),
    );
  });
});

describe('bundle discovery honours .fleetignore', () => {
  const repo = (...paths: string[]) => new Map(paths.map((path) => [path, '']));

  it('an ignored folder is no bundle, and ignored loose YAML makes no root bundle', () => {
    const files = new Map([
      ['.fleetignore', 'drafts/*\nnotes.yaml\n'],
      ['app/fleet.yaml', ''],
      ['app/deploy.yaml', ''],
      ['drafts/fleet.yaml', ''],
      ['drafts/x.yaml', ''],
      ['notes.yaml', ''],
    ]);
    expect(discoverBundles(files).map((bundle) => bundle.path)).toEqual(['app']);
    expect(
      discoverBundles(repo('app/fleet.yaml', 'drafts/fleet.yaml', 'notes.yaml')).map((b) => b.path),
    ).toEqual(['', 'app', 'drafts']);
  });

  it('an ignore file in a folder hides its sub-bundles', () => {
    const files = new Map([
      ['infra/fleet.yaml', ''],
      ['infra/.fleetignore', 'legacy\n'],
      ['infra/legacy/fleet.yaml', ''],
      ['infra/current/fleet.yaml', ''],
    ]);
    expect(discoverBundles(files).map((bundle) => bundle.path)).toEqual(['infra', 'infra/current']);
  });
});
