import { readBundlesWithDependsOn } from '@flotilla/db';
import { resolveDependencies, type BundleOptions } from '@flotilla/engine';
import type { CoreContext } from '../context.ts';
import { bundleOptionsOf } from './bundle-options-column.ts';
import { loadDependencyBundles } from './load-dependencies.ts';

/**
 * A deployment turned Ready: the bundles whose dependsOn names its bundle are planned now, so a
 * deployment waiting for it on that cluster deploys without waiting for a periodic pass. Reads
 * one indexed query per workspace when no bundle there has dependsOn.
 */
export async function replanDependents({
  ctx,
  changes,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues'>;
  changes: readonly { workspaceId: string; bundleId: string; toState: string }[];
}): Promise<void> {
  const readyByWorkspace = new Map<string, Set<string>>();
  for (const change of changes) {
    if (change.toState !== 'Ready') continue;
    const ready = readyByWorkspace.get(change.workspaceId) ?? new Set<string>();
    ready.add(change.bundleId);
    readyByWorkspace.set(change.workspaceId, ready);
  }
  const plans: { bundleId: string }[] = [];
  for (const [workspaceId, ready] of readyByWorkspace) {
    const candidates = await readBundlesWithDependsOn(ctx.db, workspaceId);
    if (!candidates.some((bundle) => bundleOptionsOf(bundle.options).dependsOn.length > 0))
      continue;
    const all = await loadDependencyBundles(ctx, workspaceId);
    for (const bundle of all) {
      if (bundle.dependsOn.length === 0) continue;
      const { dependencies } = resolveDependencies(bundle.id, all);
      if (dependencies.some((dependency) => ready.has(dependency.id)))
        plans.push({ bundleId: bundle.id });
    }
  }
  if (plans.length > 0) await ctx.queues.enqueuePlans(plans);
}

/** Whether what dependsOn resolution reads of a bundle (name, labels, dependsOn) changed. */
export function dependencyFactsChanged(before: BundleOptions, after: BundleOptions): boolean {
  const facts = (options: BundleOptions) =>
    JSON.stringify([options.name ?? null, options.labels, options.dependsOn]);
  return facts(before) !== facts(after);
}

/**
 * A bundle's name, labels or dependsOn changed (a new commit rendered): the bundles of the
 * workspace that have dependsOn are planned again, since what they wait for, or a cycle through
 * them, may have changed with it. Planning changes no bundle's options, so this never loops.
 */
export async function replanBundlesWithDependsOn({
  ctx,
  workspaceId,
  exceptId,
}: {
  ctx: Pick<CoreContext, 'db' | 'queues'>;
  workspaceId: string;
  exceptId: string;
}): Promise<void> {
  const candidates = await readBundlesWithDependsOn(ctx.db, workspaceId, {
    presentOnly: true,
    exceptId,
  });
  const plans = candidates
    .filter((bundle) => bundleOptionsOf(bundle.options).dependsOn.length > 0)
    .map((bundle) => ({ bundleId: bundle.id }));
  if (plans.length > 0) await ctx.queues.enqueuePlans(plans);
}
