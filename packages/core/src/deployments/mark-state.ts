import { writeDeploymentStates, type BundleDeployment } from '@flotilla/db';
import { recordStateChanges } from '../events/record-events.ts';
import type { WorkerContext } from '../worker-context.ts';
import { batched, perContext } from './batching.ts';

type Marked = Pick<
  BundleDeployment,
  'id' | 'workspaceId' | 'bundleId' | 'clusterId' | 'state' | 'message'
>;

interface Mark {
  deployment: Marked;
  state: BundleDeployment['state'];
  message: string;
  at: Date;
}

/**
 * A deploy's first write (WaitApplied, "deploying"), batched across the deploy jobs of this
 * worker like their reads and final writes: one UPDATE ... FROM unnest for the rows and one
 * insert for their StateChanged events, instead of a Prisma update and an event per job.
 */
const stateWriter = perContext((ctx: WorkerContext) =>
  batched(async (marks: readonly Mark[]) => {
    await writeDeploymentStates(
      ctx.db,
      marks.map((mark) => ({
        id: mark.deployment.id,
        state: mark.state,
        message: mark.message,
        stateChangedAt: mark.at,
      })),
    );
    await recordStateChanges({
      ctx,
      changes: marks.flatMap(({ deployment, state, message }) =>
        deployment.state === state
          ? []
          : [
              {
                workspaceId: deployment.workspaceId,
                deploymentId: deployment.id,
                bundleId: deployment.bundleId,
                clusterId: deployment.clusterId,
                fromState: deployment.state,
                toState: state,
                message,
              },
            ],
      ),
    });
    return marks.map(() => undefined);
  }),
);

const pending = new WeakMap<Marked, Promise<void>>();

/**
 * Sets a deployment's state and message (and records the change) through the batch, without
 * waiting: `deployment` is updated in place at once, and the cluster requests may go out while
 * the row is being written. Any later write of the same row awaits `stateWritten` first.
 */
export function markState(
  ctx: WorkerContext,
  deployment: Marked,
  state: BundleDeployment['state'],
  message: string,
): void {
  if (deployment.state === state && deployment.message === message) return;
  const written = stateWriter(ctx)({
    deployment: { ...deployment },
    state,
    message,
    at: ctx.now(),
  });
  // Handled here so a deploy that throws before awaiting it does not crash the process; whoever
  // awaits stateWritten still sees the failure.
  written.catch(() => undefined);
  pending.set(deployment, written);
  deployment.state = state;
  deployment.message = message;
}

/** Settles when the state markState set for this deployment is written (rejects if it failed). */
export async function stateWritten(deployment: Marked): Promise<void> {
  const written = pending.get(deployment);
  if (!written) return;
  pending.delete(deployment);
  await written;
}
