import { describe, expect, it } from 'vitest';
import { Resource } from './resource.ts';
import { selectResources, type TargetSelector } from './selector.ts';

function resource(kind: string, name: string, extra: Record<string, unknown> = {}): Resource {
  const { apiVersion = 'v1', ...metadata } = extra;
  return new Resource({ apiVersion: apiVersion as string, kind, metadata: { name, ...metadata } });
}

const resources = [
  resource('Deployment', 'api-v1', {
    apiVersion: 'apps/v1',
    namespace: 'prod',
    labels: { tier: 'backend', env: 'prod' },
  }),
  resource('Deployment', 'worker', {
    apiVersion: 'apps/v1',
    labels: { tier: 'backend', env: 'dev', version: '3' },
    annotations: { probe: 'true' },
  }),
  resource('Service', 'api', { namespace: 'prod', labels: { tier: 'frontend' } }),
  resource('ClusterRole', 'reader', { apiVersion: 'rbac.authorization.k8s.io/v1' }),
];

const names = (selector: TargetSelector) =>
  selectResources(resources, selector, 'test').map((r) => `${r.kind}/${r.name}`);

describe('selectResources', () => {
  it.each<[string, TargetSelector, string[]]>([
    ['kind', { kind: 'Deployment' }, ['Deployment/api-v1', 'Deployment/worker']],
    ['an anchored name regex', { name: 'api.*' }, ['Deployment/api-v1', 'Service/api']],
    ['a name regex does not match a substring', { name: 'pi' }, []],
    [
      'group and version',
      { group: 'apps', version: 'v1' },
      ['Deployment/api-v1', 'Deployment/worker'],
    ],
    [
      '"default" namespace matches objects without one',
      { namespace: 'default', kind: 'Deployment' },
      ['Deployment/worker'],
    ],
    [
      'a namespace never matches cluster-scoped objects',
      { namespace: 'default|prod', kind: 'ClusterRole' },
      [],
    ],
    [
      'label equality',
      { labelSelector: 'tier=backend' },
      ['Deployment/api-v1', 'Deployment/worker'],
    ],
    [
      'label inequality and set',
      { labelSelector: 'tier!=frontend,env in (prod, staging)' },
      ['Deployment/api-v1'],
    ],
    [
      'label notin matches a missing label',
      { labelSelector: 'env notin (dev)' },
      ['Deployment/api-v1', 'Service/api', 'ClusterRole/reader'],
    ],
    ['label existence and absence', { labelSelector: 'version,!missing' }, ['Deployment/worker']],
    ['numeric comparison', { labelSelector: 'version>2' }, ['Deployment/worker']],
    ['annotation selector', { annotationSelector: 'probe=true' }, ['Deployment/worker']],
  ])('selects by %s', (_name, selector, expected) => {
    expect(names(selector)).toEqual(expected);
  });

  it('rejects an unreadable selector with the place it came from', () => {
    expect(() =>
      selectResources(resources, { labelSelector: 'a in b' }, 'k.yaml: patches[0]'),
    ).toThrow(/^k\.yaml: patches\[0\]: invalid selector "a in b"/);
  });
});
