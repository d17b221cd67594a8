import type * as k8s from '@kubernetes/client-node';
import { expect, it } from 'vitest';
import {
  expectStatus,
  fieldsOf,
  managersOf,
  rawRequest,
  type ContractContext,
} from './contract-context.ts';

/** Server-side apply and field ownership, as Flotilla's deploy and drift correction rely on them. */

function configMap(
  namespace: string,
  name: string,
  data: Record<string, string>,
  labels: Record<string, string> = {},
): k8s.V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data };
}

export function applyContract(context: () => ContractContext): void {
  it('creates an object on first apply and records flotilla as its Apply manager', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('apply-create');
    const applied = await ctx.apply(
      configMap(namespace, 'settings', { mode: 'fast' }, { app: 'web' }),
    );
    expect(applied.data).toEqual({ mode: 'fast' });
    expect(applied.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(applied.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(applied.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(managersOf(applied)).toEqual([{ manager: 'flotilla', operation: 'Apply' }]);
    expect(fieldsOf(applied, 'flotilla')).toEqual({
      'f:data': { 'f:mode': {} },
      'f:metadata': { 'f:labels': { 'f:app': {} } },
    });
  });

  it('leaves the object untouched (same resourceVersion) when the same manifest is applied again', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('apply-noop');
    const first = await ctx.apply(configMap(namespace, 'settings', { mode: 'fast' }));
    const second = await ctx.apply(configMap(namespace, 'settings', { mode: 'fast' }));
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    expect(second.metadata?.managedFields?.[0]?.time).toEqual(
      first.metadata?.managedFields?.[0]?.time,
    );
  });

  it('refuses, without force, to take a field another manager changed, naming the field and manager', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('apply-conflict');
    await ctx.apply(configMap(namespace, 'settings', { mode: 'fast', size: 'small' }));
    await ctx.mergePatch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace },
        data: { mode: 'slow' },
      },
      'kubectl-edit',
    );
    const body = await expectStatus(
      ctx.apply(configMap(namespace, 'settings', { mode: 'fast', size: 'small' }), {
        force: false,
      }),
      {
        code: 409,
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.mode',
      },
    );
    expect(body.details?.causes).toEqual([
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "kubectl-edit" using v1',
        field: '.data.mode',
      },
    ]);
    const live = await ctx.read(configMap(namespace, 'settings', {}));
    expect(live.data).toEqual({ mode: 'slow', size: 'small' });
  });

  it('lists every conflicting field, grouped by manager, when several conflict', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('apply-conflicts');
    await ctx.apply(configMap(namespace, 'settings', { a: '1', b: '1' }));
    await ctx.mergePatch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace },
        data: { a: '2', b: '2' },
      },
      'kubectl-edit',
    );
    await expectStatus(
      ctx.apply(configMap(namespace, 'settings', { a: '1', b: '1' }), { force: false }),
      {
        code: 409,
        reason: 'Conflict',
        message:
          'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using v1:\n- .data.a\n- .data.b',
      },
    );
  });

  it('takes ownership with force and corrects the drifted value', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('apply-force');
    await ctx.apply(configMap(namespace, 'settings', { mode: 'fast' }));
    await ctx.mergePatch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace },
        data: { mode: 'slow' },
      },
      'kubectl-edit',
    );
    const corrected = await ctx.apply(configMap(namespace, 'settings', { mode: 'fast' }), {
      force: true,
    });
    expect(corrected.data).toEqual({ mode: 'fast' });
    expect(fieldsOf(corrected, 'flotilla')).toEqual({ 'f:data': { 'f:mode': {} } });
    // kubectl-edit owned nothing else, so its entry is gone.
    expect(managersOf(corrected)).toEqual([{ manager: 'flotilla', operation: 'Apply' }]);
  });

  it('shares a field applied with the same value by two appliers, without conflict', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('apply-shared');
    await ctx.apply(configMap(namespace, 'settings', { mode: 'fast' }));
    const shared = await ctx.apply(configMap(namespace, 'settings', { mode: 'fast' }), {
      force: false,
      manager: 'helm',
    });
    expect(managersOf(shared)).toEqual(
      expect.arrayContaining([
        { manager: 'flotilla', operation: 'Apply' },
        { manager: 'helm', operation: 'Apply' },
      ]),
    );
    expect(fieldsOf(shared, 'helm')).toEqual({ 'f:data': { 'f:mode': {} } });
  });

  it('removes fields dropped from the manifest, but keeps those another manager added', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('apply-prune');
    await ctx.apply(
      configMap(namespace, 'settings', { keep: '1', drop: '2' }, { app: 'web', stale: 'yes' }),
    );
    await ctx.mergePatch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace },
        data: { theirs: '3' },
      },
      'operator',
    );
    const pruned = await ctx.apply(configMap(namespace, 'settings', { keep: '1' }, { app: 'web' }));
    expect(pruned.data).toEqual({ keep: '1', theirs: '3' });
    expect(pruned.metadata?.labels).toEqual({ app: 'web' });
    expect(fieldsOf(pruned, 'flotilla')).toEqual({
      'f:data': { 'f:keep': {} },
      'f:metadata': { 'f:labels': { 'f:app': {} } },
    });
  });

  it('merges containers by name and keeps another manager’s container when Flotilla drops its own', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('apply-lists');
    const deployment = (containers: k8s.V1Container[]): k8s.V1Deployment => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
      },
    });
    await ctx.apply(
      deployment([
        { name: 'web', image: 'nginx:1.19' },
        { name: 'old', image: 'busybox:1.32' },
      ]),
    );
    await ctx.apply(
      deployment([
        { name: 'web', image: 'nginx:1.19' },
        { name: 'sidecar', image: 'envoy:1.16' },
      ]),
      { manager: 'mesh' },
    );
    const live = await ctx.apply(deployment([{ name: 'web', image: 'nginx:1.20' }]));
    expect(
      live.spec?.template.spec?.containers.map((container) => [container.name, container.image]),
    ).toEqual([
      ['web', 'nginx:1.20'],
      ['sidecar', 'envoy:1.16'],
    ]);
  });

  it('applies to a namespace that does not exist with 404 namespaces "<name>" not found', async () => {
    const ctx = context();
    await expectStatus(ctx.apply(configMap('no-such-namespace', 'settings', { a: '1' })), {
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "no-such-namespace" not found',
    });
  });

  it('returns the would-be object of a dry-run apply and changes nothing', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('apply-dry');
    const live = await ctx.apply(configMap(namespace, 'settings', { mode: 'fast' }));
    const preview = await ctx.apply(configMap(namespace, 'settings', { mode: 'slow' }), {
      dryRun: true,
    });
    expect(preview.data).toEqual({ mode: 'slow' });
    const after = await ctx.read(configMap(namespace, 'settings', {}));
    expect(after.data).toEqual({ mode: 'fast' });
    expect(after.metadata?.resourceVersion).toBe(live.metadata?.resourceVersion);
    const fresh = await ctx.apply(configMap(namespace, 'never-created', { a: '1' }), {
      dryRun: true,
    });
    expect(fresh.metadata?.uid).toBeTruthy();
    expect(fresh.metadata?.resourceVersion).toBeUndefined();
    await expectStatus(ctx.read(configMap(namespace, 'never-created', {})), {
      code: 404,
      reason: 'NotFound',
    });
  });

  it('rejects a Service port without protocol in an apply (v1.20 has no default for that key)', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('apply-svc');
    const service = (ports: k8s.V1ServicePort[]): k8s.V1Service => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace },
      spec: { selector: { app: 'web' }, ports },
    });
    await expectStatus(ctx.apply(service([{ port: 80 }])), {
      code: 500,
      message: /omits key field "protocol" \(and doesn't have default value\)/,
    });
    const applied = await ctx.apply(service([{ port: 80, protocol: 'TCP' }]));
    expect(applied.spec?.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    expect(applied.spec?.clusterIP).toMatch(/^10\.0\.0\.\d+$/);
    expect(applied.spec?.type).toBe('ClusterIP');
  });

  it('refuses an apply naming an undeclared field, which client-node drops before sending', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('apply-typo');
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace },
      spec: {
        replica: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.19' }] },
        },
      },
    };
    const path = `/apis/apps/v1/namespaces/${namespace}/deployments/web?fieldManager=flotilla&force=true`;
    const onTheWire = await rawRequest(ctx.cluster, path, {
      token: ctx.cluster.token,
      method: 'PATCH',
      body: manifest,
      contentType: 'application/apply-patch+yaml',
    });
    expect(onTheWire).toMatchObject({
      status: 500,
      body: {
        kind: 'Status',
        code: 500,
        message: 'failed to create typed patch object: .spec.replica: field not declared in schema',
      },
    });
    // The typed serializer of client-node strips the typo: the apply succeeds with the default.
    const applied = await ctx.apply(manifest as k8s.V1Deployment);
    expect(applied.spec?.replicas).toBe(1);
  });
}
