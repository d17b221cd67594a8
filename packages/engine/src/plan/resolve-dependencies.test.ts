import { describe, expect, it } from 'vitest';
import type { BundleRef } from '../options/bundle-options.ts';
import {
  dependencyBlock,
  fleetBundleName,
  resolveDependencies,
  type DependencyBundle,
} from './resolve-dependencies.ts';

function bundle(
  name: string,
  dependsOn: BundleRef[] = [],
  overrides: Partial<DependencyBundle> = {},
): DependencyBundle {
  return {
    id: `id-${name}`,
    name,
    gitRepoName: 'apps',
    path: name.replaceAll('-', '/'),
    labels: {},
    dependsOn,
    ...overrides,
  };
}

describe('resolveDependencies', () => {
  const crds = bundle('crds', [], { labels: { layer: 'infra' } });
  const certs = bundle('certs', [], { labels: { layer: 'infra' } });
  const other = bundle('web', [], { id: 'id-other-web', gitRepoName: 'other', path: 'web' });
  // [description, the bundle, the rest of the workspace, dependency names, error]
  const cases: [string, DependencyBundle, DependencyBundle[], string[], string | null][] = [
    ['no dependsOn', bundle('web'), [crds], [], null],
    [
      'a Flotilla name in the same GitRepo',
      bundle('web', [{ name: 'crds' }]),
      [crds],
      ['crds'],
      null,
    ],
    [
      "Fleet's name: <gitrepo>-<path-with-dashes>",
      bundle('web', [{ name: 'apps-crds' }]),
      [crds],
      ['crds'],
      null,
    ],
    ['a short name in one other GitRepo', bundle('api', [{ name: 'web' }]), [other], ['web'], null],
    [
      'a short name two GitRepos share is ambiguous',
      bundle('api', [{ name: 'web' }], { gitRepoName: 'third' }),
      [other, bundle('web', [], { gitRepoName: 'fourth', id: 'id-fourth-web' })],
      [],
      'dependsOn: "web" names bundles of several GitRepos: use one of "other-web", "fourth-web"',
    ],
    [
      'a missing name',
      bundle('web', [{ name: 'nope' }]),
      [crds],
      [],
      'dependsOn: no bundle named "nope"',
    ],
    [
      'a selector over bundle labels',
      bundle('web', [{ selector: { matchLabels: { layer: 'infra' } } }]),
      [crds, certs, other],
      ['crds', 'certs'],
      null,
    ],
    [
      "a selector over Fleet's repo-name label",
      bundle('api', [{ selector: { matchLabels: { 'fleet.cattle.io/repo-name': 'other' } } }]),
      [crds, other],
      ['web'],
      null,
    ],
    [
      'a selector never matches the bundle itself',
      bundle('web', [{ selector: { matchLabels: { layer: 'infra' } } }], {
        labels: { layer: 'infra' },
      }),
      [],
      [],
      'dependsOn: selector "layer=infra" matches no bundle',
    ],
    [
      'a selector matching nothing',
      bundle('web', [{ selector: { matchLabels: { layer: 'db' } } }]),
      [crds],
      [],
      'dependsOn: selector "layer=db" matches no bundle',
    ],
    [
      'a two-bundle cycle',
      bundle('a', [{ name: 'b' }]),
      [bundle('b', [{ name: 'a' }])],
      ['b'],
      'dependsOn: cycle a → b → a',
    ],
    [
      'a three-bundle cycle through a selector',
      bundle('a', [{ name: 'b' }], { labels: { tier: 'top' } }),
      [bundle('b', [{ name: 'c' }]), bundle('c', [{ selector: { matchLabels: { tier: 'top' } } }])],
      ['b'],
      'dependsOn: cycle a → b → c → a',
    ],
    ['depending on itself', bundle('a', [{ name: 'a' }]), [], ['a'], 'dependsOn: cycle a → a'],
    [
      'a cycle elsewhere is not this bundle’s error',
      bundle('top', [{ name: 'a' }]),
      [bundle('a', [{ name: 'b' }]), bundle('b', [{ name: 'a' }])],
      ['a'],
      null,
    ],
    [
      'a missing name and a cycle are both said',
      bundle('a', [{ name: 'b' }, { name: 'gone' }]),
      [bundle('b', [{ name: 'a' }])],
      ['b'],
      'dependsOn: no bundle named "gone"; cycle a → b → a',
    ],
  ];
  it.each(cases)('%s', (_name, self, rest, names, error) => {
    const resolution = resolveDependencies(self.id, [self, ...rest]);
    expect(resolution.dependencies.map((dependency) => dependency.name)).toEqual(names);
    expect(resolution.error).toBe(error);
  });

  it('accepts Ready unless acceptedStates says otherwise, and intersects repeated entries', () => {
    const web = bundle('web', [
      { name: 'crds', acceptedStates: ['Ready', 'Modified'] },
      { selector: { matchLabels: { layer: 'infra' } }, acceptedStates: ['Modified', 'NotReady'] },
      { name: 'certs' },
    ]);
    const { dependencies } = resolveDependencies(web.id, [web, crds, certs]);
    expect(Object.fromEntries(dependencies.map((d) => [d.name, d.acceptedStates]))).toEqual({
      crds: ['Modified'],
      certs: [],
    });
  });
});

describe('fleetBundleName', () => {
  it.each([
    ['apps', 'infra/crds', 'apps-infra-crds'],
    ['apps', '', 'apps'],
  ])('%s + %j is %s', (gitRepoName, path, name) => {
    expect(fleetBundleName({ gitRepoName, path })).toBe(name);
  });
});

describe('dependencyBlock', () => {
  const facts = {
    error: null,
    dependencies: [
      { name: 'crds', doneOn: new Set(['c1', 'c2']) },
      { name: 'certs', doneOn: new Set(['c1']) },
    ],
  };
  it.each([
    ['c1', null],
    ['c2', { waitingFor: 'certs' }],
    ['c3', { waitingFor: 'crds' }],
  ])('on %s: %j', (clusterId, block) => {
    expect(dependencyBlock(facts, clusterId)).toEqual(block);
  });
  it('an error blocks every cluster; no dependencies block none', () => {
    expect(dependencyBlock({ ...facts, error: 'dependsOn: x' }, 'c1')).toEqual({
      error: 'dependsOn: x',
    });
    expect(dependencyBlock(undefined, 'c3')).toBeNull();
  });
});
