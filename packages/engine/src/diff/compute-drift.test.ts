import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import type { ComparePatch } from './compare-patch.ts';
import { computeDrift } from './compute-drift.ts';

function deployment(overrides: { replicas?: number; image?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'frontend', namespace: 'shop', labels: { app: 'frontend' } },
    spec: {
      replicas: overrides.replicas ?? 3,
      selector: { matchLabels: { app: 'frontend' } },
      template: {
        metadata: { labels: { app: 'frontend' }, creationTimestamp: null },
        spec: {
          containers: [
            {
              name: 'web',
              image: overrides.image ?? 'nginx:1.27',
              ports: [{ containerPort: 80 }],
              env: [
                { name: 'MODE', value: 'prod' },
                { name: 'LEVEL', value: 'info' },
              ],
              resources: { limits: { cpu: '1000m', memory: '1024Mi' } },
            },
          ],
        },
      },
    },
  };
}

interface ContainerDraft {
  name: string;
  image?: string;
  env: { name: string; value: string }[];
  ports: { containerPort: number | string; protocol?: string }[];
  resources: { limits: Record<string, string> };
  [field: string]: unknown;
}

type DeploymentDraft = KubeObject & {
  spec: {
    replicas: number;
    template: { spec: { containers: ContainerDraft[]; [field: string]: unknown } };
    [field: string]: unknown;
  };
};

/** What the apiserver returns for deployment(): defaults, status and server metadata added. */
function liveDeployment(edit: (live: DeploymentDraft) => void = () => {}): KubeObject {
  const live = structuredClone(deployment()) as DeploymentDraft;
  Object.assign(live.metadata, {
    uid: '6f1c',
    resourceVersion: '4711',
    generation: 2,
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'flotilla' }],
    annotations: { 'deployment.kubernetes.io/revision': '2' },
  });
  live.spec.progressDeadlineSeconds = 600;
  live.spec.strategy = {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
  };
  const container = live.spec.template.spec.containers[0] as ContainerDraft;
  container.imagePullPolicy = 'IfNotPresent';
  container.terminationMessagePath = '/dev/termination-log';
  container.ports[0] = { containerPort: 80, protocol: 'TCP' };
  container.resources.limits = { cpu: '1', memory: '1Gi' };
  live.spec.template.spec.restartPolicy = 'Always';
  live.status = { observedGeneration: 2, replicas: 3, availableReplicas: 3 };
  edit(live);
  return live;
}

describe('computeDrift on a Deployment', () => {
  it('reports nothing when only server defaults, status and metadata differ', () => {
    const drift = computeDrift({ desired: deployment(), live: liveDeployment() });
    expect(drift).toEqual({ modified: false, missing: false, fields: [], diff: '' });
  });

  it('reports a hand edit of replicas with a unified diff labelled git and live', () => {
    const drift = computeDrift({
      desired: deployment(),
      live: liveDeployment((l) => (l.spec.replicas = 5)),
    });
    expect(drift.modified).toBe(true);
    expect(drift.missing).toBe(false);
    expect(drift.fields).toEqual([{ path: 'spec.replicas', desired: 3, live: 5 }]);
    expect(drift.diff).toContain('--- git');
    expect(drift.diff).toContain('+++ live');
    expect(drift.diff).toContain('-  replicas: 3');
    expect(drift.diff).toContain('+  replicas: 5');
    // The projection leaves server defaults out of the diff entirely.
    expect(drift.diff).not.toContain('progressDeadlineSeconds');
    expect(drift.diff).not.toContain('resourceVersion');
  });

  it('ignores a label added on the cluster', () => {
    const live = liveDeployment(
      (l) => (l.metadata.labels = { app: 'frontend', 'team.example.com/owner': 'ops' }),
    );
    expect(computeDrift({ desired: deployment(), live }).modified).toBe(false);
  });

  it('reports a label removed on the cluster', () => {
    const live = liveDeployment((l) => (l.metadata.labels = {}));
    expect(computeDrift({ desired: deployment(), live }).fields).toEqual([
      { path: 'metadata.labels.app', desired: 'frontend', live: undefined },
    ]);
  });

  it('names a changed container image by the container name', () => {
    const live = liveDeployment((l) => (l.spec.template.spec.containers[0]!.image = 'nginx:1.25'));
    expect(computeDrift({ desired: deployment(), live }).fields).toEqual([
      {
        path: 'spec.template.spec.containers[name=web].image',
        desired: 'nginx:1.27',
        live: 'nginx:1.25',
      },
    ]);
  });

  it('matches env by name whatever the order, and names the changed one', () => {
    const reordered = liveDeployment((l) => l.spec.template.spec.containers[0]!.env.reverse());
    expect(computeDrift({ desired: deployment(), live: reordered }).modified).toBe(false);
    const changed = liveDeployment(
      (l) => (l.spec.template.spec.containers[0]!.env[1]!.value = 'debug'),
    );
    expect(computeDrift({ desired: deployment(), live: changed }).fields).toEqual([
      {
        path: 'spec.template.spec.containers[name=web].env[name=LEVEL].value',
        desired: 'info',
        live: 'debug',
      },
    ]);
  });

  it('ignores a sidecar injected on the cluster but reports a container that went away', () => {
    const injected = liveDeployment((l) =>
      l.spec.template.spec.containers.push({
        name: 'istio-proxy',
        image: 'proxy',
        env: [],
        ports: [],
        resources: { limits: {} },
      }),
    );
    expect(computeDrift({ desired: deployment(), live: injected }).modified).toBe(false);
    const removed = liveDeployment(
      (l) =>
        (l.spec.template.spec.containers = [
          { name: 'other', image: 'x', env: [], ports: [], resources: { limits: {} } },
        ]),
    );
    const drift = computeDrift({ desired: deployment(), live: removed });
    expect(drift.fields.map((field) => [field.path, field.live])).toEqual([
      ['spec.template.spec.containers[name=web]', undefined],
    ]);
  });

  it('compares canonicalised quantities by value', () => {
    const halved = liveDeployment(
      (l) => (l.spec.template.spec.containers[0]!.resources.limits.cpu = '500m'),
    );
    expect(computeDrift({ desired: deployment(), live: halved }).fields).toEqual([
      {
        path: 'spec.template.spec.containers[name=web].resources.limits.cpu',
        desired: '1000m',
        live: '500m',
      },
    ]);
  });

  it('compares ports by containerPort and accepts a numeric string', () => {
    const live = liveDeployment(
      (l) => (l.spec.template.spec.containers[0]!.ports[0]!.containerPort = '80'),
    );
    expect(computeDrift({ desired: deployment(), live }).modified).toBe(false);
  });
});

describe('comparePatches', () => {
  const handEdited = () => liveDeployment((l) => (l.spec.replicas = 5));
  const cases: [string, ComparePatch[], boolean][] = [
    [
      'jsonPointers ignore the field',
      [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'frontend',
          namespace: 'shop',
          jsonPointers: ['/spec/replicas'],
        },
      ],
      false,
    ],
    [
      'a remove operation ignores the field',
      [
        {
          kind: 'Deployment',
          name: 'frontend',
          operations: [{ op: 'remove', path: '/spec/replicas' }],
        },
      ],
      false,
    ],
    [
      'the ignore operation drops the object',
      [{ kind: 'Deployment', name: 'frontend', operations: [{ op: 'ignore' }] }],
      false,
    ],
    [
      'a patch for another object does nothing',
      [{ kind: 'Deployment', name: 'backend', jsonPointers: ['/spec/replicas'] }],
      true,
    ],
    [
      'a patch for another namespace does nothing',
      [{ kind: 'Deployment', namespace: 'other', jsonPointers: ['/spec/replicas'] }],
      true,
    ],
    [
      'a patch for another apiVersion does nothing',
      [{ apiVersion: 'apps/v1beta1', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
      true,
    ],
    [
      'a pointer to another field does not hide this one',
      [{ kind: 'Deployment', jsonPointers: ['/spec/paused'] }],
      true,
    ],
  ];

  it.each(cases)('%s', (_name, comparePatches, modified) => {
    expect(
      computeDrift({ desired: deployment(), live: handEdited(), comparePatches }).modified,
    ).toBe(modified);
  });

  it('an ignore operation also hides a missing object', () => {
    const drift = computeDrift({
      desired: deployment(),
      live: undefined,
      comparePatches: [{ kind: 'Deployment', operations: [{ op: 'ignore' }] }],
    });
    expect(drift).toMatchObject({ modified: false, missing: false });
  });
});
