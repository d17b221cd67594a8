import type { Bundle, GitRepo } from '@flotilla/db';
import { drivenBundleSchema, type DrivenBundle } from '@flotilla/engine';
import { z } from 'zod';
import { storedTargets, type Target } from '../targets/targets.ts';

export interface BundleSummaryDto {
  id: string;
  name: string;
  path: string;
  /** The options file read instead of fleet.yaml ("" for the usual one). */
  optionsFile: string;
  commit: string | null;
  renderError: string;
  isPresent: boolean;
}

export interface GitRepoDto {
  id: string;
  name: string;
  url: string;
  branch: string;
  revision: string | null;
  paths: string[];
  /** Fleet's user-driven bundle scan (GitRepo spec.bundles); empty walks `paths`. */
  drivenBundles: DrivenBundle[];
  targets: Target[];
  pollIntervalSeconds: number;
  /** Secrets are write-only: only whether they are set. */
  hasAuth: boolean;
  /** Whether chart repository / registry credentials (helmAuth) are set. */
  hasHelmAuth: boolean;
  hasWebhookSecret: boolean;
  commit: string | null;
  fetchedAt: string | null;
  state: 'Pending' | 'Fetching' | 'Ready' | 'Error';
  message: string;
  lastErrorAt: string | null;
  /** The repository's web page for a commit, when it is on GitHub. */
  commitUrlTemplate: string | null;
  bundles: BundleSummaryDto[];
  createdAt: string;
}

export function toBundleSummary(bundle: Bundle): BundleSummaryDto {
  return {
    id: bundle.id,
    name: bundle.name,
    path: bundle.path,
    optionsFile: bundle.optionsFile,
    commit: bundle.commit,
    renderError: bundle.renderError,
    isPresent: bundle.isPresent,
  };
}

export function githubCommitUrlTemplate(url: string): string | null {
  const match = /^https?:\/\/github\.com\/([^/]+)\/([^/]+?)(\.git)?\/?$/.exec(url);
  return match ? `https://github.com/${match[1]}/${match[2]}/commit/{commit}` : null;
}

export function toGitRepoDto(repo: GitRepo, bundles: Bundle[] = []): GitRepoDto {
  return {
    id: repo.id,
    name: repo.name,
    url: repo.url,
    branch: repo.branch,
    revision: repo.revision,
    paths: repo.paths,
    drivenBundles: storedDrivenBundles(repo.drivenBundles),
    targets: storedTargets(repo.targets),
    pollIntervalSeconds: repo.pollIntervalSeconds,
    hasAuth: repo.auth !== null,
    hasHelmAuth: repo.helmAuth !== null,
    hasWebhookSecret: repo.webhookSecret !== null,
    commit: repo.commit,
    fetchedAt: repo.fetchedAt?.toISOString() ?? null,
    state: repo.state,
    message: repo.message,
    lastErrorAt: repo.lastErrorAt?.toISOString() ?? null,
    commitUrlTemplate: githubCommitUrlTemplate(repo.url),
    bundles: bundles.filter((bundle) => bundle.isPresent).map(toBundleSummary),
    createdAt: repo.createdAt.toISOString(),
  };
}

/** The JSON column as written by createGitRepo / updateGitRepo; anything else reads as none. */
export function storedDrivenBundles(value: unknown): DrivenBundle[] {
  const parsed = z.array(drivenBundleSchema).safeParse(value);
  return parsed.success ? parsed.data : [];
}
