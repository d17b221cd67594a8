import type { BenchSession } from './phases.ts';

/*
 * P7: does a blackholed cluster (kube-sim's `hang` fault: it accepts the connection and never
 * answers) slow the rest of the fleet down? The same change of every bundle is timed twice:
 * with every cluster answering, then with `hanging` of them silent, until the others are all
 * Ready. The ratio is the figure (goal <= 1.2x); the silent ones must end up Offline.
 */

/** Spread through the fleet (every 20th cluster, from the 8th), as they would be in real life. */
export function hangingClusterNames(names: readonly string[], count: number): string[] {
  const step = Math.max(1, Math.floor(names.length / Math.max(1, count)));
  const chosen: string[] = [];
  for (
    let index = Math.min(7, step - 1);
    index < names.length && chosen.length < count;
    index += step
  )
    chosen.push(names[index]!);
  return chosen;
}

export async function measureSlowClusters(
  session: BenchSession,
  {
    hanging,
    sync,
    waitUntil,
  }: {
    hanging: number;
    sync: () => Promise<void>;
    waitUntil: (
      what: string,
      probe: () => Promise<{ isDone: boolean; status: string }>,
    ) => Promise<number>;
  },
): Promise<void> {
  const { clusters, bundles, fleetDb, repo, sim } = session;
  const everything = clusters * bundles;
  const silent = hangingClusterNames(
    sim.clusters.map((cluster) => cluster.name),
    hanging,
  );
  const answering = (clusters - silent.length) * bundles;
  let allAnswering: number | null = null;
  let withHanging: number | null = null;

  await session.measure('P7 all clusters answering', async (details) => {
    const commit = await repo.changeBundles('p7-answering');
    await sync();
    allAnswering = await waitUntil(`all ${everything} deployments Ready`, async () => {
      const progress = await fleetDb.progress(commit);
      return {
        isDone: progress.ready >= everything,
        status: `${progress.ready}/${everything} Ready`,
      };
    });
    details.readySeconds = allAnswering;
  });

  await session.measure(`P7 ${silent.length} clusters hanging`, async (details) => {
    await sim.setFault(silent, { hang: true });
    const commit = await repo.changeBundles('p7-hanging');
    await sync();
    withHanging = await waitUntil(`${answering} deployments Ready`, async () => {
      const progress = await fleetDb.progress(commit);
      return {
        isDone: progress.ready >= answering,
        status: `${progress.ready}/${answering} Ready on the answering clusters`,
      };
    });
    details.readySeconds = withHanging;
    details.hanging = silent;
    details.offlineSeconds =
      withHanging +
      (await waitUntil(`${silent.length * bundles} deployments Offline`, async () => {
        const offline = await fleetDb.offlineDeployments();
        return {
          isDone: offline >= silent.length * bundles,
          status: `${offline}/${silent.length * bundles} Offline on the hanging clusters`,
        };
      }));
  });
  await sim.setFault(silent, {});

  const ratio =
    allAnswering !== null && withHanging !== null && allAnswering > 0
      ? (withHanging as number) / allAnswering
      : null;
  session.results.figures.push(
    {
      id: 'P7 answering',
      what: `commit changing ${bundles} bundles -> all ${clusters} clusters Ready`,
      value: allAnswering,
      unit: 's',
      target: '',
      isMet: null,
    },
    {
      id: 'P7 hanging',
      what: `the same with ${silent.length} clusters hanging -> the other ${clusters - silent.length} Ready`,
      value: withHanging,
      unit: 's',
      target: '',
      isMet: null,
    },
    {
      id: 'P7',
      what: 'hanging / answering',
      value: ratio,
      unit: 'x',
      target: '<= 1.2',
      isMet: ratio === null ? false : ratio <= 1.2,
      note: `${silent.length} of ${clusters} clusters accept connections and never answer (kube-sim hang)`,
    },
  );
}
