/** Display helpers shared by the pages: pure, so they are tested as tables. */

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 min ago", "in 2 hours", "just now": from an ISO time relative to `now`. */
export function relativeTime(iso: string, now: Date = new Date()): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  if (Number.isNaN(seconds)) return 'unknown';
  if (Math.abs(seconds) < 45) return 'just now';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds / 60), 'minute');
}

export function absoluteTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString('en-GB', { timeZoneName: 'short' });
}

export function shortSha(sha: string | null | undefined, length = 8): string {
  return sha ? sha.slice(0, length) : '—';
}

/**
 * The web page of a commit, only for an http(s) template; anything else (a hostile repository
 * URL shaped into `javascript:`) yields no link.
 */
export function commitUrl(
  template: string | null | undefined,
  commit: string | null | undefined,
): string | null {
  if (!template || !commit || !/^[0-9a-f]{4,64}$/i.test(commit)) return null;
  const url = template.replaceAll('{commit}', commit);
  return isHttpUrl(url) ? url : null;
}

export function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

export function pluralize(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}
