import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { createDiscovery, resourcePath, type ResourceInfo } from './discovery.ts';
import { UnknownKindError } from './errors.ts';
import type { KubeRequest } from './request.ts';

type Served = Record<string, { name: string; kind: string; namespaced: boolean }[]>;

/** A stand-in API server answering discovery GETs from a table, counting them. */
function fakeServer(served: Served) {
  const paths: string[] = [];
  const request = async ({ path }: KubeRequest): Promise<unknown> => {
    paths.push(path);
    if (path === '/apis/down.example.com/v1') {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    }
    const resources = served[path];
    if (!resources) {
      throw new ApiException(
        404,
        'HTTP 404',
        { kind: 'Status', reason: 'NotFound', details: {} },
        {},
      );
    }
    return { kind: 'APIResourceList', resources };
  };
  return { request, paths, served };
}

const core = [
  { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { name: 'namespaces', kind: 'Namespace', namespaced: false },
  { name: 'namespaces/status', kind: 'Namespace', namespaced: false },
  { name: 'pods/eviction', kind: 'Eviction', namespaced: true },
];

describe('createDiscovery', () => {
  it('resolves kinds to their plural and scope, ignoring subresources', async () => {
    const server = fakeServer({ '/api/v1': core });
    const discovery = createDiscovery(server.request);
    expect(await discovery.resolve('v1', 'ConfigMap')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      plural: 'configmaps',
      isNamespaced: true,
    });
    expect(await discovery.resolve('v1', 'Namespace')).toMatchObject({
      plural: 'namespaces',
      isNamespaced: false,
    });
    await expect(discovery.resolve('v1', 'Eviction')).rejects.toBeInstanceOf(UnknownKindError);
  });

  it('asks once per apiVersion, however many objects ask at the same time', async () => {
    const server = fakeServer({
      '/api/v1': core,
      '/apis/apps/v1': [{ name: 'deployments', kind: 'Deployment', namespaced: true }],
    });
    const discovery = createDiscovery(server.request);
    await Promise.all([
      ...Array.from({ length: 50 }, () => discovery.resolve('v1', 'ConfigMap')),
      ...Array.from({ length: 50 }, () => discovery.resolve('apps/v1', 'Deployment')),
    ]);
    expect(server.paths.sort()).toEqual(['/api/v1', '/apis/apps/v1']);
  });

  it('asks again when a kind is missing (its CRD may just have been installed), at most once per interval', async () => {
    const server = fakeServer({ '/apis/example.com/v1': [] });
    const eager = createDiscovery(server.request, { missRefreshMs: 0 });
    await expect(eager.resolve('example.com/v1', 'Widget')).rejects.toBeInstanceOf(
      UnknownKindError,
    );
    server.served['/apis/example.com/v1'] = [{ name: 'widgets', kind: 'Widget', namespaced: true }];
    expect(await eager.resolve('example.com/v1', 'Widget')).toMatchObject({ plural: 'widgets' });

    const patient = createDiscovery(server.request, { missRefreshMs: 60_000 });
    await patient.resolve('example.com/v1', 'Widget');
    const before = server.paths.length;
    for (let i = 0; i < 20; i += 1) {
      await expect(patient.resolve('example.com/v1', 'Gadget')).rejects.toBeInstanceOf(
        UnknownKindError,
      );
    }
    expect(server.paths.length).toBe(before);
  });

  it('a group the cluster does not serve is an unknown kind, not a failure', async () => {
    const discovery = createDiscovery(fakeServer({}).request);
    await expect(discovery.resolve('example.com/v1', 'Widget')).rejects.toThrow(
      'the cluster does not serve kind Widget in example.com/v1 (is its CustomResourceDefinition installed?)',
    );
  });

  it('does not cache a failed request: the next resolve asks again', async () => {
    const server = fakeServer({});
    const discovery = createDiscovery(server.request);
    await expect(discovery.resolve('down.example.com/v1', 'Thing')).rejects.toThrow(/ECONNREFUSED/);
    await expect(discovery.resolve('down.example.com/v1', 'Thing')).rejects.toThrow(/ECONNREFUSED/);
    expect(server.paths).toEqual(['/apis/down.example.com/v1', '/apis/down.example.com/v1']);
  });

  it('forget(group) drops only that group', async () => {
    const server = fakeServer({
      '/api/v1': core,
      '/apis/example.com/v1': [{ name: 'widgets', kind: 'Widget', namespaced: true }],
    });
    const discovery = createDiscovery(server.request);
    await discovery.resolve('v1', 'ConfigMap');
    await discovery.resolve('example.com/v1', 'Widget');
    discovery.forget('example.com');
    await discovery.resolve('v1', 'ConfigMap');
    await discovery.resolve('example.com/v1', 'Widget');
    expect(server.paths).toEqual(['/api/v1', '/apis/example.com/v1', '/apis/example.com/v1']);
  });
});

describe('resourcePath', () => {
  const configMaps: ResourceInfo = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    isNamespaced: true,
  };
  const roles: ResourceInfo = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    plural: 'clusterroles',
    isNamespaced: false,
  };

  it.each([
    [configMaps, 'shop', undefined, '/api/v1/namespaces/shop/configmaps'],
    [configMaps, 'shop', 'settings', '/api/v1/namespaces/shop/configmaps/settings'],
    [configMaps, '', undefined, '/api/v1/configmaps'],
    [roles, '', 'system:view', '/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Aview'],
  ] as const)('%#: %s', (resource, namespace, name, expected) => {
    expect(resourcePath(resource, namespace, name)).toBe(expected);
  });
});
