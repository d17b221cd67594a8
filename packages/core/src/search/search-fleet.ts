import { clusterIdsWithLabelText, containsText, forWorkspace } from '@flotilla/db';
import type { Principal } from '../auth/principal.ts';
import { labelsOf } from '../clusters/serialize.ts';
import type { CoreContext } from '../context.ts';
import { parseSearchTerms } from './search-terms.ts';

export type SearchResultKind = 'cluster' | 'bundle' | 'gitrepo';

export interface SearchResultDto {
  kind: SearchResultKind;
  id: string;
  name: string;
  /** One line that tells two results of the same name apart (repo and path, connectivity, URL). */
  detail: string;
  /** A cluster's labels; empty for bundles and repositories, which have none. */
  labels: Record<string, string>;
}

// Rows read per kind before ranking: enough that an exact name is not lost behind many
// alphabetically earlier substrings, few enough to keep a keystroke's query cheap.
const CANDIDATES_PER_KIND = 100;

function rank(name: string, words: readonly string[]): number {
  const lower = name.toLowerCase();
  if (words.length === 0) return 2;
  if (words.some((word) => lower === word)) return 0;
  if (words.some((word) => lower.startsWith(word))) return 1;
  // A cluster found by a word in its labels, not its name, comes after the name matches.
  if (!words.every((word) => lower.includes(word))) return 3;
  return 2;
}

function byRank<T extends { name: string }>(
  rows: T[],
  words: readonly string[],
  limit: number,
): T[] {
  return rows
    .map((row) => ({ row, rank: rank(row.name, words) }))
    .sort((a, b) => a.rank - b.rank || a.row.name.localeCompare(b.row.name, 'en'))
    .slice(0, limit)
    .map(({ row }) => row);
}

/**
 * The dashboard's global search: clusters, bundles and repositories of the caller's workspace
 * whose name contains every word, and (clusters) whose labels hold every `key=value`. A word also
 * finds a cluster by a label key or value that contains it (`prod` finds `env=prod`). Each kind
 * answers at most `limit` results, best first: an exact name, then a prefix, then other names
 * A-Z, then clusters found by their labels.
 */
export async function searchFleet({
  ctx,
  principal,
  q,
  limit = 8,
}: {
  ctx: Pick<CoreContext, 'db'>;
  principal: Principal;
  q: string;
  limit?: number;
}): Promise<{ items: SearchResultDto[] }> {
  const terms = parseSearchTerms(q);
  if (terms.names.length === 0 && terms.labels.length === 0) return { items: [] };
  const words = terms.names.map((word) => word.toLowerCase());
  const nameFilters = terms.names.map((word) => ({ name: containsText(word) }));
  const hasLabelTerms = terms.labels.length > 0;
  const db = forWorkspace(ctx.db, principal.workspaceId);
  const labelTextIds = await Promise.all(
    terms.names.map((word) =>
      clusterIdsWithLabelText(ctx.db, principal.workspaceId, word, CANDIDATES_PER_KIND),
    ),
  );
  const labelFilters = terms.labels.map(({ key, value }) => ({
    labels: { path: [key], equals: value },
  }));
  const clusterQuery = (byName: readonly object[]) =>
    db.cluster.findMany({
      where: { AND: [...byName, ...labelFilters] },
      select: { id: true, name: true, labels: true, connectivity: true },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: CANDIDATES_PER_KIND,
    });
  const [byName, byNameOrLabel, bundles, repos] = await Promise.all([
    // By name alone too: many clusters found by a label must not push a name match out of
    // the candidates (`prod` in a fleet of a thousand env=prod clusters and one named prod).
    clusterQuery(nameFilters),
    labelTextIds.some((ids) => ids.length > 0)
      ? clusterQuery(
          nameFilters.map((filter, index) => ({
            OR: [filter, { id: { in: labelTextIds[index] ?? [] } }],
          })),
        )
      : [],
    hasLabelTerms
      ? []
      : db.bundle.findMany({
          where: { AND: nameFilters, isPresent: true, gitRepo: { deletedAt: null } },
          select: { id: true, name: true, path: true, gitRepo: { select: { name: true } } },
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
          take: CANDIDATES_PER_KIND,
        }),
    hasLabelTerms
      ? []
      : db.gitRepo.findMany({
          where: { AND: nameFilters, deletedAt: null },
          select: { id: true, name: true, url: true, branch: true },
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
          take: CANDIDATES_PER_KIND,
        }),
  ]);
  const clusters = [...new Map([...byName, ...byNameOrLabel].map((row) => [row.id, row])).values()];
  return {
    items: [
      ...byRank(clusters, words, limit).map((cluster): SearchResultDto => ({
        kind: 'cluster',
        id: cluster.id,
        name: cluster.name,
        detail: cluster.connectivity,
        labels: labelsOf(cluster.labels),
      })),
      ...byRank(bundles, words, limit).map((bundle): SearchResultDto => ({
        kind: 'bundle',
        id: bundle.id,
        name: bundle.name,
        detail: `${bundle.gitRepo.name} · ${bundle.path}`,
        labels: {},
      })),
      ...byRank(repos, words, limit).map((repo): SearchResultDto => ({
        kind: 'gitrepo',
        id: repo.id,
        name: repo.name,
        detail: `${repo.url} (${repo.branch})`,
        labels: {},
      })),
    ],
  };
}
