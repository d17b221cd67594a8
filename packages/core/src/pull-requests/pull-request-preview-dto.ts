import type { GitRepo, PullRequestPreview } from '@flotilla/db';
import { previewResultsOf, previewTotals, type PreviewBundleResult } from './schemas.ts';

export interface PullRequestPreviewSummaryDto {
  id: string;
  gitRepo: { id: string; name: string };
  number: number;
  title: string;
  headSha: string;
  baseSha: string;
  isFork: boolean;
  isOpen: boolean;
  state: 'Pending' | 'Ready' | 'Failed';
  /** The check run's conclusion: success, failure or neutral; null while pending. */
  conclusion: string | null;
  summary: string;
  bundlesChanged: string[];
  clustersAffected: string[];
  objects: { added: number; changed: number; removed: number };
  /** Why the last post to GitHub failed; "" when it worked. */
  lastError: string;
  updatedAt: string;
}

export interface PullRequestPreviewDto extends PullRequestPreviewSummaryDto {
  bundles: PreviewBundleResult[];
}

type Row = PullRequestPreview & { gitRepo: Pick<GitRepo, 'id' | 'name'> };

export function toPullRequestPreviewSummaryDto(row: Row): PullRequestPreviewSummaryDto {
  const results = previewResultsOf(row.results);
  const totals = previewTotals(results);
  return {
    id: row.id,
    gitRepo: { id: row.gitRepo.id, name: row.gitRepo.name },
    number: row.number,
    title: row.title,
    headSha: row.headSha,
    baseSha: row.baseSha,
    isFork: row.isFork,
    isOpen: row.isOpen,
    state: row.state,
    conclusion: row.conclusion,
    summary: row.summary,
    bundlesChanged: results.map((bundle) => bundle.bundleName),
    clustersAffected: totals.clustersAffected,
    objects: { added: totals.added, changed: totals.changed, removed: totals.removed },
    lastError: row.lastError,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPullRequestPreviewDto(row: Row): PullRequestPreviewDto {
  return { ...toPullRequestPreviewSummaryDto(row), bundles: previewResultsOf(row.results) };
}
