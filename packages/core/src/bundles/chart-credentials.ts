import type { ChartAuth } from '@flotilla/charts';
import type { ChartRequest } from '@flotilla/engine';
import type { HelmAuth } from '../gitrepos/schemas.ts';

/**
 * The GitRepo's chart credentials for one chart, or undefined when they may not go there. With
 * `urlPrefixes` (Fleet's helmRepoURLRegex, as prefixes: no pattern to backtrack on), only a
 * chart whose location is at or below one of them gets them: whoever can push to the
 * repository cannot send them to a server of their choosing. Without, every chart source of
 * the repo gets them, as Fleet does without a regex.
 */
export function chartCredentialsFor(
  request: ChartRequest,
  helmAuth: HelmAuth | undefined,
): ChartAuth | undefined {
  if (!helmAuth) return undefined;
  const { username, password } = helmAuth;
  if (username === undefined || password === undefined) return undefined;
  const prefixes = helmAuth.urlPrefixes ?? [];
  if (prefixes.length === 0) return { username, password };
  const location = chartLocation(request);
  return prefixes.some((prefix) => isAtOrBelow(location, prefix))
    ? { username, password }
    : undefined;
}

/** Where a chart is fetched from: the repository, the chart URL, or the OCI reference. */
export function chartLocation(request: ChartRequest): string {
  if (request.repo.startsWith('oci://') && !request.chart.startsWith('oci://')) {
    return `${request.repo.replace(/\/+$/, '')}/${request.chart.replace(/^\/+/, '')}`;
  }
  return request.chart.includes('://') ? request.chart : request.repo;
}

/**
 * Same scheme, same host and port, and the path at or below the prefix's path on a segment
 * boundary: `https://charts.example.com` does not cover `https://charts.example.com.evil.io`,
 * nor `https://example.com/team` `https://example.com/teamevil`.
 */
export function isAtOrBelow(location: string, prefix: string): boolean {
  if (!URL.canParse(location) || !URL.canParse(prefix)) return false;
  const url = new URL(location);
  const base = new URL(prefix);
  if (url.protocol !== base.protocol || url.host !== base.host) return false;
  if (url.username || url.password) return false;
  const basePath = base.pathname.replace(/\/+$/, '');
  return url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
}
