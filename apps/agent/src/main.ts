import { createLogger, loadAgentConfig } from '@flotilla/config';
import { createClusterClient } from '@flotilla/kube';
import { Agent } from './agent.ts';
import { loadClusterConnection } from './cluster-connection.ts';
import { fileCredentialStore, secretCredentialStore } from './credential-store.ts';
import { FlotillaApi } from './flotilla-api.ts';

export const AGENT_VERSION = '0.1.0';

/**
 * flotilla-agent: runs in the cluster it manages and connects outbound only, to Flotilla.
 * Registers with its one-time token when it has no credential yet, then pulls desired state,
 * applies, prunes, and reports (docs/AGENT.md).
 */
async function main(): Promise<void> {
  const env = loadAgentConfig();
  const logger = createLogger({
    name: 'agent',
    level: env.FLOTILLA_LOG_LEVEL,
    format: env.FLOTILLA_LOG_FORMAT,
  });
  const connection = await loadClusterConnection({
    kubeconfigPath: env.KUBECONFIG,
    serviceHost: env.KUBERNETES_SERVICE_HOST,
    servicePort: env.KUBERNETES_SERVICE_PORT,
  });
  const client = createClusterClient(connection);
  const store =
    env.FLOTILLA_AGENT_SECRET && env.FLOTILLA_AGENT_NAMESPACE
      ? secretCredentialStore(client, {
          namespace: env.FLOTILLA_AGENT_NAMESPACE,
          name: env.FLOTILLA_AGENT_SECRET,
        })
      : fileCredentialStore(env.FLOTILLA_AGENT_CREDENTIAL_FILE!);
  const secrets = await store.load();
  const url = secrets.url ?? env.FLOTILLA_URL;
  if (!url)
    throw new Error(`no Flotilla URL: set FLOTILLA_URL or "url" in the ${store.describe()}`);
  const api = new FlotillaApi(url, AGENT_VERSION);
  let credential = secrets.credential;
  if (!credential) {
    const token = secrets.registrationToken ?? env.FLOTILLA_AGENT_TOKEN;
    if (!token)
      throw new Error(`no credential and no registration token in the ${store.describe()}`);
    const registered = await api.register(token);
    await store.saveCredential(registered.credential);
    credential = registered.credential;
    logger.info(
      { clusterId: registered.clusterId, store: store.describe() },
      'registered with Flotilla',
    );
  }
  api.setCredential(credential);
  const agent = new Agent(
    api,
    client,
    {
      heartbeatSeconds: env.FLOTILLA_AGENT_HEARTBEAT_SECONDS,
      pollWaitSeconds: env.FLOTILLA_AGENT_POLL_WAIT_SECONDS,
      resyncSeconds: env.FLOTILLA_AGENT_RESYNC_SECONDS,
      rotateSeconds: env.FLOTILLA_AGENT_ROTATE_SECONDS,
    },
    logger,
    (next) => store.saveCredential(next),
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      logger.info({ signal }, 'stopping');
      agent.stop();
    });
  logger.info({ url, cluster: connection.apiServerUrl, version: AGENT_VERSION }, 'agent started');
  await agent.run();
  client.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`flotilla-agent: ${(error as Error).message}\n`);
  process.exit(1);
});
