import { describe, expect, it } from 'vitest';
import { apiGroupOf, identityOfObject, objectIdentity } from './object-identity.ts';

describe('apiGroupOf', () => {
  const cases: [string, string][] = [
    ['v1', ''],
    ['apps/v1', 'apps'],
    ['apiextensions.k8s.io/v1beta1', 'apiextensions.k8s.io'],
    ['', ''],
  ];
  it.each(cases)('%s is in group "%s"', (apiVersion, group) => {
    expect(apiGroupOf(apiVersion)).toBe(group);
  });
});

describe('objectIdentity', () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
  // [description, other, same object]
  const cases: [string, Parameters<typeof objectIdentity>[0], boolean][] = [
    ['another version of the group', { ...deployment, apiVersion: 'apps/v1beta2' }, true],
    ['the same kind in another group', { ...deployment, apiVersion: 'extensions/v1beta1' }, false],
    ['another namespace', { ...deployment, namespace: 'other' }, false],
    ['another name', { ...deployment, name: 'api' }, false],
  ];
  it.each(cases)('%s', (_name, other, isSame) => {
    expect(objectIdentity(other) === objectIdentity(deployment)).toBe(isSame);
  });

  it('reads cluster-scoped objects with or without an empty namespace alike', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'r' };
    expect(objectIdentity(role)).toBe(objectIdentity({ ...role, namespace: '' }));
    expect(identityOfObject({ ...role, metadata: { name: 'r' } })).toBe(objectIdentity(role));
  });
});
