import { containsText, forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { toBundleDto, type BundleDto } from './bundle-dto.ts';

/** The columns the bundle list sorts by; `-` first sorts descending. */
export const BUNDLE_SORTS = ['name', '-name', 'path', '-path'] as const;
export type BundleSort = (typeof BUNDLE_SORTS)[number];

/** Every bundle (name containing `q`, any case), by `sort`; name, then id, break ties. */
export async function listBundles({
  ctx,
  principal,
  q,
  sort = 'name',
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  q?: string | undefined;
  sort?: BundleSort | undefined;
}): Promise<{ items: BundleDto[]; nextCursor: null }> {
  const direction = sort.startsWith('-') ? ('desc' as const) : ('asc' as const);
  const field = sort.replace(/^-/, '') as 'name' | 'path';
  const search = q?.trim() ?? '';
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const [bundles, deployments] = await Promise.all([
    db.bundle.findMany({
      where: {
        isPresent: true,
        gitRepo: { deletedAt: null },
        ...(search ? { name: containsText(search) } : {}),
      },
      include: { gitRepo: true },
      orderBy: [{ [field]: direction }, { name: 'asc' }, { id: 'asc' }],
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
