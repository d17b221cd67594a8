import { clusterIdsMatching, forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import { parseSelectorInput } from '../clusters/list-clusters.ts';
import type { CoreContext } from '../context.ts';

/**
 * The matrix's rows (clusters, by name) and columns (bundles, by name) after its two filters,
 * shared by the full and the compact form so that both show exactly the same cells.
 */
export interface MatrixFilters {
  selector?: string | undefined;
  bundle?: string | undefined;
}

export async function matchingClusterIds(
  ctx: Pick<CoreContext, 'db'>,
  principal: Principal,
  selector: string | undefined,
): Promise<string[] | undefined> {
  const parsed = selector?.trim() ? parseSelectorInput(selector, 'selector') : undefined;
  return parsed ? clusterIdsMatching(ctx.db, principal.workspaceId, parsed) : undefined;
}

export async function matrixBundles(
  ctx: Pick<CoreContext, 'db'>,
  principal: Principal,
  bundle: string | undefined,
) {
  const bundleFilter = bundle?.trim();
  return forWorkspace(ctx.db, principal.workspaceId).bundle.findMany({
    where: {
      isPresent: true,
      gitRepo: { deletedAt: null },
      ...(bundleFilter
        ? {
            OR: [
              { id: bundleFilter },
              { name: { contains: bundleFilter, mode: 'insensitive' as const } },
            ],
          }
        : {}),
    },
    select: {
      id: true,
      name: true,
      gitRepoId: true,
      paused: true,
      renderError: true,
      gitRepo: { select: { name: true } },
    },
    orderBy: { name: 'asc' },
  });
}
