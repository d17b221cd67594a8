import { clusterIdsMatching, forWorkspace, pageArgs, toPage, type Page } from '@flotilla/db';
import { EngineError, normalizeSelectorInput } from '@flotilla/engine';
import type { Principal } from '../auth/principal.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { toClusterDto, type ClusterDto } from './serialize.ts';

/** Parses a selector from the API (string or object form), as a 422 naming the position. */
export function parseSelectorInput(input: unknown, path: string) {
  try {
    return normalizeSelectorInput(input);
  } catch (error) {
    if (error instanceof EngineError) {
      throw AppError.validation([
        {
          path: error.where
            ? `${path}${error.where.startsWith('[') ? '' : '.'}${error.where}`
            : path,
          message: error.message,
        },
      ]);
    }
    throw error;
  }
}

export async function listClusters({
  ctx,
  principal,
  selector,
  limit = 100,
  cursor,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  selector?: string | undefined;
  limit?: number;
  cursor?: string | undefined;
}): Promise<Page<ClusterDto>> {
  const parsed =
    selector !== undefined && selector.trim() !== ''
      ? parseSelectorInput(selector, 'selector')
      : undefined;
  const ids = parsed ? await clusterIdsMatching(ctx.db, principal.workspaceId, parsed) : undefined;
  const rows = await forWorkspace(ctx.db, principal.workspaceId).cluster.findMany({
    where: ids ? { id: { in: ids } } : {},
    ...pageArgs({ limit, cursor }),
  });
  const page = toPage(rows, limit);
  return { items: page.items.map(toClusterDto), nextCursor: page.nextCursor };
}
