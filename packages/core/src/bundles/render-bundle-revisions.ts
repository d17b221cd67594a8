import type { Prisma } from '@flotilla/db';
import { isEngineError, loadBundleOptions, renderBundle, revisionHash, type BundleOptions, type TargetCustomization } from '@flotilla/engine';
import { isGitError, isRepoTreeError } from '@flotilla/git';
import { publishUpdates, recordActionEvent } from '../events/record-events.ts';
import { countRender } from '../metrics/counters.ts';
import type { WorkerContext } from '../worker-context.ts';

export interface RenderOutcome {
  rendered: number;
  reused: number;
  error?: string;
}

/** The customizations a commit renders: the bundle's defaults ("") and each named one. */
export function customizationsOf(options: BundleOptions): { name: string; customization?: TargetCustomization }[] {
  const named = options.targetCustomizations
    .map((customization, index) => ({ name: customizationName(customization, index), customization }))
    .filter(({ customization }) => !customization.doNotDeploy);
  return [{ name: '' }, ...named];
}

/** How a customization is keyed in BundleRender: its name, or its position when unnamed. */
export function customizationName(customization: TargetCustomization, index: number): string {
  return customization.name || `#${index}`;
}

/**
 * Renders one bundle at one commit, once per customization, into content-addressed revisions
 * stored once however many clusters share them. An input already rendered (same bundle,
 * commit, customization) is not rendered again. A failure leaves the bundle on its last good
 * commit, which keeps deploying, and says what failed.
 */
export async function renderBundleRevisions({
  ctx,
  bundleId,
  commit,
}: {
  ctx: WorkerContext;
  bundleId: string;
  commit: string;
}): Promise<RenderOutcome> {
  const bundle = await ctx.db.bundle.findUnique({ where: { id: bundleId }, include: { gitRepo: true } });
  // A newer commit supersedes this job; the repository's latest is what matters.
  if (!bundle || !bundle.isPresent || bundle.gitRepo.commit !== commit) return { rendered: 0, reused: 0 };
  let options: BundleOptions;
  const rendered: { name: string; hash: string }[] = [];
  let reused = 0;
  try {
    const tree = await ctx.git.readFiles({ repoId: bundle.gitRepoId, commit, limits: { maxTotalBytes: 200 * 1024 * 1024 } });
    const prefix = bundle.path === '' ? '' : `${bundle.path}/`;
    const refused = tree.refused.find((entry) => entry.path === bundle.path || entry.path.startsWith(prefix) || prefix === '');
    if (refused) throw new Error(`${refused.path}: ${refused.reason}`);
    options = loadBundleOptions(tree.files, bundle.path);
    const done = await ctx.db.bundleRender.findMany({ where: { bundleId, commit } });
    const doneByName = new Map(done.map((render) => [render.customization, render.revisionHash]));
    for (const { name, customization } of customizationsOf(options)) {
      const existing = doneByName.get(name);
      if (existing) {
        reused += 1;
        rendered.push({ name, hash: existing });
        continue;
      }
      const result = renderBundle({
        files: tree.files,
        bundlePath: bundle.path,
        options,
        customization,
        limits: { maxBytes: ctx.settings.maxBundleBytes },
      });
      await countRender(ctx.redis);
      const hash = revisionHash(result);
      await ctx.db.bundleRevision.upsert({
        where: { workspaceId_hash: { workspaceId: bundle.workspaceId, hash } },
        create: {
          workspaceId: bundle.workspaceId,
          hash,
          objects: result.objects as unknown as Prisma.InputJsonValue,
          deployOptions: result.deployOptions as unknown as Prisma.InputJsonValue,
          resourceCount: result.objects.length,
        },
        update: {},
      });
      await ctx.db.bundleRender.upsert({
        where: { bundleId_commit_customization: { bundleId, commit, customization: name } },
        create: { bundleId, commit, customization: name, revisionHash: hash },
        update: {},
      });
      rendered.push({ name, hash });
    }
  } catch (error) {
    const where = error instanceof Error && 'where' in error && typeof error.where === 'string' ? ` (${error.where})` : '';
    if (isEngineError(error) || isGitError(error) || isRepoTreeError(error) || error instanceof Error) {
      const message = `commit ${commit.slice(0, 12)}: ${error.message}${where}`;
      ctx.logger.warn({ bundle: bundle.name, bundleId, err: message }, 'render failed');
      await ctx.db.bundle.update({ where: { id: bundleId }, data: { renderError: message, failedCommit: commit } });
      await recordActionEvent({ ctx, event: { workspaceId: bundle.workspaceId, type: 'RenderFailed', bundleId, message: `${bundle.name}: ${message}` } });
      await publishUpdates(ctx, bundle.workspaceId, [{ type: 'bundle', bundleId }]);
      return { rendered: 0, reused: 0, error: message };
    }
    throw error;
  }
  await ctx.db.bundle.update({
    where: { id: bundleId },
    data: {
      commit,
      options: options as unknown as Prisma.InputJsonValue,
      renderError: '',
      failedCommit: null,
    },
  });
  await publishUpdates(ctx, bundle.workspaceId, [{ type: 'bundle', bundleId }]);
  await ctx.queues.enqueuePlan({ bundleId });
  return { rendered: rendered.length - reused, reused };
}
