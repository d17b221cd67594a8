import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createBareRepo,
  kubeConfigFor,
  markDeploymentAvailable,
  startPlatform,
  startProcess,
  startTestClusters,
  type BareRepo,
  type ManagedProcess,
  type Platform,
  type TestClusters,
} from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

const web = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop-apps
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

/**
 * An agent with a real agent's resync period (5 minutes here, longer than the test may take):
 * a Deployment that becomes Available after the apply shows Ready without waiting for that
 * resync, because the agent looks again soon at resources still progressing.
 */
describe('agent: Ready when the rollout finishes, not at the next resync', () => {
  let envtest: TestClusters;
  let platform: Platform;
  let repo: BareRepo;
  let workDir: string;
  let agent: ManagedProcess | undefined;
  let clusterId: string;

  const state = async () => {
    const response = await platform.api(`/api/v1/clusters/${clusterId}/deployments`);
    const { items } = (await response.json()) as { items: { state: string; message: string }[] };
    return items[0];
  };

  beforeAll(async () => {
    [envtest, platform] = await Promise.all([
      startTestClusters(1, { names: ['shop'] }),
      startPlatform({ env: { FLOTILLA_TICK_SECONDS: '1', FLOTILLA_SWEEP_INTERVAL_SECONDS: '2' } }),
    ]);
    workDir = await mkdtemp(path.join(tmpdir(), 'flotilla-agent-settle-'));
    await writeFile(
      path.join(workDir, 'kubeconfig'),
      kubeConfigFor(envtest.clusters[0]!).exportConfig(),
      { mode: 0o600 },
    );
    repo = await createBareRepo({
      'bundles/web/fleet.yaml': 'defaultNamespace: shop-apps\n',
      'bundles/web/web.yaml': web,
    });
    const registered = (await (
      await platform.api('/api/v1/clusters', {
        json: { connectionKind: 'agent', name: 'shop', labels: { site: 'shop' } },
      })
    ).json()) as { id: string; registration: { token: string } };
    clusterId = registered.id;
    await platform.api('/api/v1/gitrepos', {
      json: {
        name: 'shop-apps',
        url: repo.url,
        paths: ['bundles'],
        targets: [{ clusterSelector: 'site=shop' }],
      },
    });
    agent = startProcess(process.execPath, ['--import', 'tsx', 'apps/agent/src/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        FLOTILLA_URL: platform.url,
        FLOTILLA_AGENT_TOKEN: registered.registration.token,
        FLOTILLA_AGENT_CREDENTIAL_FILE: path.join(workDir, 'credential.json'),
        KUBECONFIG: path.join(workDir, 'kubeconfig'),
        FLOTILLA_AGENT_HEARTBEAT_SECONDS: '5',
        FLOTILLA_AGENT_POLL_WAIT_SECONDS: '30',
        FLOTILLA_AGENT_RESYNC_SECONDS: '300',
        FLOTILLA_LOG_FORMAT: 'json',
      },
    });
  });

  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await platform?.stop();
    await envtest?.stopAll();
    await repo?.remove();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('shows NotReady while the Deployment rolls out, then Ready once it is Available', async () => {
    await vi.waitFor(
      async () => {
        const deployment = await state();
        if (deployment?.state !== 'NotReady')
          throw new Error(`${deployment?.state} ${deployment?.message}\n${agent?.output()}`);
      },
      { timeout: 60_000, interval: 300 },
    );
    // Let the passes that follow the first report (its own write changes the desired state's
    // ETag) go by: from here on, nothing but the agent's looks at a rollout in progress would
    // make it read the cluster again before the resync.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await markDeploymentAvailable(envtest.clusters[0]!, 'shop-apps', 'web');

    // Well within the 300 s resync: only the agent's own second look can bring this.
    await vi.waitFor(async () => expect((await state())?.state).toBe('Ready'), {
      timeout: 60_000,
      interval: 300,
    });
  });
});
