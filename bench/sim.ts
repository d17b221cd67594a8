import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, testPki } from '@flotilla/testkit';
import type { SimFault } from '@flotilla/kube-sim';
import type {
  SimClusterAddress,
  SimHostMessage,
  SimHostRequest,
  SimTotals,
} from './sim-protocol.ts';

export interface BenchSim {
  pid: number;
  clusters: SimClusterAddress[];
  /** Requests received by all clusters so far (mutating = writes that were not dry runs). */
  totals: () => Promise<SimTotals>;
  /** Sets the fault of the named clusters ({} clears it), e.g. `{ hang: true }`. */
  setFault: (names: readonly string[], fault: SimFault) => Promise<void>;
  stop: () => Promise<void>;
}

const HOST = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sim-host.ts');

/** N simulated clusters over HTTPS (the testkit's CA), in a process of their own. */
export async function startBenchSim({
  clusters,
  readyDelayMs,
}: {
  clusters: number;
  readyDelayMs: number;
}): Promise<BenchSim> {
  const pki = testPki();
  const child: ChildProcess = fork(
    HOST,
    [
      '--clusters',
      String(clusters),
      '--tls-cert',
      pki.serverCertFile,
      '--tls-key',
      pki.serverKeyFile,
      '--tls-ca',
      pki.caCertFile,
      '--ready-delay-ms',
      String(readyDelayMs),
    ],
    {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx', '--max-old-space-size=6144'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const pending = new Map<number, (totals: SimTotals) => void>();
  const faulted = new Map<number, () => void>();
  let nextId = 1;
  const ready = new Promise<SimClusterAddress[]>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`kube-sim exited (${code}) before it was ready`)),
    );
    child.on('message', (message: SimHostMessage) => {
      if (message.type === 'ready') resolve(message.clusters);
      else if (message.type === 'faulted') faulted.get(message.id)?.();
      else pending.get(message.id)?.(message.totals);
    });
  });
  const request = (message: SimHostRequest) => child.send(message);
  const addresses = await ready;
  return {
    pid: child.pid!,
    clusters: addresses,
    totals: () =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, (totals) => {
          pending.delete(id);
          resolve(totals);
        });
        request({ type: 'counters', id });
      }),
    setFault: (names, fault) =>
      new Promise((resolve) => {
        const id = nextId++;
        faulted.set(id, () => {
          faulted.delete(id);
          resolve();
        });
        request({ type: 'fault', id, names: [...names], fault });
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      request({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
