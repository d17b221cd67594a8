import { forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { storedTargets } from '../targets/targets.ts';
import { targetsView, type BundleTargetsDto } from './bundle-targets-view.ts';

export async function getBundleTargets({
  ctx,
  principal,
  bundleId,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  bundleId: string;
}): Promise<BundleTargetsDto> {
  const bundle = await forWorkspace(ctx.db, principal.workspaceId).bundle.findUnique({
    where: { id: bundleId },
    include: { gitRepo: true },
  });
  if (!bundle) throw AppError.notFound('bundle');
  const inherited = bundle.targets === null;
  return targetsView(
    ctx,
    principal.workspaceId,
    storedTargets(inherited ? bundle.gitRepo.targets : bundle.targets),
    inherited,
  );
}
