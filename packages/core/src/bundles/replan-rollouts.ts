import { readBundleSettings } from '@flotilla/db';
import type { CoreContext } from '../context.ts';
import { bundleOptionsOf } from './bundle-options-column.ts';

/**
 * A deployment of a bundle with a rolloutStrategy turned Ready or failed: the bundle is planned
 * now, so the next clusters of its rollout are released (or a halt is recorded) without waiting
 * for the periodic pass. One query over the changed bundles.
 */
export async function replanRollouts({
  ctx,
  changes,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues'>;
  changes: readonly { bundleId: string; toState: string }[];
}): Promise<void> {
  const bundleIds = [
    ...new Set(
      changes
        .filter((change) => change.toState === 'Ready' || change.toState === 'ErrApplied')
        .map((change) => change.bundleId),
    ),
  ];
  if (bundleIds.length === 0) return;
  const bundles = await readBundleSettings(ctx.db, bundleIds);
  const plans = bundles
    .filter((bundle) => bundleOptionsOf(bundle.options).rolloutStrategy !== undefined)
    .map((bundle) => ({ bundleId: bundle.id }));
  if (plans.length > 0) await ctx.queues.enqueuePlans(plans);
}
