import * as k8s from '@kubernetes/client-node';
import { expect, it } from 'vitest';
import { expectStatus, managersOf, type ContractContext } from './contract-context.ts';

/** Reads, lists, writes and deletes the way Flotilla's inventory, prune and monitor do them. */

function configMap(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
): k8s.V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels },
    data: { name },
  };
}

function names(list: { items: k8s.KubernetesObject[] }): string[] {
  return list.items.map((item) => item.metadata?.name ?? '').sort();
}

export function crudContract(context: () => ContractContext): void {
  it('lists by label selector with =, ==, !=, in, notin, exists and !exists', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('list-labels');
    await Promise.all([
      ctx.apply(configMap(namespace, 'a', { app: 'web', tier: 'front' })),
      ctx.apply(configMap(namespace, 'b', { app: 'web', tier: 'back' })),
      ctx.apply(configMap(namespace, 'c', { app: 'db' })),
    ]);
    const cases: [string, string[]][] = [
      ['app=web', ['a', 'b']],
      ['app==web,tier=front', ['a']],
      ['app!=web', ['c']],
      ['tier in (front,back)', ['a', 'b']],
      ['tier notin (front)', ['b', 'c']],
      ['tier', ['a', 'b']],
      ['!tier', ['c']],
    ];
    for (const [labelSelector, expected] of cases) {
      const list = await ctx.core.listNamespacedConfigMap({ namespace, labelSelector });
      expect(names(list), labelSelector).toEqual(expected);
    }
  });

  it('lists by field selector on metadata.name and across namespaces', async () => {
    const ctx = context();
    const [first, second] = [await ctx.newNamespace('list-a'), await ctx.newNamespace('list-b')];
    const marker = `run-${first}`;
    await ctx.apply(configMap(first, 'one', { marker }));
    await ctx.apply(configMap(second, 'two', { marker }));
    const byName = await ctx.core.listNamespacedConfigMap({
      namespace: first,
      fieldSelector: 'metadata.name=one',
    });
    expect(names(byName)).toEqual(['one']);
    const everywhere = await ctx.core.listConfigMapForAllNamespaces({
      labelSelector: `marker=${marker}`,
    });
    expect(
      everywhere.items.map((item) => `${item.metadata?.namespace}/${item.metadata?.name}`).sort(),
    ).toEqual([`${first}/one`, `${second}/two`]);
    await expectStatus(
      ctx.core.listNamespacedConfigMap({ namespace: first, labelSelector: 'tier in front' }),
      {
        code: 400,
        reason: 'BadRequest',
        message: "unable to parse requirement: found 'front' expected: '('",
      },
    );
    await expectStatus(
      ctx.core.listNamespacedConfigMap({ namespace: first, fieldSelector: 'data.x=y' }),
      {
        code: 400,
        reason: 'BadRequest',
        message:
          '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
      },
    );
  });

  it("lists events by their involved object's kind and name", async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('events');
    const event = (name: string, kind: string, object: string) =>
      ctx.core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name },
          involvedObject: { apiVersion: 'v1', kind, name: object, namespace },
          reason: 'Seen',
          message: `about ${kind} ${object}`,
          type: 'Normal',
        },
      });
    await event('e1', 'Pod', 'web-1');
    await event('e2', 'Pod', 'web-2');
    await event('e3', 'ConfigMap', 'web-1');
    const list = await ctx.core.listNamespacedEvent({
      namespace,
      fieldSelector: 'involvedObject.kind=Pod,involvedObject.name=web-1',
    });
    expect(names(list)).toEqual(['e1']);
  });

  it('returns typed list items without kind and apiVersion, as v1.20 does', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('list-shape');
    await ctx.apply(configMap(namespace, 'a'));
    const list = await ctx.objects.list('v1', 'ConfigMap', namespace);
    expect(list.kind).toBe('ConfigMapList');
    expect(list.items).toHaveLength(1);
    expect(list.items[0]?.kind).toBeUndefined();
    expect(list.items[0]?.apiVersion).toBeUndefined();
  });

  it('answers 404 with the real message for a missing object and a missing namespace', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('missing');
    await expectStatus(ctx.core.readNamespacedConfigMap({ name: 'nope', namespace }), {
      code: 404,
      reason: 'NotFound',
      message: 'configmaps "nope" not found',
    });
    await expectStatus(ctx.apps.readNamespacedDeployment({ name: 'nope', namespace }), {
      code: 404,
      reason: 'NotFound',
      message: 'deployments.apps "nope" not found',
    });
    await expectStatus(
      ctx.core.createNamespacedConfigMap({
        namespace: 'no-such-ns',
        body: configMap('no-such-ns', 'x'),
      }),
      {
        code: 404,
        reason: 'NotFound',
        message: 'namespaces "no-such-ns" not found',
      },
    );
  });

  it('creates, refuses a duplicate, and updates with resourceVersion conflict checks', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('crud');
    const created = await ctx.core.createNamespacedConfigMap({
      namespace,
      body: configMap(namespace, 'cm'),
    });
    expect(managersOf(created)).toEqual([{ manager: 'node-fetch', operation: 'Update' }]);
    await expectStatus(
      ctx.core.createNamespacedConfigMap({ namespace, body: configMap(namespace, 'cm') }),
      {
        code: 409,
        reason: 'AlreadyExists',
        message: 'configmaps "cm" already exists',
      },
    );
    const updated = await ctx.core.replaceNamespacedConfigMap({
      name: 'cm',
      namespace,
      body: { ...created, data: { v: '2' } },
    });
    expect(updated.data).toEqual({ v: '2' });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );
    await expectStatus(
      ctx.core.replaceNamespacedConfigMap({
        name: 'cm',
        namespace,
        body: { ...created, data: { v: '3' } },
      }),
      {
        code: 409,
        reason: 'Conflict',
        message:
          'Operation cannot be fulfilled on configmaps "cm": the object has been modified; please apply your changes to the latest version and try again',
      },
    );
  });

  it('validates names and workloads with 422 Invalid and field causes', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('invalid');
    const bad = await expectStatus(
      ctx.core.createNamespacedConfigMap({ namespace, body: configMap(namespace, 'Bad_Name') }),
      {
        code: 422,
        reason: 'Invalid',
      },
    );
    expect(bad.details?.causes?.[0]?.field).toBe('metadata.name');
    const body = await expectStatus(
      ctx.apps.createNamespacedDeployment({
        namespace,
        body: {
          metadata: { name: 'web' },
          spec: {
            selector: { matchLabels: { app: 'web' } },
            template: {
              metadata: { labels: { app: 'other' } },
              spec: { containers: [{ name: 'web', image: 'nginx' }] },
            },
          },
        },
      }),
      { code: 422, reason: 'Invalid' },
    );
    expect(body.message).toMatch(
      /^Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: .*`selector` does not match template `labels`$/,
    );
  });

  it('merge-patches, JSON-patches and strategic-merge-patches, tracking the patcher as an Update manager', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('patch');
    await ctx.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace, labels: { app: 'web' } },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'web', image: 'nginx:1.19' },
              { name: 'log', image: 'busybox:1.32' },
            ],
          },
        },
      },
    } satisfies k8s.V1Deployment);
    const merged = await ctx.mergePatch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace, labels: { team: 'a' } },
      },
      'kubectl-edit',
    );
    expect(merged.metadata?.labels).toEqual({ app: 'web', team: 'a' });
    expect(managersOf(merged)).toContainEqual({ manager: 'kubectl-edit', operation: 'Update' });
    const strategic = await ctx.objects.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace },
        spec: { template: { spec: { containers: [{ name: 'log', image: 'busybox:1.33' }] } } },
      } as k8s.V1Deployment,
      undefined,
      undefined,
      'kubectl-set',
      undefined,
      k8s.PatchStrategy.StrategicMergePatch,
    );
    expect(strategic.spec?.template.spec?.containers.map((c) => c.image)).toEqual([
      'nginx:1.19',
      'busybox:1.33',
    ]);
    const jsonPatched = await ctx.apps.patchNamespacedDeployment(
      { name: 'web', namespace, body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.spec?.replicas).toBe(3);
    await expectStatus(
      ctx.apps.patchNamespacedDeployment(
        { name: 'web', namespace, body: [{ op: 'test', path: '/spec/replicas', value: 9 }] },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
      ),
      {
        code: 422,
        reason: 'Invalid',
        message: 'the server rejected our request due to an error in our request',
      },
    );
  });

  it('deletes: Success status, then 404; finalizers keep an object until removed', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('delete');
    const created = await ctx.apply(configMap(namespace, 'cm'));
    const status = await ctx.objects.delete(
      configMap(namespace, 'cm'),
      undefined,
      undefined,
      undefined,
      undefined,
      'Background',
    );
    expect(status.status).toBe('Success');
    expect(status.details).toMatchObject({
      name: 'cm',
      kind: 'configmaps',
      uid: created.metadata?.uid,
    });
    await expectStatus(ctx.read(configMap(namespace, 'cm')), { code: 404, reason: 'NotFound' });
    await expectStatus(ctx.objects.delete(configMap(namespace, 'cm')), {
      code: 404,
      message: 'configmaps "cm" not found',
    });

    await ctx.apply({
      ...configMap(namespace, 'held'),
      metadata: { name: 'held', namespace, finalizers: ['example.com/hold'] },
    });
    await ctx.core.deleteNamespacedConfigMap({ name: 'held', namespace });
    const held = await ctx.core.readNamespacedConfigMap({ name: 'held', namespace });
    expect(held.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    await ctx.mergePatch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'held', namespace, finalizers: null as unknown as string[] },
      },
      'releaser',
    );
    await expectStatus(ctx.core.readNamespacedConfigMap({ name: 'held', namespace }), {
      code: 404,
      reason: 'NotFound',
    });
  });

  it('creates nothing on a dry-run create, yet returns the defaulted object', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('dry-create');
    const preview = await ctx.core.createNamespacedSecret({
      namespace,
      dryRun: 'All',
      body: { metadata: { name: 'token' }, stringData: { key: 'value' } },
    });
    expect(preview.type).toBe('Opaque');
    expect(preview.data).toEqual({ key: Buffer.from('value').toString('base64') });
    expect(preview.metadata?.resourceVersion).toBeUndefined();
    await expectStatus(ctx.core.readNamespacedSecret({ name: 'token', namespace }), {
      code: 404,
      reason: 'NotFound',
    });
  });

  it('marks a deleted namespace Terminating and refuses new content in it', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('ns-delete');
    const deleted = await ctx.core.deleteNamespace({ name: namespace });
    expect((deleted as k8s.V1Namespace).status?.phase).toBe('Terminating');
    await expectStatus(
      ctx.core.createNamespacedConfigMap({ namespace, body: configMap(namespace, 'late') }),
      {
        code: 403,
        reason: 'Forbidden',
        message: `configmaps "late" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      },
    );
  });
}
