/**
 * Where to go after signing in: the page that sent us here, but only a path on this site
 * (`/x`, never `//evil.example` or `https://...`), so the login page cannot be used to redirect.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
