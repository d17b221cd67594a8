import type { GitRepo } from '@flotilla/db';
import type { CoreContext } from '../context.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import type { HelmAuth } from './schemas.ts';

/**
 * The GitRepo's chart credentials are sealed apart from its Git credentials: "<id>:helm" as
 * the additional data, so the sealed Git credential of the same row does not open as these
 * (and these never reach git).
 */
const aadOf = (gitRepoId: string) => `${gitRepoId}:helm`;

export function sealHelmAuth(
  secrets: SecretBox,
  auth: HelmAuth,
  gitRepoId: string,
): Uint8Array<ArrayBuffer> {
  return secrets.seal(auth, aadOf(gitRepoId));
}

/** The credentials the worker sends to this repo's chart repositories and registries. */
export function openHelmAuth(
  secrets: SecretBox,
  repo: Pick<GitRepo, 'id' | 'helmAuth'>,
): HelmAuth | undefined {
  if (!repo.helmAuth) return undefined;
  return secrets.open<HelmAuth>(repo.helmAuth, aadOf(repo.id));
}

/**
 * After the chart credentials change, the copies that failed at the repo's commit (a 401 from
 * the registry, say) render again; the copies that rendered stay as they are.
 */
export async function rerenderFailedCharts(
  ctx: CoreContext,
  repo: Pick<GitRepo, 'id' | 'commit'>,
): Promise<void> {
  const { commit } = repo;
  if (!commit) return;
  const bundles = await ctx.db.bundle.findMany({
    where: { gitRepoId: repo.id, isPresent: true },
    select: { id: true },
  });
  const bundleIds = bundles.map((bundle) => bundle.id);
  if (bundleIds.length === 0) return;
  await ctx.db.bundleRender.deleteMany({
    where: { bundleId: { in: bundleIds }, commit, error: { not: null } },
  });
  for (const bundleId of bundleIds) await ctx.queues.enqueueRender({ bundleId, commit });
}
