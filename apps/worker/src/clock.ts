import { readFileSync, statSync } from 'node:fs';

/**
 * The worker's clock (ctx.now). In production the real one. With FLOTILLA_CLOCK_OFFSET_FILE
 * (tests only) the real one plus the milliseconds the file holds: an integration test moves
 * the worker's time forward (a sync window opens) by writing the file, never by sleeping.
 * The file is read again only when its mtime changes; a missing or unreadable file adds 0.
 */
export function createClock(offsetFile?: string): () => Date {
  if (!offsetFile) return () => new Date();
  let seenMtimeMs = -1;
  let offsetMs = 0;
  return () => {
    try {
      const { mtimeMs } = statSync(offsetFile);
      if (mtimeMs !== seenMtimeMs) {
        seenMtimeMs = mtimeMs;
        const value = Number(readFileSync(offsetFile, 'utf8').trim());
        offsetMs = Number.isFinite(value) ? value : 0;
      }
    } catch {
      offsetMs = 0;
    }
    return new Date(Date.now() + offsetMs);
  };
}
