import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { toBundleDto, type BundleDto } from './bundle-dto.ts';

export async function listBundles({
  ctx,
  principal,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
}): Promise<{ items: BundleDto[]; nextCursor: null }> {
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const [bundles, deployments] = await Promise.all([
    db.bundle.findMany({
      where: { isPresent: true, gitRepo: { deletedAt: null } },
      include: { gitRepo: true },
      orderBy: [{ name: 'asc' }],
    }),
    db.bundleDeployment.findMany({
      where: { isOrphaned: false },
      select: { bundleId: true, state: true },
    }),
  ]);
  return {
    items: bundles.map((bundle) =>
      toBundleDto(
        bundle,
        deployments.filter((deployment) => deployment.bundleId === bundle.id),
      ),
    ),
    nextCursor: null,
  };
}
