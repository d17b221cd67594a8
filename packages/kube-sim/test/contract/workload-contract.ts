import type * as k8s from '@kubernetes/client-node';
import { expect, it } from 'vitest';
import { eventually, type ContractContext } from './contract-context.ts';

/** Deployments as Flotilla's health checks read them: defaults, generation, status. */

function deployment(
  namespace: string,
  image: string,
  extra: Partial<k8s.V1DeploymentSpec> = {},
): k8s.V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace, labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] },
      },
      ...extra,
    },
  };
}

export function workloadContract(context: () => ContractContext): void {
  it('fills in the defaults that would otherwise show up as drift', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('defaults');
    const applied = await ctx.apply(deployment(namespace, 'nginx:1.19'));
    expect(applied.spec).toMatchObject({
      replicas: 2,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
    });
    expect(applied.spec?.template.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
    });
    expect(applied.spec?.template.spec?.containers[0]).toEqual({
      name: 'web',
      image: 'nginx:1.19',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    });
    const latest = await ctx.apply({
      ...deployment(namespace, 'nginx'),
      metadata: { name: 'latest', namespace },
    });
    expect(latest.spec?.template.spec?.containers[0]?.imagePullPolicy).toBe('Always');
  });

  it('bumps generation on spec and annotation changes, not on label changes', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('generation');
    expect((await ctx.apply(deployment(namespace, 'nginx:1.19'))).metadata?.generation).toBe(1);
    const labelled = await ctx.mergePatch<k8s.V1Deployment>(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace, labels: { team: 'a' } },
      },
      'labeler',
    );
    expect(labelled.metadata?.generation).toBe(1);
    expect((await ctx.apply(deployment(namespace, 'nginx:1.20'))).metadata?.generation).toBe(2);
    const annotated = await ctx.mergePatch<k8s.V1Deployment>(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace, annotations: { note: 'x' } },
      },
      'annotator',
    );
    expect(annotated.metadata?.generation).toBe(3);
  });

  it('becomes Available with the status a deployment controller writes', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('available');
    const applied = await ctx.apply(deployment(namespace, 'nginx:1.19'));
    await ctx.target.markAvailable(ctx.cluster, namespace, 'web');
    const available = await eventually('the Deployment to be Available', async () => {
      const live = await ctx.apps.readNamespacedDeployment({ name: 'web', namespace });
      const isAvailable = live.status?.conditions?.some(
        (condition) => condition.type === 'Available' && condition.status === 'True',
      );
      return isAvailable && live.status?.updatedReplicas === 2 ? live : undefined;
    });
    expect(available.status).toMatchObject({
      observedGeneration: applied.metadata?.generation,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
    expect(
      available.status?.conditions?.find((condition) => condition.type === 'Progressing'),
    ).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
    });
  });

  it('changes only status through the status subresource, and ignores status on the main resource', async () => {
    const ctx = context();
    const namespace = await ctx.newNamespace('status');
    const applied = await ctx.apply(deployment(namespace, 'nginx:1.19'));
    // Settled first, so that no deployment controller writes status while the test does.
    await ctx.target.markAvailable(ctx.cluster, namespace, 'web');
    const current = await eventually('the Deployment to be Available', async () => {
      const live = await ctx.apps.readNamespacedDeployment({ name: 'web', namespace });
      return live.status?.availableReplicas === 2 ? live : undefined;
    });
    const statusWrite = await ctx.apps.replaceNamespacedDeploymentStatus({
      name: 'web',
      namespace,
      body: {
        ...current,
        spec: { ...current.spec, replicas: 9 } as k8s.V1DeploymentSpec,
        status: { observedGeneration: 1, replicas: 2, unavailableReplicas: 2 },
      },
    });
    expect(statusWrite.status).toEqual({
      observedGeneration: 1,
      replicas: 2,
      unavailableReplicas: 2,
    });
    expect(statusWrite.spec?.replicas).toBe(2);
    expect(statusWrite.metadata?.generation).toBe(applied.metadata?.generation);
    const mainWrite = await ctx.apps.replaceNamespacedDeployment({
      name: 'web',
      namespace,
      body: { ...statusWrite, status: { replicas: 42 } },
    });
    expect(mainWrite.status?.replicas).toBe(2);
  });
}
