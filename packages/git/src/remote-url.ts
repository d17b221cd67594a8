import { GitError } from './errors.ts';

export interface RemoteUrl {
  url: string;
  protocol: 'https' | 'http' | 'file';
  /**
   * host[:port] exactly as written in the URL. Git shows this form in its credential prompts,
   * which the askpass helper checks (a WHATWG URL would drop a default port that git keeps).
   */
  authority: string;
}

/**
 * Checks a repository URL before git sees it. Only https and http are fetched; file:// only when
 * the caller allows it (tests, the demo). Everything else is refused: scp-like and ssh:// URLs
 * (no key handling yet), `ext::` and `fd::` transports (they run commands), bare local paths
 * (they read the worker's disk), and credentials in the URL (they would end up in the database,
 * process arguments and logs).
 */
export function parseRemoteUrl(
  url: string,
  { allowFileUrls = false }: { allowFileUrls?: boolean } = {},
): RemoteUrl {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(url);
  const scheme = match?.[1]?.toLowerCase();
  if (!match || scheme === undefined) {
    throw new GitError(
      'InvalidUrl',
      `"${redactUrl(url)}" is not a URL git can fetch: use https://host/owner/repo`,
    );
  }
  if (/\s/.test(url) || url.startsWith('-')) {
    throw new GitError('InvalidUrl', `"${redactUrl(url)}" is not a valid repository URL`);
  }
  const isSupported =
    scheme === 'https' || scheme === 'http' || (scheme === 'file' && allowFileUrls);
  if (!isSupported)
    throw new GitError('InvalidUrl', `${scheme}:// URLs are not supported: use https://`);
  const authority = match[2] ?? '';
  // Any "@" counts, not only one in the authority: in "https://user:pa/ss@host" the password
  // itself holds the first "/".
  if ((url.split(/[?#]/)[0] ?? '').includes('@')) {
    throw new GitError(
      'InvalidUrl',
      `"${redactUrl(url)}" carries credentials in the URL: give them as the repository's auth instead`,
    );
  }
  if (scheme === 'file') return { url, protocol: 'file', authority };
  if (authority === '') throw new GitError('InvalidUrl', `"${url}" has no host`);
  return { url, protocol: scheme === 'https' ? 'https' : 'http', authority };
}

/** The URL without userinfo (everything up to the last "@" before the query), for messages. */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (scheme === undefined) return url;
  const rest = url.slice(scheme.length);
  const beforeQuery = rest.split(/[?#]/)[0] ?? '';
  const at = beforeQuery.lastIndexOf('@');
  return at < 0 ? url : `${scheme}${rest.slice(at + 1)}`;
}

/**
 * Whether `name` is a branch or tag name git accepts (git-check-ref-format's rules). Checked
 * before it goes into a refspec, where a ":" or "*" would change what the fetch writes.
 */
export function isValidRefName(name: string): boolean {
  if (
    name === '' ||
    name === '@' ||
    name.startsWith('-') ||
    name.startsWith('/') ||
    name.endsWith('/')
  )
    return false;
  if (name.endsWith('.') || name.endsWith('.lock') || name.includes('..') || name.includes('@{'))
    return false;
  if (name.includes('//')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}
