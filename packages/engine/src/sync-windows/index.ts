export {
  checkTimeZone,
  checkWindowSchedule,
  evaluateSyncWindows,
  nextSyncWindowEdge,
  parseWindowDuration,
  syncWindowVerdict,
  windowsForCluster,
} from './sync-windows.ts';
export type { SyncWindow, SyncWindowVerdict } from './sync-windows.ts';
