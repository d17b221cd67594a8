import * as k8s from '@kubernetes/client-node';
import {
  kubeConfigFor,
  startTestClusters,
  type TestCluster,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyObjects,
  BUNDLE_ID_LABEL,
  createClusterClient,
  ensureNamespaces,
  FIELD_MANAGER,
  getLive,
  listLive,
  ownerLabel,
  ownershipSelector,
  pruneObjects,
  withOwnership,
  type ClusterClient,
  type ClusterClientOptions,
  type KubeObject,
  type ObjectRef,
} from '../src/index.ts';

const ownerA = { workspaceId: 'ws-1', bundleId: 'bundle-a' };
const ownerB = { workspaceId: 'ws-1', bundleId: 'bundle-b' };

function configMap(
  namespace: string,
  name: string,
  data: Record<string, string> = { key: 'value' },
): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

function deployment(namespace: string, name: string, replicas = 1): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
      },
    },
  };
}

const widgetCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
          },
        },
      },
    ],
  },
};

const refOf = (object: KubeObject): ObjectRef => ({
  apiVersion: object.apiVersion,
  kind: object.kind,
  namespace: object.metadata.namespace ?? '',
  name: object.metadata.name,
});

const options = { fieldManager: FIELD_MANAGER, force: true };

describe('apply, live read and prune against a real kube-apiserver', () => {
  let envtest: TestClusters;
  let cluster: TestCluster;
  let client: ClusterClient;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  const clients: ClusterClient[] = [];

  const newClient = (clientOptions: ClusterClientOptions = {}) => {
    const made = createClusterClient(
      {
        apiServerUrl: cluster.url,
        caData: cluster.caData,
        insecureSkipTlsVerify: false,
        credentials: { kind: 'token', token: cluster.token },
      },
      clientOptions,
    );
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    envtest = await startTestClusters(1);
    const [first] = envtest.clusters;
    if (!first) throw new Error('a cluster expected');
    cluster = first;
    client = newClient();
    // Reads in assertions go through client-node directly, independent of the code under test.
    core = kubeConfigFor(cluster).makeApiClient(k8s.CoreV1Api);
    apps = kubeConfigFor(cluster).makeApiClient(k8s.AppsV1Api);
  });

  afterAll(async () => {
    for (const made of clients) made.close();
    await envtest?.stopAll();
  });

  it('applies a Namespace, ConfigMap, Deployment, a CRD and one of its CRs in one call', async () => {
    // Listed in the worst order on purpose: the CR before its CRD, objects before their namespace.
    const objects = [
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w1', namespace: 'shop' },
        spec: { size: 3 },
      },
      deployment('shop', 'web'),
      configMap('shop', 'settings'),
      widgetCrd,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    ].map((object) => withOwnership(object, ownerA));

    const result = await applyObjects(client, objects, options);

    expect(result.failed).toEqual([]);
    expect(result.applied).toHaveLength(5);
    expect(result.applied).toEqual(
      expect.arrayContaining([
        { apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'shop' },
        {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          namespace: '',
          name: 'widgets.example.com',
        },
        { apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'shop', name: 'w1' },
      ]),
    );
    const settings = await core.readNamespacedConfigMap({ name: 'settings', namespace: 'shop' });
    expect(settings.data).toEqual({ key: 'value' });
    expect(settings.metadata?.labels?.[BUNDLE_ID_LABEL]).toBe('bundle-a');
    expect(settings.metadata?.managedFields?.map((entry) => entry.manager)).toEqual(['flotilla']);
    const web = await apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    expect(web.spec?.template.spec?.containers[0]?.image).toBe('nginx:1.25');
    const widget = await kubeConfigFor(cluster)
      .makeApiClient(k8s.CustomObjectsApi)
      .getNamespacedCustomObject({
        group: 'example.com',
        version: 'v1',
        namespace: 'shop',
        plural: 'widgets',
        name: 'w1',
      });
    expect((widget as { spec?: unknown }).spec).toEqual({ size: 3 });
  });

  it("an invalid object fails with the API server's reason, naming it, while the others are applied", async () => {
    const result = await applyObjects(
      client,
      [
        deployment('shop', 'broken', -1),
        configMap('shop', 'still-applied'),
        {
          apiVersion: 'example.com/v1',
          kind: 'Gadget',
          metadata: { name: 'g1', namespace: 'shop' },
        },
      ],
      options,
    );
    expect(result.applied).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'still-applied' },
    ]);
    expect(result.failed).toHaveLength(2);
    const byName = Object.fromEntries(
      result.failed.map((failure) => [failure.ref.name, failure.reason]),
    );
    expect(byName.broken).toMatch(
      /^Deployment\.apps "broken" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0/,
    );
    expect(byName.g1).toBe(
      'Gadget "g1" in namespace "shop": the cluster does not serve kind Gadget in example.com/v1 ' +
        '(is its CustomResourceDefinition installed?)',
    );
    await expect(
      core.readNamespacedConfigMap({ name: 'still-applied', namespace: 'shop' }),
    ).resolves.toMatchObject({ metadata: { name: 'still-applied', namespace: 'shop' } });
    await expect(
      apps.readNamespacedDeployment({ name: 'broken', namespace: 'shop' }),
    ).rejects.toThrow(/404/);
  });

  it('re-applying identical objects changes nothing on the cluster (resourceVersion unchanged)', async () => {
    const objects = [configMap('shop', 'settings'), deployment('shop', 'web'), widgetCrd].map(
      (object) => withOwnership(object, ownerA),
    );
    const versions = async () => [
      (await core.readNamespacedConfigMap({ name: 'settings', namespace: 'shop' })).metadata
        ?.resourceVersion,
      (await apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' })).metadata
        ?.resourceVersion,
    ];
    const before = await versions();
    const result = await applyObjects(client, objects, options);
    expect(result.failed).toEqual([]);
    expect(await versions()).toEqual(before);
  });

  it('a dry run validates on the server and persists nothing', async () => {
    const result = await applyObjects(
      client,
      [configMap('shop', 'dry-only'), deployment('shop', 'dry-broken', -2)],
      { ...options, dryRun: true },
    );
    expect(result.applied.map((ref) => ref.name)).toEqual(['dry-only']);
    expect(result.failed[0]?.reason).toMatch(/Invalid value: -2/);
    await expect(
      core.readNamespacedConfigMap({ name: 'dry-only', namespace: 'shop' }),
    ).rejects.toThrow(/404/);
  });

  it('without force, a field owned by another manager is a conflict naming it; with force it is taken over', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'shop',
      body: { metadata: { name: 'contested' }, data: { key: 'theirs' } },
      fieldManager: 'someone-else',
    });
    const ours = [configMap('shop', 'contested', { key: 'ours' })];
    const refused = await applyObjects(client, ours, { ...options, force: false });
    expect(refused.failed[0]?.reason).toMatch(/conflict with "someone-else".*\.data\.key/);
    const forced = await applyObjects(client, ours, options);
    expect(forced.failed).toEqual([]);
    expect(
      (await core.readNamespacedConfigMap({ name: 'contested', namespace: 'shop' })).data,
    ).toEqual({ key: 'ours' });
  });

  it('ensureNamespaces creates what is missing, unlabeled, and writes nothing for what exists', async () => {
    const result = await ensureNamespaces(client, ['shop', 'target-ns', 'target-ns']);
    expect(result).toEqual({ created: ['target-ns'], failed: [] });
    const created = await core.readNamespace({ name: 'target-ns' });
    expect(created.metadata?.labels?.[BUNDLE_ID_LABEL]).toBeUndefined();
    // Marked as Flotilla's making, so a bundle that lists this Namespace may adopt it.
    expect(created.metadata?.annotations?.['flotilla.io/created-namespace']).toBe('true');
    const writesBefore = cluster.countMutatingRequests();
    expect(await ensureNamespaces(client, ['shop', 'target-ns'])).toEqual({
      created: [],
      failed: [],
    });
    expect(cluster.countMutatingRequests()).toBe(writesBefore);
  });

  it('listLive makes one LIST per kind and namespace and returns only the selected owner’s objects', async () => {
    await applyObjects(
      client,
      [
        withOwnership(configMap('target-ns', 'a-in-target'), ownerA),
        withOwnership(configMap('target-ns', 'b-in-target'), ownerB),
      ],
      options,
    );
    await core.createNamespacedConfigMap({
      namespace: 'shop',
      body: { metadata: { name: 'by-hand' } },
    });

    const requests: string[] = [];
    const counting = newClient({
      wrapTransport: (next) => (request) => {
        requests.push(`${request.method} ${new URL(request.url).pathname}`);
        return next(request);
      },
    });
    const live = await listLive(counting, {
      kinds: [
        { apiVersion: 'v1', kind: 'ConfigMap', namespaces: ['shop', 'target-ns', 'shop'] },
        { apiVersion: 'apps/v1', kind: 'Deployment', namespaces: ['shop'] },
        { apiVersion: 'example.com/v1', kind: 'Widget', namespaces: ['shop'] },
        { apiVersion: 'v1', kind: 'Namespace', namespaces: ['ignored-for-cluster-scoped'] },
      ],
      labelSelector: ownershipSelector(ownerA),
    });

    expect(live.errors).toEqual([]);
    expect(
      live.objects
        .map(
          (object) => `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`,
        )
        .sort(),
    ).toEqual([
      'ConfigMap shop/settings',
      'ConfigMap target-ns/a-in-target',
      'Deployment shop/web',
      'Namespace /shop',
      'Widget shop/w1',
    ]);
    expect(live.objects.find((object) => object.kind === 'Deployment')?.apiVersion).toBe('apps/v1');
    const lists = requests.filter((line) =>
      /\/(configmaps|deployments|widgets|namespaces)$/.test(line),
    );
    expect(lists.sort()).toEqual([
      'GET /api/v1/namespaces',
      'GET /api/v1/namespaces/shop/configmaps',
      'GET /api/v1/namespaces/target-ns/configmaps',
      'GET /apis/apps/v1/namespaces/shop/deployments',
      'GET /apis/example.com/v1/namespaces/shop/widgets',
    ]);
    // The rest are discovery, once per apiVersion: nothing is read object by object.
    expect(requests.filter((line) => !lists.includes(line)).sort()).toEqual([
      'GET /api/v1',
      'GET /apis/apps/v1',
      'GET /apis/example.com/v1',
    ]);
  });

  it('listLive lists a kind once across namespaces from three namespaces on, keeping only those asked for', async () => {
    const namespaces = ['spread-1', 'spread-2', 'spread-3', 'spread-other'];
    await applyObjects(
      client,
      [
        ...namespaces.map((name) => ({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name },
        })),
        ...namespaces.map((name) => withOwnership(configMap(name, `mine-${name}`), ownerA)),
        withOwnership(configMap('spread-1', 'theirs'), ownerB),
      ],
      options,
    );
    const requests: string[] = [];
    const counting = newClient({
      wrapTransport: (next) => (request) => {
        requests.push(`${request.method} ${new URL(request.url).pathname}`);
        return next(request);
      },
    });
    const live = await listLive(counting, {
      kinds: [
        { apiVersion: 'v1', kind: 'ConfigMap', namespaces: ['spread-1', 'spread-2', 'spread-3'] },
      ],
      labelSelector: ownershipSelector(ownerA),
    });
    expect(live.errors).toEqual([]);
    expect(live.objects.map((object) => object.metadata.name).sort()).toEqual([
      'mine-spread-1',
      'mine-spread-2',
      'mine-spread-3',
    ]);
    expect(requests.filter((line) => line.endsWith('/configmaps'))).toEqual([
      'GET /api/v1/configmaps',
    ]);
  });

  it('listLive falls back to one LIST per namespace when the credentials may not list across namespaces', async () => {
    const namespaces = ['spread-1', 'spread-2', 'spread-3'];
    const rbac = kubeConfigFor(cluster).makeApiClient(k8s.RbacAuthorizationV1Api);
    for (const namespace of namespaces) {
      await rbac.createNamespacedRole({
        namespace,
        body: {
          metadata: { name: 'read-configmaps' },
          rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
        },
      });
      await rbac.createNamespacedRoleBinding({
        namespace,
        body: {
          metadata: { name: 'read-configmaps' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-configmaps' },
          subjects: [
            { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'namespaced-reader' },
          ],
        },
      });
    }
    const requests: string[] = [];
    // The harness's token is an admin's: act as a user allowed in these namespaces only.
    const limited = newClient({
      wrapTransport: (next) => (request) => {
        requests.push(`${request.method} ${new URL(request.url).pathname}`);
        return next({
          ...request,
          headers: { ...request.headers, 'Impersonate-User': 'namespaced-reader' },
        });
      },
    });
    const live = await listLive(limited, {
      kinds: [{ apiVersion: 'v1', kind: 'ConfigMap', namespaces }],
      labelSelector: ownershipSelector(ownerA),
    });
    expect(live.errors).toEqual([]);
    expect(live.objects.map((object) => object.metadata.name).sort()).toEqual([
      'mine-spread-1',
      'mine-spread-2',
      'mine-spread-3',
    ]);
    expect(requests.filter((line) => line.endsWith('/configmaps')).sort()).toEqual([
      'GET /api/v1/configmaps',
      'GET /api/v1/namespaces/spread-1/configmaps',
      'GET /api/v1/namespaces/spread-2/configmaps',
      'GET /api/v1/namespaces/spread-3/configmaps',
    ]);
  });

  it('listLive reports a kind the cluster does not serve next to what it could read', async () => {
    const live = await listLive(client, {
      kinds: [
        { apiVersion: 'v1', kind: 'ConfigMap', namespaces: ['target-ns'] },
        { apiVersion: 'example.com/v1', kind: 'Gadget', namespaces: ['shop'] },
      ],
      labelSelector: ownershipSelector(ownerB),
    });
    expect(live.objects.map((object) => object.metadata.name)).toEqual(['b-in-target']);
    expect(live.errors).toEqual([
      {
        apiVersion: 'example.com/v1',
        kind: 'Gadget',
        namespace: 'shop',
        reason:
          'the cluster does not serve kind Gadget in example.com/v1 (is its CustomResourceDefinition installed?)',
      },
    ]);
  });

  it('getLive reads one object by name, at the version asked for, and nothing once it is gone', async () => {
    await ensureNamespaces(client, ['reads']);
    const applied = await applyObjects(
      client,
      [withOwnership(deployment('reads', 'one'), ownerA)],
      options,
    );
    expect(applied.failed).toEqual([]);
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'reads', name: 'one' };
    const found = await getLive(client, ref);
    expect(found?.metadata.name).toBe('one');
    expect(found?.apiVersion).toBe('apps/v1');
    expect(found?.metadata.labels?.[BUNDLE_ID_LABEL]).toBe(ownerA.bundleId);
    await apps.deleteNamespacedDeployment({ name: 'one', namespace: 'reads' });
    expect(await getLive(client, ref)).toBeUndefined();
    expect(await getLive(client, { ...ref, name: 'never-there' })).toBeUndefined();
  });

  it('prune deletes what left the inventory, but not an object whose ownership label was removed by hand', async () => {
    const inventory = ['keep', 'drop', 'adopted'].map((name) =>
      withOwnership(configMap('shop', name), ownerA),
    );
    const applied = await applyObjects(client, inventory, options);
    expect(applied.failed).toEqual([]);
    // Someone takes "adopted" over by removing our label.
    await core.patchNamespacedConfigMap(
      {
        name: 'adopted',
        namespace: 'shop',
        body: [{ op: 'remove', path: '/metadata/labels/flotilla.io~1bundle-id' }],
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    const gone = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'never-existed' };

    const result = await pruneObjects(client, {
      previous: [...inventory.map(refOf), gone],
      current: [refOf(inventory[0] as KubeObject)],
      ownerLabel: ownerLabel(ownerA),
    });

    expect(result).toEqual({
      deleted: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'drop' }],
      skipped: expect.arrayContaining([
        {
          ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'adopted' },
          reason: 'NotOwned',
        },
        { ref: gone, reason: 'NotFound' },
      ]),
      failed: [],
    });
    expect(result.skipped).toHaveLength(2);
    await expect(core.readNamespacedConfigMap({ name: 'drop', namespace: 'shop' })).rejects.toThrow(
      /404/,
    );
    await expect(
      core.readNamespacedConfigMap({ name: 'adopted', namespace: 'shop' }),
    ).resolves.toMatchObject({ metadata: { name: 'adopted', namespace: 'shop' } });
    await expect(
      core.readNamespacedConfigMap({ name: 'keep', namespace: 'shop' }),
    ).resolves.toMatchObject({ metadata: { name: 'keep', namespace: 'shop' } });
  });

  it('prune treats a new apiVersion of the same object as the same object', async () => {
    const previous = [
      { apiVersion: 'apps/v1beta1', kind: 'Deployment', namespace: 'shop', name: 'web' },
    ];
    const current = [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }];
    const result = await pruneObjects(client, {
      previous,
      current,
      ownerLabel: ownerLabel(ownerA),
    });
    expect(result).toEqual({ deleted: [], skipped: [], failed: [] });
    await expect(
      apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' }),
    ).resolves.toMatchObject({ metadata: { name: 'web', namespace: 'shop' } });
  });

  it('with concurrency 2, never more than 2 requests are in flight, even across concurrent applies', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let total = 0;
    const bounded = newClient({
      concurrency: 2,
      wrapTransport: (next) => async (request) => {
        inFlight += 1;
        total += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await next(request);
        } finally {
          inFlight -= 1;
        }
      },
    });
    const batch = (prefix: string) =>
      Array.from({ length: 20 }, (_, index) =>
        withOwnership(configMap('shop', `${prefix}-${index}`), ownerB),
      );

    // Typed client-node APIs made from the client share the same bound.
    const typedCore = bounded.makeApi(k8s.CoreV1Api);

    const [first, second, ...reads] = await Promise.all([
      applyObjects(bounded, batch('first'), options),
      applyObjects(bounded, batch('second'), options),
      ...Array.from({ length: 5 }, () => typedCore.readNamespace({ name: 'shop' })),
    ]);

    expect([...(first?.failed ?? []), ...(second?.failed ?? [])]).toEqual([]);
    expect([...(first?.applied ?? []), ...(second?.applied ?? [])]).toHaveLength(40);
    expect(reads.map((namespace) => namespace?.metadata?.name)).toEqual(Array(5).fill('shop'));
    expect(total).toBeGreaterThanOrEqual(45);
    expect(maxInFlight).toBe(2);
  });
});
