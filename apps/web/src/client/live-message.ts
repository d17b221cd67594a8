import type { LiveUpdate } from '@flotilla/jobs';

const TYPES = new Set(['deployment', 'cluster', 'gitrepo', 'bundle', 'event']);

/**
 * One SSE `data:` payload: a JSON array of LiveUpdate. Anything else (a newer server's shape, a
 * truncated line) is dropped rather than thrown, since a live view must keep running.
 */
export function parseLiveMessage(data: string): LiveUpdate[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((entry): entry is LiveUpdate => {
    if (!entry || typeof entry !== 'object') return false;
    const record = entry as Record<string, unknown>;
    if (typeof record.type !== 'string' || !TYPES.has(record.type)) return false;
    switch (record.type) {
      case 'deployment':
        return (
          typeof record.deploymentId === 'string' &&
          typeof record.bundleId === 'string' &&
          typeof record.clusterId === 'string'
        );
      case 'cluster':
        return typeof record.clusterId === 'string';
      case 'gitrepo':
        return typeof record.gitRepoId === 'string';
      case 'bundle':
        return typeof record.bundleId === 'string';
      default:
        return typeof record.eventId === 'string';
    }
  });
}
