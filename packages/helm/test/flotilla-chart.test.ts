import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  applyObjects,
  createClusterClient,
  type ClusterClient,
  type KubeObject,
} from '@flotilla/kube';
import { REPO_ROOT, startTestClusters, type TestClusters } from '@flotilla/testkit';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadChart, renderChart } from '../src/index.ts';

/**
 * Flotilla's own chart (deploy/helm/flotilla), rendered by the project's Helm engine and
 * handed to a real kube-apiserver as a server-side dry run: the API server's validation
 * (field names, types, probes, the HPA's metric spec, the hook Job) is the check.
 */
const CHART_DIR = path.join(REPO_ROOT, 'deploy/helm/flotilla');
const NAMESPACE = 'flotilla';

const REQUIRED = {
  postgres: { url: 'postgresql://flotilla:secret@postgres:5432/flotilla' },
  redis: { url: 'redis://redis:6379/0' },
  secretKey: { existingSecret: 'flotilla-secret-key' },
};

const EVERYTHING_ON = {
  postgres: { existingSecret: 'flotilla-database' },
  redis: { existingSecret: 'flotilla-redis', existingSecretKey: 'url' },
  secretKey: { existingSecret: 'flotilla-secret-key' },
  metrics: { existingSecret: 'flotilla-metrics' },
  config: {
    publicUrl: 'https://flotilla.example.com',
    adminEmail: 'ops@example.com',
    adminPasswordSecret: 'flotilla-admin',
  },
  extraEnv: [{ name: 'HTTPS_PROXY', value: 'http://proxy:3128' }],
  ingress: { enabled: true, className: 'nginx', tlsSecretName: 'flotilla-tls' },
  worker: { replicas: 4, autoscaling: { enabled: true, maxReplicas: 20 } },
};

async function render(values: Record<string, unknown>, kubeVersion = 'v1.20.2') {
  const chart = await loadChart(CHART_DIR);
  return renderChart(chart, {
    releaseName: 'fleet',
    namespace: NAMESPACE,
    values,
    kubeVersion,
    seed: 'flotilla-chart-test',
  });
}

function objectsOf(rendered: Awaited<ReturnType<typeof render>>): KubeObject[] {
  return [...rendered.hooks, ...rendered.manifests].flatMap((manifest) =>
    parseAllDocuments(manifest.content)
      .map((document) => document.toJS() as KubeObject | null)
      .filter((object): object is KubeObject => object !== null),
  );
}

const find = (objects: KubeObject[], kind: string, suffix: string) => {
  const found = objects.find(
    (object) => object.kind === kind && object.metadata.name.endsWith(suffix),
  );
  if (!found) throw new Error(`no ${kind} *${suffix} rendered`);
  return found as KubeObject & { spec: Record<string, never> };
};

describe('the Flotilla Helm chart', () => {
  let envtest: TestClusters;
  let client: ClusterClient;
  let kubeVersion: string;

  beforeAll(async () => {
    envtest = await startTestClusters(1, { names: ['chart'], isAudited: false });
    const cluster = envtest.clusters[0]!;
    client = createClusterClient({
      apiServerUrl: cluster.url,
      caData: cluster.caData,
      insecureSkipTlsVerify: false,
      credentials: { kind: 'token', token: cluster.token },
    });
    kubeVersion = (
      (await client.request({ method: 'GET', path: '/version' })) as {
        gitVersion: string;
      }
    ).gitVersion;
    // A dry run does not create the namespace its objects would live in: make it for real.
    const namespace = await applyObjects(
      client,
      [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }],
      { fieldManager: 'flotilla-chart-test', force: true },
    );
    expect(namespace.failed).toEqual([]);
  });

  afterAll(async () => {
    await envtest?.stopAll();
  });

  it('has defaults that satisfy its values.schema.json', () => {
    const schema = JSON.parse(readFileSync(path.join(CHART_DIR, 'values.schema.json'), 'utf8'));
    const defaults = parse(readFileSync(path.join(CHART_DIR, 'values.yaml'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(defaults), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses values the schema does not allow, naming the field', async () => {
    await expect(render({ ...REQUIRED, worker: { concurrency: 'many' } })).rejects.toThrow(
      /concurrency/,
    );
    await expect(render({ ...REQUIRED, redis: { url: 'http://redis:6379' } })).rejects.toThrow(
      /redis/,
    );
    await expect(render({ ...REQUIRED, wokrer: { replicas: 3 } })).rejects.toThrow(/wokrer/);
  });

  it('says which value is missing when PostgreSQL, Redis or the secret key is not given', async () => {
    await expect(render({ ...REQUIRED, postgres: { url: '' } })).rejects.toThrow(
      /set postgres\.url or postgres\.existingSecret/,
    );
    await expect(render({ ...REQUIRED, secretKey: { existingSecret: '' } })).rejects.toThrow(
      /set secretKey\.existingSecret/,
    );
  });

  it.each([
    ['the required values only', REQUIRED],
    ['existing Secrets, Ingress, the worker HPA and a metrics token', EVERYTHING_ON],
  ])(
    'renders with %s into objects the API server accepts (server-side dry run)',
    async (_name, values) => {
      const objects = objectsOf(await render(values, kubeVersion));
      const result = await applyObjects(client, objects, {
        fieldManager: 'flotilla-chart-test',
        force: true,
        dryRun: true,
      });
      expect(result.failed).toEqual([]);
      expect(result.applied).toHaveLength(objects.length);
      // Nothing was created: a dry run.
      await expect(
        client.request({
          method: 'GET',
          path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/fleet-flotilla-web`,
        }),
      ).rejects.toThrow(/404|not found/i);
    },
  );

  it('runs migrations as a pre-install/pre-upgrade hook and probes the health endpoints', async () => {
    const rendered = await render(EVERYTHING_ON, kubeVersion);
    const migration = rendered.hooks.find((hook) => hook.kind === 'Job');
    expect(migration?.events).toEqual(['pre-install', 'pre-upgrade']);
    const objects = objectsOf(rendered);
    const job = find(objects, 'Job', '-migrate');
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');

    const web = find(objects, 'Deployment', '-web') as unknown as {
      spec: {
        template: { spec: { containers: Record<string, { httpGet?: { path: string } }>[] } };
      };
    };
    const container = web.spec.template.spec.containers[0]!;
    expect(container.livenessProbe?.httpGet?.path).toBe('/api/v1/health/live');
    expect(container.readinessProbe?.httpGet?.path).toBe('/api/v1/health/ready');

    const worker = find(objects, 'Deployment', '-worker');
    // With the HPA on, the Deployment leaves the replica count to it.
    expect(worker.spec).not.toHaveProperty('replicas');
    const hpa = find(objects, 'HorizontalPodAutoscaler', '-worker');
    expect(hpa.apiVersion).toBe('autoscaling/v2beta2');
    expect(JSON.stringify(hpa.spec)).toContain('"flotilla_queue_jobs"');
    // A cluster that serves autoscaling/v2 gets it.
    const modern = objectsOf(await render(EVERYTHING_ON, 'v1.30.0'));
    expect(find(modern, 'HorizontalPodAutoscaler', '-worker').apiVersion).toBe('autoscaling/v2');
  });
});
