import type { SyncWindow as SyncWindowRow } from '@flotilla/db';
import { evaluateSyncWindows, type SyncWindow } from '@flotilla/engine';
import { storedTargets, type Target } from '../targets/targets.ts';

export interface SyncWindowDto {
  id: string;
  name: string;
  kind: 'allow' | 'deny';
  schedule: string;
  duration: string;
  timeZone: string;
  targets: Target[];
  manualSync: boolean;
  /** Whether the window is open now (it currently allows, or currently denies). */
  isActive: boolean;
  createdAt: string;
}

/** A stored window as the engine reads it (targets decoded; an unreadable one matches nothing). */
export function syncWindowOf(row: SyncWindowRow): SyncWindow {
  return {
    name: row.name,
    kind: row.kind,
    schedule: row.schedule,
    duration: row.duration,
    timeZone: row.timeZone,
    targets: storedTargets(row.targets),
    manualSync: row.manualSync,
  };
}

export function toSyncWindowDto(row: SyncWindowRow, now: Date): SyncWindowDto {
  const window = syncWindowOf(row);
  // Alone, an allow window allows exactly while it is open and a deny one denies exactly then.
  const verdict = evaluateSyncWindows([window], now);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    schedule: row.schedule,
    duration: row.duration,
    timeZone: row.timeZone,
    targets: storedTargets(row.targets),
    manualSync: row.manualSync,
    isActive: row.kind === 'allow' ? verdict.isAllowed : !verdict.isAllowed,
    createdAt: row.createdAt.toISOString(),
  };
}
