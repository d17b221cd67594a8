import {
  writeDeploymentStatusesAt,
  type BundleDeployment,
  type Cluster,
  type DeploymentStatusRow,
} from '@flotilla/db';
import { identityOfObject, objectIdentity, type KubeObject } from '@flotilla/engine';
import { getLive, type ClusterClient } from '@flotilla/kube';
import { recordStateChanges, type StateChange } from '../events/record-events.ts';
import type { WorkerContext } from '../worker-context.ts';
import { batched, perContext } from './batching.ts';
import { assessApplied, type BundleFacts } from './assess-applied.ts';
import { storedResources } from './resources.ts';
import type { Revision } from './revision-cache.ts';
import { isSettledRow, rememberSettled, settledBundleKey } from './settled-memory.ts';

/*
 * An apply that leaves objects rolling out (a Deployment not Available yet) is looked at again
 * by the worker that made it: one second later, then 2, 4, 8 ... seconds apart, until the
 * deployment is Ready or the gap reaches the monitor interval, where the regular monitor pass
 * takes over. Only the objects still rolling out are read again (one GET each), and nothing is
 * read from Postgres or queued: a commit reaching a thousand clusters turns Ready within about
 * a second of its last apply for a thousand small reads, not after a whole monitor interval.
 * Best effort by design: a worker that stops forgets its checks, and the next monitor pass
 * finds the state all the same.
 */

const FIRST_CHECK_MS = 1000;
/** Bounds the memory of a worker applying faster than rollouts finish; the rest waits for the monitor. */
const MAX_TRACKED = 20_000;

export interface TrackedRollout {
  /** The deployment as written after the apply (applied revision, state). */
  deployment: BundleDeployment;
  cluster: Cluster;
  client: ClusterClient;
  revision: Revision;
  bundle: BundleFacts;
  /** What the apply answered for each object. */
  live: readonly KubeObject[];
  /** The check that found it still rolling out. */
  status: DeploymentStatusRow;
}

interface Entry extends TrackedRollout {
  checks: number;
}

const statusWriter = perContext((ctx: WorkerContext) =>
  batched(
    async (
      writes: readonly {
        row: DeploymentStatusRow & { appliedHash: string };
        change?: StateChange;
      }[],
    ) => {
      const written = new Set(
        await writeDeploymentStatusesAt(
          ctx.db,
          writes.map((write) => write.row),
        ),
      );
      await recordStateChanges({
        ctx,
        changes: writes.flatMap((write) =>
          write.change && written.has(write.row.id) ? [write.change] : [],
        ),
      });
      return writes.map((write) => written.has(write.row.id));
    },
  ),
);

export class RolloutTracker {
  readonly #tracked = new Map<string, Entry>();

  constructor(private readonly ctx: WorkerContext) {}

  get size(): number {
    return this.#tracked.size;
  }

  /** Looks at the rollout again soon; a newer apply of the same deployment replaces it. */
  track(rollout: TrackedRollout): void {
    const isReplacing = this.#tracked.has(rollout.deployment.id);
    if (!isReplacing && this.#tracked.size >= MAX_TRACKED) return;
    const entry: Entry = { ...rollout, checks: 0 };
    this.#tracked.set(rollout.deployment.id, entry);
    this.#schedule(entry);
  }

  #schedule(entry: Entry): void {
    const delay = FIRST_CHECK_MS * 2 ** entry.checks;
    if (delay >= this.ctx.settings.monitorIntervalMs) {
      this.#forget(entry);
      return;
    }
    // unref: pending checks never keep a stopping worker alive.
    setTimeout(() => {
      this.#check(entry).catch((error: unknown) => {
        this.#forget(entry);
        this.ctx.logger.debug(
          { deploymentId: entry.deployment.id, err: (error as Error).message },
          'rollout check failed; the monitor will look',
        );
      });
    }, delay).unref();
  }

  #forget(entry: Entry): void {
    if (this.#tracked.get(entry.deployment.id) === entry) this.#tracked.delete(entry.deployment.id);
  }

  async #check(entry: Entry): Promise<void> {
    if (this.#tracked.get(entry.deployment.id) !== entry) return;
    const rollingOut = new Set(
      storedResources(entry.status.resources)
        .filter((resource) => resource.health !== 'Healthy')
        .map((resource) => objectIdentity(resource)),
    );
    const live = await Promise.all(
      entry.live.map(async (object) => {
        if (!rollingOut.has(identityOfObject(object))) return object;
        return getLive(entry.client, {
          apiVersion: object.apiVersion,
          kind: object.kind,
          namespace: object.metadata.namespace,
          name: object.metadata.name,
        });
      }),
    );
    if (this.#tracked.get(entry.deployment.id) !== entry) return;
    const assessment = assessApplied({
      cluster: entry.cluster,
      deployments: [entry.deployment],
      revisions: new Map([[entry.revision.hash, entry.revision]]),
      bundles: [entry.bundle],
      live: {
        objects: live.filter((object): object is KubeObject => object !== undefined),
        errors: [],
      },
      now: this.ctx.now(),
    });
    const row = assessment.rows[0];
    if (!row) return this.#forget(entry);
    let isCurrent = true;
    if (row.state !== entry.deployment.state || row.message !== entry.deployment.message) {
      const change = assessment.changes[0];
      isCurrent = await statusWriter(this.ctx)({
        row: { ...row, appliedHash: entry.revision.hash },
        ...(change ? { change } : {}),
      });
      entry.deployment = { ...entry.deployment, state: row.state, message: row.message };
    }
    entry.status = row;
    entry.live = live.filter((object): object is KubeObject => object !== undefined);
    entry.checks += 1;
    if (assessment.unsettled > 0) return this.#schedule(entry);
    this.#forget(entry);
    // Ready as written: the next monitor pass need not assess it again (settled-memory).
    if (isCurrent && isSettledRow(row) && assessment.toCorrect.length === 0) {
      rememberSettled(
        this.ctx,
        {
          deployment: entry.deployment,
          bundleKey: settledBundleKey(entry.bundle),
          live: entry.live,
        },
        row,
      );
    }
  }
}

/** The worker's tracker (one per process). */
export const rolloutTracker = perContext((ctx: WorkerContext) => new RolloutTracker(ctx));
