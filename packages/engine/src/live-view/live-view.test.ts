import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { buildResourceTree, kindsToFollow } from './resource-tree.ts';
import { SECRET_MASK, showObjectYaml, showableObject } from './show-object.ts';

const object = (
  apiVersion: string,
  kind: string,
  name: string,
  extra: Partial<KubeObject['metadata']> = {},
  rest: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: 'shop', uid: `uid-${name}`, ...extra },
  ...rest,
});
const ownedBy = (owner: KubeObject) => ({
  ownerReferences: [
    {
      apiVersion: owner.apiVersion,
      kind: owner.kind,
      name: owner.metadata.name,
      uid: owner.metadata.uid!,
    },
  ],
});

describe('showableObject', () => {
  it('masks every value of a Secret, drops managedFields and masks the last-applied copy', () => {
    const secret = object(
      'v1',
      'Secret',
      'db',
      {
        managedFields: [{ manager: 'flotilla' }],
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration':
            '{"data":{"password":"aHVudGVyMg=="}}',
          team: 'shop',
        },
      },
      { data: { password: 'aHVudGVyMg==' }, stringData: { user: 'root' }, type: 'Opaque' },
    );
    const shown = showableObject(secret);
    expect(shown.data).toEqual({ password: SECRET_MASK });
    expect(shown.stringData).toEqual({ user: SECRET_MASK });
    expect(shown.metadata.managedFields).toBeUndefined();
    expect(shown.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/last-applied-configuration': SECRET_MASK,
      team: 'shop',
    });
    const { yaml } = showObjectYaml(secret);
    expect(yaml).not.toContain('aHVudGVyMg');
    expect(yaml).not.toContain('root');
    expect(yaml).toContain('type: Opaque');
  });

  it('leaves other kinds as they are and cuts a huge object with a note', () => {
    const config = object('v1', 'ConfigMap', 'big', {}, { data: { blob: 'x'.repeat(70_000) } });
    expect(showableObject(config).data).toEqual(config.data);
    const { yaml, isTruncated } = showObjectYaml(config);
    expect(isTruncated).toBe(true);
    expect(yaml).toContain('# … cut: the object is longer than 64 KiB');
  });
});

describe('resource tree', () => {
  const deployment = object('apps/v1', 'Deployment', 'web', {}, { spec: { replicas: 1 } });
  const replicaSet = object('apps/v1', 'ReplicaSet', 'web-1', ownedBy(deployment));
  const pod = object('v1', 'Pod', 'web-1-a', ownedBy(replicaSet), {
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const stranger = object('v1', 'Pod', 'other', {
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'uid-x' }],
  });
  const elsewhere = { ...pod, metadata: { ...pod.metadata, namespace: 'other', name: 'moved' } };

  it.each([
    [
      'a Deployment lists ReplicaSets, which list Pods',
      deployment,
      [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'shop' },
        { apiVersion: 'v1', kind: 'Pod', namespace: 'shop' },
      ],
    ],
    [
      'a Job lists Pods',
      object('batch/v1', 'Job', 'migrate'),
      [{ apiVersion: 'v1', kind: 'Pod', namespace: 'shop' }],
    ],
    ['a ConfigMap owns nothing', object('v1', 'ConfigMap', 'settings'), []],
  ])('%s', (_name, root, kinds) => {
    expect(kindsToFollow([root])).toEqual(kinds);
  });

  it('follows owner references by uid in the same namespace, with health per node', () => {
    const [root] = buildResourceTree({
      roots: [{ live: deployment }],
      candidates: [pod, replicaSet, stranger, elsewhere],
    });
    expect(root).toMatchObject({ kind: 'Deployment', name: 'web' });
    expect(root!.children.map((child) => child.name)).toEqual(['web-1']);
    const [leaf] = root!.children[0]!.children;
    expect(leaf).toMatchObject({ kind: 'Pod', name: 'web-1-a', health: 'Healthy', children: [] });
  });

  it('shows a root that is not on the cluster as Missing', () => {
    const [root] = buildResourceTree({
      roots: [
        { missing: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'gone' } },
      ],
      candidates: [],
    });
    expect(root).toMatchObject({ name: 'gone', health: 'Missing', children: [] });
  });
});

describe('showObjectYaml order', () => {
  it('puts apiVersion, kind and metadata first, as kubectl does', () => {
    const { yaml } = showObjectYaml({
      data: { a: '1' },
      kind: 'ConfigMap',
      metadata: { name: 'settings' },
      apiVersion: 'v1',
    } as KubeObject);
    expect(yaml.split('\n').slice(0, 3)).toEqual([
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
    ]);
  });
});
