import { forWorkspace } from '@flotilla/db';
import { DEFAULT_GITHUB_API_URL, githubRepositoryOf } from '@flotilla/git';
import { assertOutboundUrl, UnsafeUrlError } from '@flotilla/net';
import { auditedWrite } from '../audit/audited-write.ts';
import type { Principal, RequestOrigin } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError, toFieldErrors } from '../errors.ts';
import { newId } from '../ids.ts';
import { githubConnectionInput, type GithubSecret } from './schemas.ts';
import {
  toGithubCommitStatusDto,
  toGithubConnectionDto,
  type GithubSettingsDto,
} from './serialize.ts';

interface Caller {
  ctx: CoreContext;
  principal: Principal;
  origin?: RequestOrigin;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The statuses the repo page lists. */
const STATUSES_SHOWN = 10;

/**
 * https:// only, except on the loopback address (tests, a local proxy) or where plain http Git
 * is allowed; and never an address the outbound policy refuses (cloud metadata, link-local):
 * the worker sends the repo's token there.
 */
function baseUrlProblem(url: string, allowInsecure: boolean): string | undefined {
  const isLoopback = URL.canParse(url) && LOOPBACK.has(new URL(url).hostname);
  try {
    assertOutboundUrl(url, {
      what: 'the GitHub API',
      schemes: isLoopback || allowInsecure ? ['https', 'http'] : ['https'],
    });
    return undefined;
  } catch (error) {
    if (error instanceof UnsafeUrlError) return error.message;
    throw error;
  }
}

async function loadRepo(ctx: CoreContext, workspaceId: string, gitRepoId: string) {
  const repo = await forWorkspace(ctx.db, workspaceId).gitRepo.findUnique({
    where: { id: gitRepoId, deletedAt: null },
  });
  if (!repo) throw AppError.notFound('git repo');
  return repo;
}

/** GET /api/v1/gitrepos/{id}/github: the connection (no secret) and the latest statuses. */
export async function getGithubSettings({
  ctx,
  principal,
  gitRepoId,
}: Omit<Caller, 'origin'> & { gitRepoId: string }): Promise<GithubSettingsDto> {
  await loadRepo(ctx, principal.workspaceId, gitRepoId);
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const [connection, statuses] = await Promise.all([
    db.githubConnection.findFirst({ where: { gitRepoId } }),
    db.githubCommitStatus.findMany({
      where: { gitRepoId },
      orderBy: { updatedAt: 'desc' },
      take: STATUSES_SHOWN,
    }),
  ]);
  return {
    connection: connection ? toGithubConnectionDto(connection) : null,
    statuses: statuses.map(toGithubCommitStatusDto),
  };
}

/**
 * PUT /api/v1/gitrepos/{id}/github: connects the repo to GitHub, or replaces its connection.
 * The credential is sealed with the connection's id as AAD; the audit row names the kind, the
 * base URL and the repository, never the secret. A status for the current commit follows.
 */
export async function setGithubConnection({
  gitRepoId,
  input,
  ...caller
}: Caller & { gitRepoId: string; input: unknown }): Promise<GithubSettingsDto> {
  const { ctx, principal, origin } = caller;
  const parsed = githubConnectionInput.safeParse(input);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const data = parsed.data;
  const repo = await loadRepo(ctx, principal.workspaceId, gitRepoId);
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const existing = await db.githubConnection.findFirst({ where: { gitRepoId } });

  const baseUrl = data.baseUrl ?? existing?.baseUrl ?? DEFAULT_GITHUB_API_URL;
  const urlProblem = baseUrlProblem(baseUrl, ctx.allowInsecureGitUrls ?? false);
  if (urlProblem) throw AppError.validation([{ path: 'baseUrl', message: urlProblem }]);

  const named = data.repository?.split('/');
  const fromUrl = githubRepositoryOf(repo.url);
  const owner = named?.[0] ?? existing?.owner ?? fromUrl?.owner;
  const name = named?.[1] ?? existing?.repo ?? fromUrl?.repo;
  if (!owner || !name) {
    throw AppError.validation([
      { path: 'repository', message: 'give OWNER/NAME: the repo URL does not name one' },
    ]);
  }

  const id = existing?.id ?? newId();
  const given: GithubSecret | undefined =
    data.authKind === 'token'
      ? data.token !== undefined
        ? { token: data.token }
        : undefined
      : data.privateKey !== undefined
        ? { privateKey: data.privateKey }
        : undefined;
  const keepsSecret = existing !== null && existing.authKind === data.authKind;
  if (!given && !keepsSecret) {
    const path = data.authKind === 'token' ? 'token' : 'privateKey';
    throw AppError.validation([{ path, message: 'is required for a new connection' }]);
  }
  const credential = given ? ctx.secrets.seal(given, id) : existing!.credential;
  const fields = {
    authKind: data.authKind,
    baseUrl,
    owner,
    repo: name,
    appId: data.authKind === 'app' ? data.appId : null,
    installationId: data.authKind === 'app' ? data.installationId : null,
    credential,
  };
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) =>
      existing
        ? tx.githubConnection.update({ where: { id }, data: fields })
        : tx.githubConnection.create({
            data: { id, workspaceId: principal.workspaceId, gitRepoId, ...fields },
          }),
    audit: () => ({
      action: existing ? 'gitrepo.github.update' : 'gitrepo.github.connect',
      objectType: 'gitrepo',
      objectId: gitRepoId,
      details: {
        name: repo.name,
        authKind: data.authKind,
        baseUrl,
        repository: `${owner}/${name}`,
        secretReplaced: given !== undefined,
      },
    }),
  });
  if (repo.commit) {
    await ctx.queues.enqueueGithubStatus({ gitRepoId, commit: repo.commit });
  }
  // A repo without credentials of its own clones with the connection's token from now on.
  if (!repo.auth) await ctx.queues.enqueueGitSync({ gitRepoId, reason: 'manual' });
  return getGithubSettings({ ctx, principal, gitRepoId });
}

/** DELETE /api/v1/gitrepos/{id}/github: no more statuses; the stored ones stay for the record. */
export async function deleteGithubConnection({
  gitRepoId,
  ...caller
}: Caller & { gitRepoId: string }): Promise<void> {
  const { ctx, principal, origin } = caller;
  const repo = await loadRepo(ctx, principal.workspaceId, gitRepoId);
  const existing = await forWorkspace(ctx.db, principal.workspaceId).githubConnection.findFirst({
    where: { gitRepoId },
  });
  if (!existing) throw AppError.notFound('GitHub connection');
  await auditedWrite({
    ctx,
    principal,
    origin,
    write: (tx) => tx.githubConnection.delete({ where: { id: existing.id } }),
    audit: () => ({
      action: 'gitrepo.github.disconnect',
      objectType: 'gitrepo',
      objectId: gitRepoId,
      details: { name: repo.name, repository: `${existing.owner}/${existing.repo}` },
    }),
  });
}
