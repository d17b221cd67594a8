import { describe, expect, it } from 'vitest';
import { bundleNameOf } from './bundle-name.ts';
import { discoverBundles } from './discover-bundles.ts';

const repo = (...paths: string[]) => new Map(paths.map((path) => [path, '']));

const paths = (bundles: { path: string }[]) => bundles.map((bundle) => bundle.path);

describe('discoverBundles', () => {
  it('takes the repository root as the one bundle when no folder has an options file', () => {
    expect(discoverBundles(repo('deploy.yaml', 'svc/service.yaml', 'README.md'))).toEqual([
      { path: '', name: 'root' },
    ]);
  });

  it('makes every folder with flotilla.yaml, fleet.yaml or fleet.yml a bundle', () => {
    const files = repo('a/fleet.yaml', 'a/x.yaml', 'b/flotilla.yaml', 'c/d/fleet.yml', 'README.md');
    expect(paths(discoverBundles(files))).toEqual(['a', 'b', 'c/d']);
  });

  it('keeps the root a bundle too when it holds YAML that no sub-bundle claims', () => {
    const files = repo('app/fleet.yaml', 'app/deploy.yaml', 'loose/config.yaml');
    expect(paths(discoverBundles(files))).toEqual(['', 'app']);
  });

  it('finds sub-bundles inside a bundle, which that bundle then leaves to them', () => {
    const files = repo('fleet.yaml', 'x.yaml', 'infra/fleet.yaml', 'infra/y.yaml');
    expect(paths(discoverBundles(files))).toEqual(['', 'infra']);
  });

  it('treats each of `paths` as a root, globs matched against folders', () => {
    const files = repo(
      'clusters/dev/app.yaml',
      'clusters/prod/app.yaml',
      'clusters/prod/monitoring/fleet.yaml',
      'clusters/README.md',
      'other/x.yaml',
    );
    expect(paths(discoverBundles(files, ['clusters/*']))).toEqual([
      'clusters/dev',
      'clusters/prod',
      'clusters/prod/monitoring',
    ]);
    expect(paths(discoverBundles(files, ['/other/', './clusters/dev']))).toEqual([
      'clusters/dev',
      'other',
    ]);
  });

  it('returns nothing for a path that matches no folder', () => {
    expect(discoverBundles(repo('a/x.yaml'), ['missing', 'b*'])).toEqual([]);
  });

  it.each(['../other-repo', 'a/../../x', '/../etc'])(
    'refuses the path %s, which leaves the repository',
    (path) => {
      expect(() => discoverBundles(repo('a/x.yaml'), [path])).toThrow(
        expect.objectContaining({ code: 'PathEscapes', message: expect.stringContaining(path) }),
      );
    },
  );
});

describe('bundleNameOf', () => {
  it.each([
    ['', 'root'],
    ['multi-cluster/manifests', 'multi-cluster-manifests'],
    ['apps/web', 'apps-web'],
    // Case and odd characters change the name, so Fleet appends a hash to keep names apart.
    ['Apps/Web', 'apps-web-fa2ea715'],
    ['team_a/app', 'team-a-app-7a69ec4c'],
    ['a'.repeat(60), `${'a'.repeat(47)}-cc7ed`],
  ])('names the bundle at "%s" %s', (path, name) => {
    expect(bundleNameOf(path)).toBe(name);
  });

  it('keeps every name a DNS label of at most 53 characters', () => {
    for (const path of ['x/'.repeat(40) + 'y', 'Ünïcode/пример', '---/___', 'A'.repeat(100)]) {
      expect(bundleNameOf(path)).toMatch(/^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/);
    }
  });
});
