import { describe, expect, it } from 'vitest';
import {
  crdServes,
  reasonNaming,
  splitFoundation,
  toApplyBody,
  withServicePortProtocols,
} from './apply-plan.ts';
import type { KubeObject } from './types.ts';

const object = (
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

describe('splitFoundation', () => {
  it('puts Namespaces and CRDs (v1 and v1beta1) first, everything else after, in input order', () => {
    const objects = [
      object('example.com/v1', 'Widget', 'w', 'shop'),
      object('v1', 'Namespace', 'shop'),
      object('apps/v1', 'Deployment', 'web', 'shop'),
      object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com'),
      object('apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', 'gadgets.example.com'),
      object('example.com/v1', 'Namespace', 'not-the-core-one'),
    ];
    const { foundation, rest } = splitFoundation(objects);
    expect(foundation.map((o) => o.metadata.name)).toEqual([
      'shop',
      'widgets.example.com',
      'gadgets.example.com',
    ]);
    expect(rest.map((o) => o.metadata.name)).toEqual(['w', 'web', 'not-the-core-one']);
  });
});

describe('toApplyBody', () => {
  const exported: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'settings',
      namespace: 'shop',
      labels: { app: 'shop' },
      resourceVersion: '12345',
      uid: '0b7c',
      generation: 3,
      managedFields: [{ manager: 'kubectl' }],
    },
    data: { a: '1' },
  };

  it('drops what the API server sets, keeps the rest', () => {
    expect(toApplyBody(exported, true)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'shop', labels: { app: 'shop' } },
      data: { a: '1' },
    });
  });

  it('drops the namespace of a cluster-scoped kind', () => {
    expect(toApplyBody(exported, false).metadata).toEqual({
      name: 'settings',
      labels: { app: 'shop' },
    });
  });
});

describe('reasonNaming', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

  it.each([
    [
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1',
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1',
    ],
    ['connection refused', 'Deployment "web" in namespace "shop": connection refused'],
  ])('%s', (message, expected) => {
    expect(reasonNaming(ref, message)).toBe(expected);
  });

  it('names a cluster-scoped object without a namespace', () => {
    expect(reasonNaming({ ...ref, kind: 'ClusterRole', namespace: '' }, 'forbidden')).toBe(
      'ClusterRole "web": forbidden',
    );
  });
});

describe('crdServes', () => {
  it('lists the served versions of a v1 CRD', () => {
    const crd: KubeObject = {
      ...object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com'),
      spec: {
        group: 'example.com',
        names: { kind: 'Widget' },
        versions: [
          { name: 'v1', served: true },
          { name: 'v1alpha1', served: false },
          { name: 'v2' },
        ],
      },
    };
    expect(crdServes(crd)).toEqual({
      name: 'widgets.example.com',
      group: 'example.com',
      kinds: [
        { apiVersion: 'example.com/v1', kind: 'Widget' },
        { apiVersion: 'example.com/v2', kind: 'Widget' },
      ],
    });
  });

  it('reads the single version of a v1beta1 CRD', () => {
    const crd: KubeObject = {
      ...object('apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', 'gadgets.example.com'),
      spec: { group: 'example.com', names: { kind: 'Gadget' }, version: 'v1beta1' },
    };
    expect(crdServes(crd)?.kinds).toEqual([{ apiVersion: 'example.com/v1beta1', kind: 'Gadget' }]);
  });

  it('is undefined for a CRD without a spec', () => {
    expect(
      crdServes(object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'x')),
    ).toBeUndefined();
  });
});

describe('withServicePortProtocols', () => {
  it('adds TCP to Service ports that name no protocol, keeps the others', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] },
    };
    expect(withServicePortProtocols(service)).toEqual({
      ...service,
      spec: {
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      },
    });
    expect(service.spec.ports[0]).toEqual({ port: 80 });
  });

  it('leaves other kinds alone', () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { ports: '1' },
    };
    expect(withServicePortProtocols(configMap)).toBe(configMap);
  });
});
