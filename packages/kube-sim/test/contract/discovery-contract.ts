import * as k8s from '@kubernetes/client-node';
import { kubeConfigFor } from '@flotilla/testkit';
import { expect, it } from 'vitest';
import { eventually, expectStatus, rawGet, type ContractContext } from './contract-context.ts';

/** Version, authentication, discovery and custom resources, as Flotilla's cluster checks use them. */

const WIDGET_GROUP = 'contract.flotilla.dev';

function widgetCrd(): k8s.V1CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${WIDGET_GROUP}` },
    spec: {
      group: WIDGET_GROUP,
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', shortNames: ['wd'] },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    size: { type: 'integer' },
                    color: { type: 'string', _default: 'blue' },
                  },
                },
                status: { type: 'object', x_kubernetes_preserve_unknown_fields: true },
              },
            },
          },
        },
      ],
    },
  };
}

export function discoveryContract(context: () => ContractContext): void {
  it('reports its version on /version', async () => {
    const ctx = context();
    const version = await ctx.kubeConfig.makeApiClient(k8s.VersionApi).getCode();
    expect(version).toMatchObject({
      major: '1',
      minor: '20',
      gitVersion: 'v1.20.2',
      platform: 'linux/amd64',
    });
  });

  it('answers 401 Unauthorized to a wrong token, on resources and on /version', async () => {
    const ctx = context();
    const wrong = kubeConfigFor({ ...ctx.cluster, token: 'not-the-token' });
    const failure = await wrong
      .makeApiClient(k8s.CoreV1Api)
      .listNamespace()
      .catch((error: unknown) => error);
    // client-node keeps only the code of a 401; the Status body is checked on the wire below.
    expect(failure).toBeInstanceOf(k8s.ApiException);
    expect((failure as k8s.ApiException<unknown>).code).toBe(401);
    const unauthorized = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    };
    for (const path of ['/version', '/api/v1/namespaces']) {
      expect(await rawGet(ctx.cluster, path, 'not-the-token')).toEqual({
        status: 401,
        body: unauthorized,
      });
    }
  });

  it('lets anonymous clients read /version and /healthz only', async () => {
    const ctx = context();
    expect((await rawGet(ctx.cluster, '/version')).status).toBe(200);
    expect(await rawGet(ctx.cluster, '/healthz')).toEqual({ status: 200, body: 'ok' });
    expect(await rawGet(ctx.cluster, '/api/v1/namespaces/default/configmaps')).toEqual({
      status: 403,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'configmaps is forbidden: User "system:anonymous" cannot list resource "configmaps" in API group "" in the namespace "default"',
        reason: 'Forbidden',
        details: { kind: 'configmaps' },
        code: 403,
      },
    });
  });

  it('describes kinds in discovery with their scope and verbs', async () => {
    const ctx = context();
    const cases: [string, string, string, boolean][] = [
      ['v1', 'ConfigMap', 'configmaps', true],
      ['v1', 'Namespace', 'namespaces', false],
      ['apps/v1', 'Deployment', 'deployments', true],
      ['batch/v1', 'Job', 'jobs', true],
      ['networking.k8s.io/v1', 'Ingress', 'ingresses', true],
      ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false],
      ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false],
    ];
    for (const [apiVersion, kind, plural, isNamespaced] of cases) {
      const resource = await ctx.objects.lookup(apiVersion, kind);
      expect(resource, `${apiVersion} ${kind}`).toMatchObject({
        name: plural,
        namespaced: isNamespaced,
        kind,
      });
      expect(resource?.verbs).toEqual(
        expect.arrayContaining(['create', 'delete', 'get', 'list', 'patch', 'update']),
      );
    }
    const apps = await ctx.kubeConfig.makeApiClient(k8s.AppsV1Api).getAPIResources();
    expect(
      apps.resources.find((resource) => resource.name === 'deployments/status')?.verbs,
    ).toEqual(['get', 'patch', 'update']);
    const groups = await ctx.kubeConfig.makeApiClient(k8s.ApisApi).getAPIVersions();
    expect(groups.groups.map((group) => group.name)).toEqual(
      expect.arrayContaining([
        'apps',
        'batch',
        'networking.k8s.io',
        'rbac.authorization.k8s.io',
        'apiextensions.k8s.io',
        'policy',
        'autoscaling',
        'storage.k8s.io',
      ]),
    );
    expect((await ctx.kubeConfig.makeApiClient(k8s.CoreApi).getAPIVersions()).versions).toEqual([
      'v1',
    ]);
  });

  it('serves a CRD’s kind once it is Established, with status, defaults and pruning', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('crd');
    await ctx.apply(widgetCrd());
    const established = await eventually('the CRD to be Established', async () => {
      const crd = await ctx.read(widgetCrd());
      return crd.status?.conditions?.some(
        (condition) => condition.type === 'Established' && condition.status === 'True',
      )
        ? crd
        : undefined;
    });
    expect(established.status?.acceptedNames).toMatchObject({
      kind: 'Widget',
      plural: 'widgets',
      listKind: 'WidgetList',
    });
    const resource = await eventually('Widget in discovery', () =>
      ctx.objects.lookup(`${WIDGET_GROUP}/v1`, 'Widget'),
    );
    expect(resource).toMatchObject({ name: 'widgets', namespaced: true, singularName: 'widget' });

    const widget = {
      apiVersion: `${WIDGET_GROUP}/v1`,
      kind: 'Widget',
      metadata: { name: 'w1', namespace },
      spec: { size: 3 },
    };
    const applied = await ctx.apply(widget);
    expect(applied).toMatchObject({
      spec: { size: 3, color: 'blue' },
      metadata: { generation: 1 },
    });
    await expectStatus(ctx.apply({ ...widget, spec: { size: 3, shape: 'round' } }), {
      code: 500,
      message: 'failed to create typed patch object: .spec.shape: field not declared in schema',
    });
    const created = await ctx.objects.create({
      ...widget,
      metadata: { name: 'w2', namespace },
      spec: { size: 1, shape: 'round' },
    });
    expect(created).toMatchObject({ spec: { size: 1, color: 'blue' } });
    await expectStatus(
      ctx.mergePatch({ ...widget, spec: { size: 'big' } } as k8s.KubernetesObject, 'kubectl-edit'),
      {
        code: 422,
        reason: 'Invalid',
        message: `Widget.${WIDGET_GROUP} "w1" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"`,
      },
    );
    const custom = ctx.kubeConfig.makeApiClient(k8s.CustomObjectsApi);
    const withStatus = await custom.patchNamespacedCustomObjectStatus(
      {
        group: WIDGET_GROUP,
        version: 'v1',
        namespace,
        plural: 'widgets',
        name: 'w1',
        body: { status: { ready: true }, spec: { size: 99 } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(withStatus).toMatchObject({ status: { ready: true }, spec: { size: 3 } });
    const list = await custom.listNamespacedCustomObject({
      group: WIDGET_GROUP,
      version: 'v1',
      namespace,
      plural: 'widgets',
    });
    expect(
      (list as { items: k8s.KubernetesObject[] }).items.map((item) => [
        item.kind,
        item.metadata?.name,
      ]),
    ).toEqual([
      ['Widget', 'w1'],
      ['Widget', 'w2'],
    ]);
  });
}
