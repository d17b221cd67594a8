import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { parseTargets } from '../targets/targets.ts';
import { targetsView, type BundleTargetsDto } from './bundle-targets-view.ts';

/** Previews targets without saving them: the editor's live preview. */
export async function previewTargets({
  ctx,
  principal,
  targets,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  targets: unknown;
}): Promise<BundleTargetsDto> {
  return targetsView(ctx, principal.workspaceId, parseTargets(targets), false);
}
