import type { Prisma } from '@flotilla/db';
import {
  customizationName,
  isEngineError,
  loadBundleOptions,
  renderBundle,
  revisionHash,
  type BundleOptions,
  type RepoFiles,
  type TargetCustomization,
} from '@flotilla/engine';
import { isGitError, isRepoTreeError } from '@flotilla/git';
import { publishUpdates, recordActionEvent } from '../events/record-events.ts';
import { countRender } from '../metrics/counters.ts';
import { loadCopyChart, type FetchedCharts } from './load-bundle-charts.ts';
import type { WorkerContext } from '../worker-context.ts';

export interface RenderOutcome {
  rendered: number;
  reused: number;
  failed: number;
  error?: string;
}

/** The customizations a commit renders: the bundle's defaults ("") and each named one. */
export function customizationsOf(
  options: BundleOptions,
): { name: string; customization?: TargetCustomization }[] {
  const named = options.targetCustomizations
    .map((customization, index) => ({
      name: customizationName(customization, index),
      customization,
    }))
    .filter(({ customization }) => !customization.doNotDeploy);
  return [{ name: '' }, ...named];
}

function describe(error: unknown): string {
  const where =
    error instanceof Error && 'where' in error && typeof error.where === 'string' && error.where
      ? ` (${error.where})`
      : '';
  return `${error instanceof Error ? error.message : String(error)}${where}`;
}

interface Rendered {
  name: string;
  hash?: string;
  error?: string;
  isReused: boolean;
}

/**
 * Renders one bundle at one commit, once per customization, into content-addressed revisions
 * stored once however many clusters share them. An input already rendered (same bundle,
 * commit, customization) is not rendered again. Each customization stands alone: one that
 * fails (a kustomize dir only some clusters use, say) is recorded with its error, and only the
 * clusters that need it are held back. When nothing renders, the bundle stays on its last good
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
  const bundle = await ctx.db.bundle.findUnique({
    where: { id: bundleId },
    include: { gitRepo: true },
  });
  // A newer commit supersedes this job; the repository's latest is what matters.
  if (!bundle || !bundle.isPresent || bundle.gitRepo.commit !== commit)
    return { rendered: 0, reused: 0, failed: 0 };
  const fail = async (message: string): Promise<RenderOutcome> => {
    ctx.logger.warn({ bundle: bundle.name, bundleId, err: message }, 'render failed');
    await ctx.db.bundle.update({
      where: { id: bundleId },
      data: { renderError: message, failedCommit: commit },
    });
    await recordActionEvent({
      ctx,
      event: {
        workspaceId: bundle.workspaceId,
        type: 'RenderFailed',
        bundleId,
        message: `${bundle.name}: ${message}`,
      },
    });
    await publishUpdates(ctx, bundle.workspaceId, [{ type: 'bundle', bundleId }]);
    return { rendered: 0, reused: 0, failed: 1, error: message };
  };

  let files: RepoFiles;
  let options: BundleOptions;
  try {
    const tree = await ctx.git.readFiles({
      repoId: bundle.gitRepoId,
      commit,
      limits: { maxTotalBytes: 200 * 1024 * 1024 },
    });
    const prefix = bundle.path === '' ? '' : `${bundle.path}/`;
    const refused = tree.refused.find(
      (entry) => prefix === '' || entry.path === bundle.path || entry.path.startsWith(prefix),
    );
    if (refused) return fail(`commit ${commit.slice(0, 12)}: ${refused.path}: ${refused.reason}`);
    files = tree.files;
    options = loadBundleOptions(files, bundle.path);
  } catch (error) {
    if (isEngineError(error) || isGitError(error) || isRepoTreeError(error))
      return fail(`commit ${commit.slice(0, 12)}: ${describe(error)}`);
    throw error;
  }

  const done = new Map(
    (await ctx.db.bundleRender.findMany({ where: { bundleId, commit } })).map((render) => [
      render.customization,
      render,
    ]),
  );
  const results: Rendered[] = [];
  const fetchedCharts: FetchedCharts = new Map();
  for (const { name, customization } of customizationsOf(options)) {
    const previous = done.get(name);
    if (previous) {
      results.push({
        name,
        ...(previous.revisionHash ? { hash: previous.revisionHash } : {}),
        ...(previous.error ? { error: previous.error } : {}),
        isReused: true,
      });
      continue;
    }
    let hash: string | undefined;
    let error: string | undefined;
    try {
      const chart = await loadCopyChart({
        ctx,
        files,
        bundlePath: bundle.path,
        options,
        customization,
        fetched: fetchedCharts,
      });
      const result = renderBundle({
        files,
        bundlePath: bundle.path,
        options,
        customization,
        chart,
        limits: { maxBytes: ctx.settings.maxBundleBytes },
      });
      hash = revisionHash(result);
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
    } catch (caught) {
      if (!isEngineError(caught)) throw caught;
      error = describe(caught);
    } finally {
      await countRender(ctx.redis);
    }
    await ctx.db.bundleRender.upsert({
      where: { bundleId_commit_customization: { bundleId, commit, customization: name } },
      create: {
        bundleId,
        commit,
        customization: name,
        revisionHash: hash ?? null,
        error: error ?? null,
      },
      update: {},
    });
    results.push({ name, ...(hash ? { hash } : {}), ...(error ? { error } : {}), isReused: false });
  }

  const failures = results.filter((result) => result.error);
  const summary = failures
    .map((result) => `${result.name || 'defaults'}: ${result.error}`)
    .join('; ');
  if (failures.length === results.length) return fail(`commit ${commit.slice(0, 12)}: ${summary}`);
  await ctx.db.bundle.update({
    where: { id: bundleId },
    data: {
      commit,
      options: options as unknown as Prisma.InputJsonValue,
      renderError: failures.length > 0 ? `commit ${commit.slice(0, 12)}: ${summary}` : '',
      failedCommit: null,
    },
  });
  await publishUpdates(ctx, bundle.workspaceId, [{ type: 'bundle', bundleId }]);
  await ctx.queues.enqueuePlan({ bundleId });
  return {
    rendered: results.filter((result) => !result.isReused && result.hash).length,
    reused: results.filter((result) => result.isReused).length,
    failed: failures.length,
  };
}
