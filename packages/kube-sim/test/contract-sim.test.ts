import { readFileSync } from 'node:fs';
import { testPki } from '@flotilla/testkit';
import { startKubeSim } from '../src/index.ts';
import { defineKubeContract } from './contract/define-kube-contract.ts';

defineKubeContract('Kubernetes API contract: kube-sim', async () => {
  const pki = testPki();
  const sim = await startKubeSim({
    clusters: 1,
    tls: {
      cert: readFileSync(pki.serverCertFile),
      key: readFileSync(pki.serverKeyFile),
      ca: readFileSync(pki.caCertFile),
    },
    deploymentReadyDelayMs: 200,
  });
  return {
    clusters: sim.clusters.map((cluster) => ({ ...cluster, caData: cluster.caData ?? '' })),
    // The simulated deployment controller makes it Available on its own.
    markAvailable: async () => {},
    teardown: () => sim.stop(),
  };
});
