import { isUniqueViolation } from '@flotilla/db';
import { parseGithubPush, repoUrlKey, verifyGithubSignature } from '@flotilla/git';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { handleGithubPullRequest } from '../pull-requests/handle-github-pull-request.ts';

export interface GithubDelivery {
  rawBody: string;
  signature: string | null;
  deliveryId: string | null;
  event: string | null;
}

/**
 * A GitHub push (or pull_request, see handleGithubPullRequest): find the repositories it is about (by URL, in any workspace), check the
 * signature against each one's webhook secret (HMAC SHA-256 over the raw body, constant
 * time), and fetch the ones it verifies for at once. A redelivery (same X-GitHub-Delivery)
 * does nothing twice. No matching secret: 401, saying nothing about which repos exist.
 */
export async function handleGithubPush({
  ctx,
  delivery,
}: {
  ctx: Pick<CoreContext, 'db' | 'secrets' | 'queues' | 'logger'>;
  delivery: GithubDelivery;
}): Promise<{ accepted: number; duplicate: boolean }> {
  const unauthorized = new AppError(
    'Unauthorized',
    'signature does not match (X-Hub-Signature-256)',
  );
  if (!delivery.signature) throw unauthorized;
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.rawBody);
  } catch {
    throw new AppError('BadRequest', 'the body is not JSON');
  }
  const url =
    typeof payload === 'object' && payload !== null && 'repository' in payload
      ? ((payload as { repository?: { clone_url?: unknown; html_url?: unknown } }).repository ?? {})
      : {};
  const keys = new Set(
    [url.clone_url, url.html_url]
      .flatMap((value) => (typeof value === 'string' ? [repoUrlKey(value)] : []))
      .filter(Boolean),
  );
  if (keys.size === 0) throw unauthorized;
  const candidates = (
    await ctx.db.gitRepo.findMany({ where: { deletedAt: null, webhookSecret: { not: null } } })
  ).filter((repo) => keys.has(repoUrlKey(repo.url)));
  const verified = [];
  for (const repo of candidates) {
    const secret = ctx.secrets.open<string>(repo.webhookSecret!, repo.id);
    if (
      await verifyGithubSignature({
        secret,
        rawBody: delivery.rawBody,
        signature: delivery.signature,
      })
    )
      verified.push(repo);
  }
  if (verified.length === 0) throw unauthorized;
  if (delivery.deliveryId) {
    const isNew = await ctx.db.webhookDelivery
      .create({ data: { id: delivery.deliveryId.slice(0, 100) } })
      .then(() => true)
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) return false;
        throw error;
      });
    if (!isNew) return { accepted: 0, duplicate: true };
  }
  if (delivery.event === 'ping') return { accepted: 0, duplicate: false };
  if (delivery.event === 'pull_request') {
    const { accepted } = await handleGithubPullRequest({
      ctx,
      repos: verified,
      rawBody: delivery.rawBody,
    });
    return { accepted, duplicate: false };
  }
  const parsed = parseGithubPush(delivery.rawBody);
  if (!parsed.ok) throw AppError.validation([{ path: 'body', message: parsed.error }]);
  const { push } = parsed;
  // A push to another branch is not news for a repo that follows one branch.
  const matching = verified.filter(
    (repo) => repo.revision !== null || push.branch === undefined || push.branch === repo.branch,
  );
  await ctx.queues.enqueueGitSyncs(
    matching.map((repo) => ({ gitRepoId: repo.id, reason: 'webhook' as const })),
  );
  ctx.logger.info({ repos: matching.length, ref: push.ref }, 'github push accepted');
  return { accepted: matching.length, duplicate: false };
}
