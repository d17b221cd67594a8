import {
  clusterIdsMatching,
  containsText,
  forWorkspace,
  pageArgs,
  toPage,
  type Page,
} from '@flotilla/db';
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

/** The columns a cluster list sorts by; `-` first sorts descending. */
export const CLUSTER_SORTS = [
  'name',
  '-name',
  'connectivity',
  '-connectivity',
  'kubernetesVersion',
  '-kubernetesVersion',
  'createdAt',
  '-createdAt',
] as const;
export type ClusterSort = (typeof CLUSTER_SORTS)[number];

type SortField = 'name' | 'connectivity' | 'kubernetesVersion' | 'createdAt';

/**
 * The order of a page: the column asked for, then the name and the id, so equal values keep
 * one order from page to page (the cursor resumes after a row, which needs a total order).
 */
function orderOf(sort: ClusterSort) {
  const direction = sort.startsWith('-') ? ('desc' as const) : ('asc' as const);
  const field = sort.replace(/^-/, '') as SortField;
  const tail = field === 'name' ? [] : [{ name: 'asc' as const }];
  return [{ [field]: direction } as Record<SortField, 'asc' | 'desc'>, ...tail, { id: direction }];
}

/**
 * A page of clusters: those whose name contains `q` (any case) and whose labels match
 * `selector`, sorted by `sort` (by name unless asked).
 */
export async function listClusters({
  ctx,
  principal,
  selector,
  q,
  sort = 'name',
  limit = 100,
  cursor,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  selector?: string | undefined;
  q?: string | undefined;
  sort?: ClusterSort | undefined;
  limit?: number;
  cursor?: string | undefined;
}): Promise<Page<ClusterDto>> {
  const parsed =
    selector !== undefined && selector.trim() !== ''
      ? parseSelectorInput(selector, 'selector')
      : undefined;
  const ids = parsed ? await clusterIdsMatching(ctx.db, principal.workspaceId, parsed) : undefined;
  const rows = await forWorkspace(ctx.db, principal.workspaceId).cluster.findMany({
    where: {
      ...(ids ? { id: { in: ids } } : {}),
      ...(q && q.trim() !== '' ? { name: containsText(q.trim()) } : {}),
    },
    ...pageArgs({ limit, cursor }),
    orderBy: orderOf(sort),
  });
  const page = toPage(rows, limit);
  return { items: page.items.map(toClusterDto), nextCursor: page.nextCursor };
}
