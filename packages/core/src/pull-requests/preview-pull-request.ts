import path from 'node:path/posix';
import type { GitRepo, Prisma, PullRequestPreview } from '@flotilla/db';
import {
  bundleChartSource,
  diffRevisions,
  isEngineError,
  loadBundleOptions,
  type BundleOptions,
  type KubeObject,
  type RepoFiles,
} from '@flotilla/engine';
import {
  isGitError,
  isRepoTreeError,
  setCommitStatus,
  type GitAuth as CacheAuth,
} from '@flotilla/git';
import { openHelmAuth } from '../gitrepos/helm-auth.ts';
import type { GitAuth } from '../gitrepos/schemas.ts';
import { isChartArchivePath, type FetchedCharts } from '../bundles/load-bundle-charts.ts';
import type { FetchedRemotes } from '../bundles/load-remote-bases.ts';
import { customizationsOf, describeRenderError } from '../bundles/render-bundle-revisions.ts';
import { readsValuesFrom } from '../bundles/render-cluster-copies.ts';
import { renderCustomization } from '../bundles/render-customization.ts';
import type { WorkerContext } from '../worker-context.ts';
import { formatPreviewCheck } from './format-preview-check.ts';
import { githubClientFor } from '../github/github-client-for-repo.ts';
import {
  previewResultsOf,
  type PreviewBundleResult,
  type PreviewCustomizationResult,
} from './schemas.ts';

export const PREVIEW_CHECK_NAME = 'Flotilla preview';
export const FORK_NEEDS_SECRETS = 'not rendered for a fork PR: needs secrets';
/** Helm's random functions in a fork's templates are seeded with this, never the worker's key. */
const FORK_SEED = 'flotilla-fork-preview-has-no-secret';
const TREE_LIMITS = { maxTotalBytes: 200 * 1024 * 1024 };

export type PreviewOutcome =
  | { kind: 'superseded' }
  /** Posted as a check run (an App connection: checkRunId) or a commit status (a token). */
  | { kind: 'posted'; conclusion: string; checkRunId?: string };

/**
 * The preview job of one pull request at one head commit. It fetches `refs/pull/N/head` with
 * the repo's credentials (the base repository's: a fork's content is fetched from there too),
 * finds the bundles whose files (or options file) differ between the base and head trees,
 * renders each for every customization its clusters use now, with the render job's code, and
 * diffs the objects against each cluster's desired revision. The results go to the preview's
 * own row; nothing is written to a cluster or becomes a render, revision or deployment. Then
 * the check run is posted on the head commit; a GitHub failure throws, and the job retries
 * without rendering again.
 */
export async function previewPullRequest({
  ctx,
  previewId,
  headSha,
}: {
  ctx: WorkerContext;
  previewId: string;
  headSha: string;
}): Promise<PreviewOutcome> {
  let preview = await ctx.db.pullRequestPreview.findUnique({
    where: { id: previewId },
    include: { gitRepo: { include: { githubConnection: true } } },
  });
  // A newer push to the PR has its own job; a closed PR or a disconnected repo needs none.
  if (
    !preview ||
    preview.headSha !== headSha ||
    !preview.isOpen ||
    preview.gitRepo.deletedAt ||
    !preview.gitRepo.githubConnection
  )
    return { kind: 'superseded' };
  const { gitRepo: repo } = preview;
  const connection = repo.githubConnection!;
  // The connection's one client per process: its installation token and throttling are shared
  // with the commit statuses of the same connection.
  const client = githubClientFor(ctx, connection);

  if (preview.state === 'Pending') {
    let results: PreviewBundleResult[];
    try {
      results = await computePreview({ ctx, preview, repo, cloneToken: client.cloneToken });
    } catch (error) {
      // The job retries (a git server or GitHub away); meanwhile the page says why it waits.
      // Git errors are scrubbed of credentials where they are made.
      await ctx.db.pullRequestPreview.updateMany({
        where: { id: preview.id, headSha },
        data: { lastError: `preview not made yet: ${(error as Error).message}`.slice(0, 500) },
      });
      throw error;
    }
    const formatted = formatPreviewCheck({ results, isFork: preview.isFork });
    const updated = await ctx.db.pullRequestPreview.updateMany({
      where: { id: preview.id, headSha },
      data: {
        state: formatted.conclusion === 'failure' ? 'Failed' : 'Ready',
        conclusion: formatted.conclusion,
        summary: formatted.title,
        results: results as unknown as Prisma.InputJsonValue,
        lastError: '',
      },
    });
    if (updated.count === 0) return { kind: 'superseded' };
    preview = {
      ...preview,
      ...(await ctx.db.pullRequestPreview.findUniqueOrThrow({ where: { id: previewId } })),
    };
  }

  const detailsUrl = ctx.settings.publicUrl
    ? `${ctx.settings.publicUrl.replace(/\/+$/, '')}/pull-requests/${preview.id}`
    : undefined;
  const output = formatPreviewCheck({
    results: previewResultsOf(preview.results),
    detailsUrl,
    isFork: preview.isFork,
  });
  const target = { owner: connection.owner, repo: connection.repo };
  try {
    // GitHub lets only Apps write check runs: a token connection gets a commit status of the
    // same name instead (the title as its description, the same link).
    if (connection.authKind === 'token') {
      await setCommitStatus({
        client: client.octokit,
        ...target,
        sha: headSha,
        state: output.conclusion === 'failure' ? 'failure' : 'success',
        description: output.title,
        context: PREVIEW_CHECK_NAME,
        ...(detailsUrl ? { targetUrl: detailsUrl } : {}),
      });
      await ctx.db.pullRequestPreview.updateMany({
        where: { id: preview.id, headSha },
        data: { lastError: '' },
      });
      return { kind: 'posted', conclusion: output.conclusion };
    }
    let checkRunId = preview.checkRunSha === headSha ? preview.checkRunId : null;
    if (!checkRunId) {
      const created = await client.octokit.rest.checks.create({
        ...target,
        name: PREVIEW_CHECK_NAME,
        head_sha: headSha,
        status: 'in_progress',
        external_id: preview.id,
        ...(detailsUrl ? { details_url: detailsUrl } : {}),
      });
      checkRunId = String(created.data.id);
      await ctx.db.pullRequestPreview.updateMany({
        where: { id: preview.id, headSha },
        data: { checkRunId, checkRunSha: headSha },
      });
    }
    await client.octokit.rest.checks.update({
      ...target,
      check_run_id: Number(checkRunId),
      status: 'completed',
      conclusion: output.conclusion,
      completed_at: ctx.now().toISOString(),
      ...(detailsUrl ? { details_url: detailsUrl } : {}),
      output: { title: output.title, summary: output.summary, text: output.text },
    });
    await ctx.db.pullRequestPreview.updateMany({
      where: { id: preview.id, headSha },
      data: { lastError: '' },
    });
    ctx.logger.info(
      { previewId, pullRequest: preview.number, conclusion: output.conclusion },
      'pull request preview posted',
    );
    return { kind: 'posted', conclusion: output.conclusion, checkRunId };
  } catch (error) {
    const message = `GitHub refused the preview: ${(error as Error).message}`.slice(0, 500);
    await ctx.db.pullRequestPreview.updateMany({
      where: { id: preview.id, headSha },
      data: { lastError: message },
    });
    throw new Error(message, { cause: error });
  }
}

async function computePreview({
  ctx,
  preview,
  repo,
  cloneToken,
}: {
  ctx: WorkerContext;
  preview: PullRequestPreview;
  repo: Pick<GitRepo, 'id' | 'url' | 'auth' | 'helmAuth'>;
  cloneToken: () => Promise<string>;
}): Promise<PreviewBundleResult[]> {
  // The base repository's credentials, for fetching only: nothing rendered below sees them.
  let auth: CacheAuth | undefined = repo.auth
    ? ctx.secrets.open<GitAuth>(repo.auth, repo.id)
    : undefined;
  if (!auth && /^https?:\/\//i.test(repo.url)) auth = { token: await cloneToken() };
  const fetchRequest = { repoId: repo.id, url: repo.url, ...(auth ? { auth } : {}) };
  await ctx.git.fetch({ ...fetchRequest, pullRequest: preview.number });
  await ctx.git.fetch({ ...fetchRequest, revision: preview.baseSha });

  const [head, base] = await Promise.all(
    [preview.headSha, preview.baseSha].map((commit) =>
      ctx.git.readFiles({
        repoId: repo.id,
        commit,
        keepBinary: isChartArchivePath,
        limits: TREE_LIMITS,
      }),
    ),
  );
  const changed = changedPaths(base!, head!);
  const bundles = await ctx.db.bundle.findMany({
    where: { gitRepoId: repo.id, isPresent: true },
    include: {
      deployments: {
        where: { isOrphaned: false },
        select: { customization: true, desiredHash: true, cluster: { select: { name: true } } },
      },
    },
    orderBy: { name: 'asc' },
  });
  const touched = bundles.filter((bundle) => {
    const prefix = bundle.path === '' ? '' : `${bundle.path}/`;
    const optionsFile = bundle.optionsFile ? path.join(bundle.path, bundle.optionsFile) : undefined;
    return [...changed].some((file) => file.startsWith(prefix) || file === optionsFile);
  });
  const helmAuth = preview.isFork ? undefined : openHelmAuth(ctx.secrets, repo);
  const results: PreviewBundleResult[] = [];
  for (const bundle of touched) {
    const result: PreviewBundleResult = {
      bundleId: bundle.id,
      bundleName: bundle.name,
      path: bundle.path,
      customizations: [],
    };
    results.push(result);
    const refused = head!.refused.find(
      (entry) =>
        bundle.path === '' ||
        entry.path === bundle.path ||
        entry.path.startsWith(`${bundle.path}/`),
    );
    let options: BundleOptions;
    try {
      if (refused) throw new Error(`${refused.path}: ${refused.reason}`);
      options = loadBundleOptions(
        head!.files,
        bundle.path,
        undefined,
        bundle.optionsFile || undefined,
      );
    } catch (error) {
      if (
        !(error instanceof Error) ||
        !(refused || isEngineError(error) || isGitError(error) || isRepoTreeError(error))
      )
        throw error;
      result.error = describeRenderError(error);
      continue;
    }
    const available = customizationsOf(options);
    const byCustomization = new Map<string, typeof bundle.deployments>();
    for (const deployment of bundle.deployments) {
      // A customization the PR removes: its clusters would fall back to the defaults.
      const name = available.some((c) => c.name === deployment.customization)
        ? deployment.customization
        : '';
      byCustomization.set(name, [...(byCustomization.get(name) ?? []), deployment]);
    }
    const fetchedCharts: FetchedCharts = new Map();
    const fetchedRemotes: FetchedRemotes = new Map();
    for (const { name, customization } of available) {
      const deployments = byCustomization.get(name);
      if (!deployments) continue;
      const entry: PreviewCustomizationResult = {
        name,
        clusters: deployments.map((d) => d.cluster.name).sort(),
        groups: [],
      };
      result.customizations.push(entry);
      const secretsNeeded = preview.isFork
        ? forkSecretsNeeded({
            files: head!.files,
            bundlePath: bundle.path,
            options,
            customization,
            hasHelmAuth: repo.helmAuth !== null,
          })
        : undefined;
      if (secretsNeeded) {
        entry.error = `${FORK_NEEDS_SECRETS} (${secretsNeeded})`;
        continue;
      }
      let objects: KubeObject[];
      try {
        const copy = await renderCustomization({
          ctx,
          name,
          files: head!.files,
          archives: head!.binaries,
          bundlePath: bundle.path,
          options,
          customization,
          fetchedCharts,
          fetchedRemotes,
          helmAuth,
          ...(preview.isFork ? { seedSecret: FORK_SEED } : {}),
        });
        if (copy.clusterCopy || !copy.result) {
          if (preview.isFork) entry.error = `${FORK_NEEDS_SECRETS} (its chart reads the cluster)`;
          else entry.note = 'renders per cluster (its chart reads the cluster): not previewed';
          continue;
        }
        objects = copy.result.objects as KubeObject[];
      } catch (error) {
        if (!isEngineError(error)) throw error;
        entry.error = describeRenderError(error);
        continue;
      }
      const byRevision = new Map<string, string[]>();
      for (const deployment of deployments) {
        const key = deployment.desiredHash ?? '';
        byRevision.set(key, [...(byRevision.get(key) ?? []), deployment.cluster.name]);
      }
      const revisions = await ctx.db.bundleRevision.findMany({
        where: {
          workspaceId: bundle.workspaceId,
          hash: { in: [...byRevision.keys()].filter(Boolean) },
        },
        select: { hash: true, objects: true },
      });
      for (const [hash, clusters] of byRevision) {
        const current = (revisions.find((revision) => revision.hash === hash)?.objects ??
          []) as unknown as KubeObject[];
        entry.groups.push({
          clusters: clusters.sort(),
          changes: diffRevisions({ current, proposed: objects }),
        });
      }
    }
  }
  return results;
}

/** Paths whose content differs between two trees (added, removed or changed). */
function changedPaths(
  base: { files: RepoFiles; binaries: ReadonlyMap<string, Uint8Array> },
  head: { files: RepoFiles; binaries: ReadonlyMap<string, Uint8Array> },
): Set<string> {
  const changed = new Set<string>();
  for (const [a, b] of [
    [base.files, head.files],
    [head.files, base.files],
  ] as const)
    for (const [file, text] of a) if (b.get(file) !== text) changed.add(file);
  for (const [a, b] of [
    [base.binaries, head.binaries],
    [head.binaries, base.binaries],
  ] as const)
    for (const [file, bytes] of a) {
      const other = b.get(file);
      if (!other || Buffer.compare(Buffer.from(bytes), Buffer.from(other)) !== 0) changed.add(file);
    }
  return changed;
}

/**
 * What a fork's copy would need that is secret: cluster values (valuesFrom reads each cluster's
 * Secrets and ConfigMaps) or the repo's chart credentials for a chart from a repository or
 * registry. Such a copy is not rendered at all, so a fork cannot send the credentials to a
 * server of its choosing or print a value into a manifest that the preview would show.
 */
function forkSecretsNeeded({
  files,
  bundlePath,
  options,
  customization,
  hasHelmAuth,
}: {
  files: RepoFiles;
  bundlePath: string;
  options: BundleOptions;
  customization: Parameters<typeof readsValuesFrom>[1];
  hasHelmAuth: boolean;
}): string | undefined {
  if (readsValuesFrom(options, customization)) return 'helm.valuesFrom reads cluster secrets';
  try {
    const source = bundleChartSource({ files, bundlePath, options, customization });
    if (source?.kind === 'external' && hasHelmAuth)
      return 'its chart needs the repo chart credentials';
  } catch {
    // A bundle that does not load says why when it renders.
  }
  return undefined;
}
