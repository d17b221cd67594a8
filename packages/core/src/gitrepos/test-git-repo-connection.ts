import { randomUUID } from 'node:crypto';
import { forWorkspace } from '@flotilla/db';
import { isGitError, type GitErrorCode } from '@flotilla/git';
import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError, toFieldErrors } from '../errors.ts';
import { githubCloneToken } from '../github/github-client-for-repo.ts';
import type { WorkerContext } from '../worker-context.ts';
import { createGitRepoInput, gitAuthInput, gitUrlProblem, type GitAuth } from './schemas.ts';

/**
 * What "Test connection" sends: the connect form's URL, branch or revision and credentials; or,
 * from the edit form, `gitRepoId` with only the fields being changed (the stored ones fill in
 * the rest; `auth: null` tests without credentials, `revision: null` the branch).
 */
export const testGitRepoConnectionInput = z
  .object({
    gitRepoId: z.string().min(1).max(64).optional(),
    url: createGitRepoInput.shape.url.optional(),
    branch: createGitRepoInput.shape.branch,
    revision: createGitRepoInput.shape.revision.nullable(),
    auth: gitAuthInput.nullable().optional(),
  })
  .strict()
  .refine((input) => input.gitRepoId !== undefined || input.url !== undefined, {
    message: 'give the repository URL',
    path: ['url'],
  });

export type GitRepoConnectionTest =
  | { ok: true; commit: string | null; message: string }
  | { ok: false; reason: string; message: string };

const gitRepoConnectionTestAnswer = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), commit: z.string().nullable(), message: z.string() }),
  z.object({ ok: z.literal(false), reason: z.string(), message: z.string() }),
]);

/** A person waits for the answer in the form. */
const LS_REMOTE_TIMEOUT_MS = 10_000;
/** The worker's turn included (queue, ls-remote). */
const WORKER_ANSWER_TIMEOUT_MS = 15_000;

/** Typed credentials wait here, sealed, for the worker's one read (never in the job payload). */
const TYPED_AUTH_TTL_SECONDS = 60;
export const gitTestAuthKey = (ref: string) => `flotilla:gitrepo-test-auth:${ref}`;

const REASONS: Record<GitErrorCode, string> = {
  AuthFailed: 'AuthenticationFailed',
  NotFound: 'RepositoryNotFound',
  RefNotFound: 'RefNotFound',
  Unreachable: 'Unreachable',
  Timeout: 'Timeout',
  InvalidUrl: 'InvalidUrl',
  Failed: 'Error',
};

/**
 * "Test connection" on the connect-repo and repo edit forms, saving nothing. The web checks the
 * input and the URL policy, then asks the worker (which has the git settings: proxy, CA) and
 * waits for its answer. Typed credentials wait for it sealed in a short-lived Redis key (never in the job payload);
 * stored ones are opened only there.
 */
export async function testGitRepoConnection({
  ctx,
  principal,
  input,
}: {
  ctx: CoreContext;
  principal: Principal;
  input: unknown;
}): Promise<GitRepoConnectionTest> {
  const parsed = testGitRepoConnectionInput.safeParse(input);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const { gitRepoId, url, branch, revision, auth } = parsed.data;
  if (gitRepoId !== undefined) {
    const repo = await forWorkspace(ctx.db, principal.workspaceId).gitRepo.findUnique({
      where: { id: gitRepoId, deletedAt: null },
    });
    if (!repo) throw AppError.notFound('git repo');
  }
  if (url !== undefined) {
    const urlProblem = gitUrlProblem(url, {
      allowFileUrls: ctx.allowFileGitUrls,
      allowInsecureHttp: ctx.allowInsecureGitUrls ?? false,
    });
    if (urlProblem) throw AppError.validation([{ path: 'url', message: urlProblem }]);
  }
  const authRef = auth ? randomUUID() : undefined;
  if (auth && authRef) {
    const sealed = Buffer.from(ctx.secrets.seal(auth, authRef)).toString('base64');
    await ctx.redis.set(gitTestAuthKey(authRef), sealed, 'EX', TYPED_AUTH_TTL_SECONDS);
  }
  const answer = await ctx.queues.requestGitRepoConnectionTest(
    {
      workspaceId: principal.workspaceId,
      ...(gitRepoId !== undefined ? { gitRepoId } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(branch !== undefined ? { branch } : {}),
      ...(revision !== undefined ? { revision } : {}),
      ...(authRef ? { authRef } : {}),
      // An explicit "no credentials" from the edit form: nothing sealed, nothing stored used.
      ...(auth === null ? { withoutAuth: true } : {}),
    },
    { timeoutMs: WORKER_ANSWER_TIMEOUT_MS },
  );
  switch (answer.outcome) {
    case 'answered':
      return gitRepoConnectionTestAnswer.parse(answer.value);
    case 'failed':
      return { ok: false, reason: 'Error', message: 'the test could not run; see the worker log' };
    case 'timeout':
      return {
        ok: false,
        reason: 'Timeout',
        message: 'no answer from the worker in time (is it running?)',
      };
  }
}

/**
 * The worker's half: `git ls-remote` through the worker's git cache settings, with the typed
 * credentials (opened from their seal), else the stored repo's (or its GitHub connection's
 * token, as a sync would), and the stored URL, branch and revision for what is not given.
 */
export async function runGitRepoConnectionTest({
  ctx,
  payload,
}: {
  ctx: Pick<WorkerContext, 'db' | 'secrets' | 'git' | 'logger' | 'redis'>;
  payload: {
    workspaceId: string;
    gitRepoId?: string | undefined;
    url?: string | undefined;
    branch?: string | undefined;
    revision?: string | null | undefined;
    authRef?: string | undefined;
    withoutAuth?: boolean | undefined;
  };
}): Promise<GitRepoConnectionTest> {
  const repo = payload.gitRepoId
    ? await forWorkspace(ctx.db, payload.workspaceId).gitRepo.findUnique({
        where: { id: payload.gitRepoId, deletedAt: null },
      })
    : null;
  if (payload.gitRepoId && !repo) {
    return { ok: false, reason: 'Error', message: 'this repository no longer exists' };
  }
  const url = payload.url ?? repo?.url;
  if (!url) return { ok: false, reason: 'Error', message: 'no repository URL to test' };
  const revision = payload.revision === undefined ? repo?.revision : payload.revision;
  const branch = payload.branch ?? repo?.branch;
  // Read (and removed) before anything else can fail, so typed credentials never outlive the test.
  const sealedTyped = payload.authRef
    ? await ctx.redis.getdel(gitTestAuthKey(payload.authRef))
    : null;
  if (payload.authRef && sealedTyped === null) {
    return {
      ok: false,
      reason: 'Error',
      message: 'the typed credentials were no longer waiting (over a minute); test again',
    };
  }
  let auth: GitAuth | undefined;
  try {
    if (payload.withoutAuth) {
      auth = undefined;
    } else if (payload.authRef !== undefined && sealedTyped !== null) {
      auth = ctx.secrets.open<GitAuth>(Buffer.from(sealedTyped, 'base64'), payload.authRef);
    } else if (repo?.auth) {
      auth = ctx.secrets.open<GitAuth>(repo.auth, repo.id);
    } else if (repo && /^https?:\/\//i.test(url)) {
      const token = await githubCloneToken(ctx, repo.id);
      if (token) auth = { token };
    }
  } catch {
    return { ok: false, reason: 'Error', message: 'the credentials could not be opened' };
  }
  try {
    const result = await ctx.git.lsRemote({
      url,
      ...(revision ? { revision } : branch ? { branch } : {}),
      ...(auth ? { auth } : {}),
      timeoutMs: LS_REMOTE_TIMEOUT_MS,
    });
    return result.commit
      ? {
          ok: true,
          commit: result.commit,
          message: `connected: ${result.what} is at ${result.commit.slice(0, 12)}`,
        }
      : { ok: true, commit: null, message: `connected: ${url} answered` };
  } catch (error) {
    if (!isGitError(error)) throw error;
    return { ok: false, reason: REASONS[error.code], message: error.message };
  }
}
