import { forWorkspace } from '@flotilla/db';
import { z } from 'zod';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { setBundlePaused } from '../bundles/set-bundle-paused.ts';
import type { CoreContext } from '../context.ts';
import { correctDeploymentsDrift } from '../deployments/correct-deployment-drift.ts';
import { retryDeploymentsApply } from '../deployments/retry-deployment-apply.ts';
import { AppError } from '../errors.ts';

/** A whole column of the matrix at 1,000 clusters fits; more is split by the caller. */
export const FLEET_ACTION_MAX_ITEMS = 1000;
/** Items handled side by side: enough to finish 1,000 in seconds, few enough to share the pool. */
const CONCURRENCY = 8;

const cellRef = z.object({
  bundleId: z.string().min(1, 'a bundle id is required').max(200),
  clusterId: z.string().min(1, 'a cluster id is required').max(200),
});

export const fleetActionInput = z.discriminatedUnion(
  'action',
  [
    z.object({
      action: z.enum(['correct-drift', 'retry']),
      deployments: z
        .array(cellRef)
        .min(1, 'choose at least one deployment')
        .max(FLEET_ACTION_MAX_ITEMS, `at most ${FLEET_ACTION_MAX_ITEMS} deployments at a time`),
    }),
    z.object({
      action: z.enum(['pause', 'resume']),
      bundleIds: z
        .array(z.string().min(1, 'a bundle id is required').max(200))
        .min(1, 'choose at least one bundle')
        .max(FLEET_ACTION_MAX_ITEMS, `at most ${FLEET_ACTION_MAX_ITEMS} bundles at a time`),
    }),
  ],
  { error: 'action must be one of correct-drift, retry, pause, resume' },
);
export type FleetActionInput = z.infer<typeof fleetActionInput>;
export type FleetAction = FleetActionInput['action'];

/** One line per item asked for, in the order asked: done, or why not (never a stack). */
export type FleetActionItemResult = { bundleId: string; clusterId?: string } & (
  | { isDone: true; deploymentId?: string }
  | { isDone: false; error: { code: string; message: string } }
);

export interface FleetActionResult {
  action: FleetAction;
  requested: number;
  done: number;
  failed: number;
  items: FleetActionItemResult[];
}

/** Runs `work` over `items`, `limit` at a time, keeping their order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  // An unexpected error's text may say more than a caller should read; the log has it.
  return { code: 'Internal', message: 'this item could not be handled; see the server log' };
}

/**
 * `POST /api/v1/fleet/actions`: one action over many deployments (correct drift, retry a failed
 * apply) or bundles (pause, resume), as the overview's bulk actions send it. Each item goes
 * through the same checks as its single-item endpoint and gets its own audit row and event
 * (deployments in one batch; bundles a few at a time); one item failing never stops the
 * others, and the answer says, per item, done or why not. One more audit row records the
 * request as a whole.
 */
export async function runFleetAction({
  ctx,
  principal,
  origin,
  input,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
  input: FleetActionInput;
}): Promise<FleetActionResult> {
  const items = await runItems({ ctx, principal, origin, input });
  const done = items.filter((item) => item.isDone).length;
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action: `fleet.${input.action}`,
      objectType: input.action === 'pause' || input.action === 'resume' ? 'bundle' : 'deployment',
      details: { requested: items.length, done, failed: items.length - done },
    },
  });
  return {
    action: input.action,
    requested: items.length,
    done,
    failed: items.length - done,
    items,
  };
}

async function runItems({
  ctx,
  principal,
  origin,
  input,
}: {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin | undefined;
  input: FleetActionInput;
}): Promise<FleetActionItemResult[]> {
  const common = { ctx, principal, ...(origin ? { origin } : {}) };
  if ('bundleIds' in input) {
    const isPaused = input.action === 'pause';
    return mapLimited([...new Set(input.bundleIds)], CONCURRENCY, async (bundleId) => {
      try {
        await setBundlePaused({ ...common, bundleId, isPaused });
        return { bundleId, isDone: true as const };
      } catch (error) {
        logUnexpected(ctx, error);
        return { bundleId, isDone: false as const, error: failureOf(error) };
      }
    });
  }
  // One query finds every deployment asked for; a pair this workspace does not have is
  // "not found" like any other id of another workspace.
  const pairs = uniquePairs(input.deployments);
  const rows = await forWorkspace(ctx.db, principal.workspaceId).bundleDeployment.findMany({
    where: {
      isOrphaned: false,
      OR: pairs.map((pair) => ({ bundleId: pair.bundleId, clusterId: pair.clusterId })),
    },
    select: { id: true, bundleId: true, clusterId: true },
  });
  const idOf = new Map(rows.map((row) => [`${row.clusterId}/${row.bundleId}`, row.id]));
  const ids = pairs.flatMap((pair) => idOf.get(`${pair.clusterId}/${pair.bundleId}`) ?? []);
  // Batched: one read, one enqueue, one insert of audit rows and events for all of them (each
  // item still checked on its own); 1,000 items one by one took seconds.
  const outcomes =
    input.action === 'correct-drift'
      ? await correctDeploymentsDrift({ ...common, deploymentIds: ids })
      : await retryDeploymentsApply({ ...common, deploymentIds: ids });
  const outcomeOf = new Map(outcomes.map((outcome) => [outcome.deploymentId, outcome]));
  return pairs.map((pair): FleetActionItemResult => {
    const deploymentId = idOf.get(`${pair.clusterId}/${pair.bundleId}`);
    const outcome = deploymentId ? outcomeOf.get(deploymentId) : undefined;
    if (!deploymentId || !outcome)
      return { ...pair, isDone: false, error: failureOf(AppError.notFound('deployment')) };
    if ('error' in outcome) return { ...pair, isDone: false, error: failureOf(outcome.error) };
    return { ...pair, isDone: true, deploymentId };
  });
}

function uniquePairs(pairs: readonly { bundleId: string; clusterId: string }[]) {
  const seen = new Map<string, { bundleId: string; clusterId: string }>();
  for (const pair of pairs) seen.set(`${pair.clusterId}/${pair.bundleId}`, pair);
  return [...seen.values()];
}

function logUnexpected(ctx: CoreContext, error: unknown) {
  if (error instanceof AppError) return;
  ctx.logger.error({ err: (error as Error).message }, 'a fleet action item failed');
}
