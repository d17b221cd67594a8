import { containsText, forWorkspace, type GitRepo } from '@flotilla/db';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreContext } from '../context.ts';
import { AppError, toFieldErrors } from '../errors.ts';
import { newId } from '../ids.ts';
import { asJson } from '../json.ts';
import { parseTargets } from '../targets/targets.ts';
import { rerenderFailedCharts, sealHelmAuth } from './helm-auth.ts';
import { createGitRepoInput, gitUrlProblem, updateGitRepoInput } from './schemas.ts';
import { toGitRepoDto, type GitRepoDto } from './serialize.ts';

interface Caller {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
}

async function audit(
  { ctx, principal, origin }: Caller,
  action: string,
  repo: Pick<GitRepo, 'id' | 'name' | 'url'>,
) {
  await recordAudit({
    ctx,
    record: {
      workspaceId: principal.workspaceId,
      actor: principal,
      ...(origin ? { origin } : {}),
      action,
      objectType: 'gitrepo',
      objectId: repo.id,
      details: { name: repo.name, url: repo.url },
    },
  });
}

/** Connects a repository; fetching starts at once (a git-sync job). */
export async function createGitRepo({
  input,
  ...caller
}: Caller & { input: unknown }): Promise<GitRepoDto> {
  const { ctx, principal } = caller;
  const parsed = createGitRepoInput.safeParse(input);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const data = parsed.data;
  const urlProblem = gitUrlProblem(data.url, {
    allowFileUrls: ctx.allowFileGitUrls,
    allowInsecureHttp: ctx.allowInsecureGitUrls ?? false,
  });
  if (urlProblem) throw AppError.validation([{ path: 'url', message: urlProblem }]);
  if (data.branch && data.revision) {
    throw AppError.validation([
      { path: 'revision', message: 'give a branch or a pinned revision, not both' },
    ]);
  }
  const targets = data.targets === undefined ? [] : parseTargets(data.targets);
  const db = forWorkspace(ctx.db, principal.workspaceId);
  if (await db.gitRepo.findFirst({ where: { name: data.name } })) {
    throw new AppError('Conflict', `a git repo named "${data.name}" already exists`);
  }
  const id = newId();
  const repo = await db.gitRepo.create({
    data: {
      id,
      workspaceId: principal.workspaceId,
      name: data.name,
      url: data.url,
      branch: data.branch ?? 'main',
      revision: data.revision ?? null,
      paths: data.paths,
      drivenBundles: asJson(data.drivenBundles),
      targets: asJson(targets),
      pollIntervalSeconds: data.pollIntervalSeconds,
      auth: data.auth ? ctx.secrets.seal(data.auth, id) : null,
      helmAuth: data.helmAuth ? sealHelmAuth(ctx.secrets, data.helmAuth, id) : null,
      webhookSecret: data.webhookSecret ? ctx.secrets.seal(data.webhookSecret, id) : null,
      nextPollAt: new Date(ctx.now().getTime() + data.pollIntervalSeconds * 1000),
    },
  });
  await audit(caller, 'gitrepo.create', repo);
  await ctx.queues.enqueueGitSync({ gitRepoId: id, reason: 'created' });
  return toGitRepoDto(repo);
}

export async function updateGitRepo({
  gitRepoId,
  input,
  ...caller
}: Caller & { gitRepoId: string; input: unknown }): Promise<GitRepoDto> {
  const { ctx, principal } = caller;
  const parsed = updateGitRepoInput.safeParse(input);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const data = parsed.data;
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const repo = await db.gitRepo.findUnique({ where: { id: gitRepoId, deletedAt: null } });
  if (!repo) throw AppError.notFound('git repo');
  if (data.url) {
    const urlProblem = gitUrlProblem(data.url, {
      allowFileUrls: ctx.allowFileGitUrls,
      allowInsecureHttp: ctx.allowInsecureGitUrls ?? false,
    });
    if (urlProblem) throw AppError.validation([{ path: 'url', message: urlProblem }]);
  }
  if (
    data.name &&
    data.name !== repo.name &&
    (await db.gitRepo.findFirst({ where: { name: data.name } }))
  ) {
    throw new AppError('Conflict', `a git repo named "${data.name}" already exists`);
  }
  const targets = data.targets === undefined ? undefined : parseTargets(data.targets);
  const updated = await db.gitRepo.update({
    where: { id: repo.id },
    data: {
      ...(data.name ? { name: data.name } : {}),
      ...(data.url ? { url: data.url } : {}),
      ...(data.branch ? { branch: data.branch } : {}),
      ...(data.revision !== undefined ? { revision: data.revision } : {}),
      ...(data.paths ? { paths: data.paths } : {}),
      ...(data.drivenBundles ? { drivenBundles: asJson(data.drivenBundles) } : {}),
      ...(data.pollIntervalSeconds
        ? {
            pollIntervalSeconds: data.pollIntervalSeconds,
            nextPollAt: new Date(ctx.now().getTime() + data.pollIntervalSeconds * 1000),
          }
        : {}),
      ...(targets ? { targets: asJson(targets) } : {}),
      ...(data.auth !== undefined
        ? { auth: data.auth ? ctx.secrets.seal(data.auth, repo.id) : null }
        : {}),
      ...(data.webhookSecret !== undefined
        ? {
            webhookSecret: data.webhookSecret
              ? ctx.secrets.seal(data.webhookSecret, repo.id)
              : null,
          }
        : {}),
      ...(data.helmAuth !== undefined
        ? { helmAuth: data.helmAuth ? sealHelmAuth(ctx.secrets, data.helmAuth, repo.id) : null }
        : {}),
    },
  });
  await audit(caller, 'gitrepo.update', updated);
  const needsFetch =
    data.url ||
    data.branch ||
    data.revision !== undefined ||
    data.paths ||
    data.drivenBundles ||
    data.auth !== undefined;
  if (needsFetch) await ctx.queues.enqueueGitSync({ gitRepoId: repo.id, reason: 'manual' });
  if (data.helmAuth !== undefined) await rerenderFailedCharts(ctx, updated);
  if (targets) {
    const bundles = await db.bundle.findMany({
      where: { gitRepoId: repo.id },
      select: { id: true },
    });
    await ctx.queues.enqueuePlans(bundles.map((bundle) => ({ bundleId: bundle.id })));
  }
  return toGitRepoDto(
    updated,
    await db.bundle.findMany({ where: { gitRepoId: repo.id }, orderBy: { path: 'asc' } }),
  );
}

export async function getGitRepo({
  ctx,
  principal,
  gitRepoId,
}: Omit<Caller, 'origin'> & { gitRepoId: string }): Promise<GitRepoDto> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const repo = await db.gitRepo.findUnique({ where: { id: gitRepoId, deletedAt: null } });
  if (!repo) throw AppError.notFound('git repo');
  return toGitRepoDto(
    repo,
    await db.bundle.findMany({ where: { gitRepoId }, orderBy: { path: 'asc' } }),
  );
}

/** The columns the repository list sorts by; `-` first sorts descending. */
export const GIT_REPO_SORTS = [
  'name',
  '-name',
  'state',
  '-state',
  'fetchedAt',
  '-fetchedAt',
] as const;
export type GitRepoSort = (typeof GIT_REPO_SORTS)[number];

/** Every repository (name containing `q`, any case), by `sort`; name, then id, break ties. */
export async function listGitRepos({
  ctx,
  principal,
  q,
  sort = 'name',
}: Omit<Caller, 'origin'> & {
  q?: string | undefined;
  sort?: GitRepoSort | undefined;
}): Promise<{ items: GitRepoDto[]; nextCursor: null }> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const direction = sort.startsWith('-') ? ('desc' as const) : ('asc' as const);
  const field = sort.replace(/^-/, '') as 'name' | 'state' | 'fetchedAt';
  const search = q?.trim() ?? '';
  const [repos, bundles] = await Promise.all([
    db.gitRepo.findMany({
      where: {
        deletedAt: null,
        ...(search ? { name: containsText(search) } : {}),
      },
      orderBy: [
        field === 'fetchedAt'
          ? { fetchedAt: { sort: direction, nulls: 'last' } }
          : { [field]: direction },
        { name: 'asc' },
        { id: 'asc' },
      ],
    }),
    db.bundle.findMany({ orderBy: { path: 'asc' } }),
  ]);
  return {
    items: repos.map((repo) =>
      toGitRepoDto(
        repo,
        bundles.filter((bundle) => bundle.gitRepoId === repo.id),
      ),
    ),
    nextCursor: null,
  };
}

/**
 * Removes a repository and its bundles. Their objects are pruned from every cluster first:
 * the bundles are marked absent and planned, which orphans their deployments; the rows go
 * once the prunes are done (see prune in deploy-deployment.ts).
 */
export async function deleteGitRepo({
  gitRepoId,
  ...caller
}: Caller & { gitRepoId: string }): Promise<void> {
  const { ctx, principal } = caller;
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const repo = await db.gitRepo.findUnique({ where: { id: gitRepoId, deletedAt: null } });
  if (!repo) throw AppError.notFound('git repo');
  const deployments = await db.bundleDeployment.count({ where: { bundle: { gitRepoId } } });
  if (deployments === 0) {
    await db.gitRepo.delete({ where: { id: gitRepoId } });
  } else {
    await db.bundle.updateMany({ where: { gitRepoId }, data: { isPresent: false } });
    await db.gitRepo.update({
      where: { id: gitRepoId },
      data: {
        deletedAt: ctx.now(),
        message: 'being deleted: pruning its bundles from the clusters',
      },
    });
    const bundles = await db.bundle.findMany({ where: { gitRepoId }, select: { id: true } });
    await ctx.queues.enqueuePlans(bundles.map((bundle) => ({ bundleId: bundle.id })));
  }
  await audit(caller, 'gitrepo.delete', repo);
}

export async function requestGitRepoSync({
  gitRepoId,
  ...caller
}: Caller & { gitRepoId: string }): Promise<void> {
  const { ctx, principal } = caller;
  const repo = await forWorkspace(ctx.db, principal.workspaceId).gitRepo.findUnique({
    where: { id: gitRepoId, deletedAt: null },
  });
  if (!repo) throw AppError.notFound('git repo');
  await ctx.queues.enqueueGitSync({ gitRepoId, reason: 'manual' });
  await audit(caller, 'gitrepo.sync', repo);
}
