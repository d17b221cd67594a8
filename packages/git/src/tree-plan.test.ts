import { describe, expect, it } from 'vitest';
import { RepoTreeError } from './errors.ts';
import { planRepoFiles, type TreeEntry } from './tree-plan.ts';

/** A tree described as path -> null (a file) or the target of a link; a file's oid is its own path. */
function plan(tree: Record<string, string | null>, under?: string[], maxFiles = 100) {
  const entries: TreeEntry[] = Object.entries(tree).map(([path, target]) =>
    target === null
      ? { path, kind: 'file', oid: `blob:${path}`, size: 10 }
      : { path, kind: 'link', oid: `link:${path}`, size: target.length },
  );
  const linkTargets = new Map(
    Object.entries(tree).filter((entry): entry is [string, string] => entry[1] !== null),
  );
  const result = planRepoFiles({ entries, linkTargets, under, maxFiles });
  return {
    // Which blob each visible path shows: the engine sees the link's path with the target's content.
    files: Object.fromEntries(
      result.files.map((file) => [file.path, file.oid.replace(/^blob:/, '')]),
    ),
    refused: result.refused.map(({ path, code }) => `${path}: ${code}`),
  };
}

interface Case {
  name: string;
  tree: Record<string, string | null>;
  files: Record<string, string>;
  refused: string[];
}

describe('planRepoFiles', () => {
  it.each<Case>([
    {
      name: 'plain files keep their paths',
      tree: { 'a.yaml': null, 'apps/web/b.yaml': null },
      files: { 'a.yaml': 'a.yaml', 'apps/web/b.yaml': 'apps/web/b.yaml' },
      refused: [],
    },
    {
      name: 'a link to a file in the same folder',
      tree: { 'apps/base.yaml': null, 'apps/link.yaml': 'base.yaml' },
      files: { 'apps/base.yaml': 'apps/base.yaml', 'apps/link.yaml': 'apps/base.yaml' },
      refused: [],
    },
    {
      name: 'a link that climbs, but stays inside',
      tree: { 'shared/cm.yaml': null, 'apps/web/cm.yaml': '../../shared/cm.yaml' },
      files: { 'shared/cm.yaml': 'shared/cm.yaml', 'apps/web/cm.yaml': 'shared/cm.yaml' },
      refused: [],
    },
    {
      name: 'a chain of links',
      tree: { 'real.yaml': null, 'one.yaml': 'two.yaml', 'two.yaml': 'real.yaml' },
      files: { 'one.yaml': 'real.yaml', 'real.yaml': 'real.yaml', 'two.yaml': 'real.yaml' },
      refused: [],
    },
    {
      name: 'a link to a folder shows its files below the link',
      tree: { 'base/a.yaml': null, 'base/sub/b.yaml': null, 'apps/web/base': '../../base' },
      files: {
        'apps/web/base/a.yaml': 'base/a.yaml',
        'apps/web/base/sub/b.yaml': 'base/sub/b.yaml',
        'base/a.yaml': 'base/a.yaml',
        'base/sub/b.yaml': 'base/sub/b.yaml',
      },
      refused: [],
    },
    {
      name: 'a link through a linked folder',
      tree: { 'real/x.yaml': null, alias: 'real', 'apps/x.yaml': '../alias/x.yaml' },
      files: {
        'apps/x.yaml': 'real/x.yaml',
        'alias/x.yaml': 'real/x.yaml',
        'real/x.yaml': 'real/x.yaml',
      },
      refused: [],
    },
    {
      name: 'a link that climbs out of the repository',
      tree: { 'apps/ok.yaml': null, 'apps/secret.yaml': '../../etc/passwd' },
      files: { 'apps/ok.yaml': 'apps/ok.yaml' },
      refused: ['apps/secret.yaml: PathEscapes'],
    },
    {
      name: 'an absolute link',
      tree: { 'apps/passwd.yaml': '/etc/passwd' },
      files: {},
      refused: ['apps/passwd.yaml: PathEscapes'],
    },
    {
      name: 'a link that escapes through another link',
      tree: { up: '..', 'apps/x.yaml': '../up/outside.yaml' },
      files: {},
      refused: ['apps/x.yaml: PathEscapes', 'up: PathEscapes'],
    },
    {
      name: 'an entry whose own name climbs out',
      tree: { '../outside.yaml': null, 'apps/../../evil.yaml': null, 'ok.yaml': null },
      files: { 'ok.yaml': 'ok.yaml' },
      refused: ['../outside.yaml: PathEscapes', 'apps/../../evil.yaml: PathEscapes'],
    },
    {
      name: 'a link to a folder that contains it',
      tree: { 'apps/a.yaml': null, 'apps/loop': '..' },
      files: { 'apps/a.yaml': 'apps/a.yaml' },
      refused: ['apps/loop: SymlinkLoop'],
    },
    {
      name: 'two folders linking to each other',
      tree: { 'x/a.yaml': null, 'x/to-y': '../y', 'y/b.yaml': null, 'y/to-x': '../x' },
      files: {
        'x/a.yaml': 'x/a.yaml',
        'x/to-y/b.yaml': 'y/b.yaml',
        'y/b.yaml': 'y/b.yaml',
        'y/to-x/a.yaml': 'x/a.yaml',
      },
      refused: ['x/to-y/to-x: SymlinkLoop', 'y/to-x/to-y: SymlinkLoop'],
    },
    {
      name: 'links that point at each other',
      tree: { 'a.yaml': 'b.yaml', 'b.yaml': 'a.yaml' },
      files: {},
      refused: ['a.yaml: SymlinkLoop', 'b.yaml: SymlinkLoop'],
    },
    {
      name: 'a dangling link is left out without complaint',
      tree: { 'gone.yaml': 'missing.yaml', 'through-file.yaml': 'ok.yaml/x', 'ok.yaml': null },
      files: { 'ok.yaml': 'ok.yaml' },
      refused: [],
    },
  ])('$name', ({ tree, files, refused }) => {
    const result = plan(tree);
    expect(result.files).toEqual(files);
    expect(result.refused.sort()).toEqual([...refused].sort());
  });

  it('reads only below the given folders, following links out of them', () => {
    const result = plan(
      {
        'apps/web/a.yaml': null,
        'apps/web/base': '../../base',
        'base/b.yaml': null,
        'other/c.yaml': null,
      },
      ['apps/web/'],
    );
    expect(result.files).toEqual({
      'apps/web/a.yaml': 'apps/web/a.yaml',
      'apps/web/base/b.yaml': 'base/b.yaml',
    });
  });

  it('reports a refused link only when it is within the folders read', () => {
    const tree = { 'apps/a/bad.yaml': '/etc/passwd', 'apps/b/ok.yaml': null };
    expect(plan(tree, ['apps/b']).refused).toEqual([]);
    expect(plan(tree, ['apps/a']).refused).toEqual(['apps/a/bad.yaml: PathEscapes']);
    expect(plan(tree, ['.']).refused).toEqual(['apps/a/bad.yaml: PathEscapes']);
  });

  it('refuses a folder to read that leaves the repository', () => {
    expect(plan({ 'a.yaml': null }, ['../elsewhere']).refused).toEqual([
      '../elsewhere: PathEscapes',
    ]);
  });

  it('stops with LimitExceeded past maxFiles, counting each path a link adds', () => {
    const tree = { 'base/a.yaml': null, 'base/b.yaml': null, one: 'base', two: 'base' };
    expect(() => plan(tree, undefined, 5)).toThrow(RepoTreeError);
    expect(() => plan(tree, undefined, 5)).toThrow(/more than 5 files/);
    expect(Object.keys(plan(tree, undefined, 6).files)).toHaveLength(6);
  });
});
