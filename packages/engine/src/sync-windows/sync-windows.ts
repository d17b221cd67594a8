import { CronExpressionParser, type CronExpression } from 'cron-parser';
import {
  matchTargetInGroups,
  clusterGroupsOf,
  type TargetLike,
} from '../targeting/match-target.ts';
import type { ClusterFacts, ClusterGroupFacts } from '../types.ts';

/**
 * Argo CD's sync window, per workspace: from each `schedule` time (5-field cron in `timeZone`)
 * for `duration`, changes to the clusters its targets match are allowed (allow) or held (deny).
 */
export interface SyncWindow {
  name: string;
  kind: 'allow' | 'deny';
  schedule: string;
  /** Go's duration syntax as Argo CD takes it: "7h", "1h30m", "45m". */
  duration: string;
  /** IANA name, e.g. "Europe/Berlin". */
  timeZone: string;
  /** Any target matching a cluster puts the cluster under the window (Fleet's target rules). */
  targets: readonly TargetLike[];
  /** A manual sync may pass while this window holds changes back. */
  manualSync: boolean;
}

/** Whether a change may be applied to a cluster now, and if not, when it next may. */
export type SyncWindowVerdict =
  | { isAllowed: true }
  | {
      isAllowed: false;
      /** The next time changes are allowed; null when none comes within a year. */
      until: Date | null;
      /** The windows holding the change back (active denies, else the cluster's allows). */
      blockedBy: string[];
      /** Every window holding the change back lets a manual sync through. */
      canSyncManually: boolean;
    };

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const MAX_DURATION_MS = 366 * 24 * 3600_000;
/** How far ahead "held until" looks; a window set that never opens says so instead. */
const HORIZON_MS = 366 * 24 * 3600_000;
/** Bounds the walk over window edges, which a minutely schedule could make long. */
const MAX_STEPS = 2000;

/** The duration in milliseconds, or an error naming what is wrong. */
export function parseWindowDuration(duration: string): number | { error: string } {
  const match = DURATION.exec(duration.trim());
  if (!match || duration.trim() === '')
    return { error: 'must be hours, minutes and seconds such as "7h", "1h30m" or "45m"' };
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  const ms = (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds)) * 1000;
  if (ms <= 0) return { error: 'must be longer than zero' };
  if (ms > MAX_DURATION_MS) return { error: 'must be at most 8784h (a year)' };
  return ms;
}

/** Null when the schedule is a valid 5-field cron expression in the time zone, else why not. */
export function checkWindowSchedule(schedule: string, timeZone: string): string | null {
  if (schedule.trim().split(/\s+/).length !== 5)
    return 'must have 5 fields: minute hour day-of-month month day-of-week';
  try {
    // cron-parser takes 6 fields (seconds first) and macros too; Argo CD takes 5.
    CronExpressionParser.parse(schedule, { tz: timeZone, strict: false }).next().toDate();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Null when `timeZone` is an IANA time zone this runtime knows, else why not. */
export function checkTimeZone(timeZone: string): string | null {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return null;
  } catch {
    return `unknown time zone "${timeZone}" (use an IANA name such as "Europe/Berlin")`;
  }
}

/** The windows whose targets match the cluster. */
export function windowsForCluster(
  windows: readonly SyncWindow[],
  cluster: ClusterFacts,
  groups: readonly ClusterGroupFacts[],
): SyncWindow[] {
  const memberOf = clusterGroupsOf(cluster, groups);
  return windows.filter((window) =>
    window.targets.some((target) => matchTargetInGroups(target, cluster, memberOf)),
  );
}

interface Timed {
  window: SyncWindow;
  durationMs: number;
  cron: CronExpression;
}

/**
 * Argo CD's rule over the windows that apply to a cluster: an active deny window holds every
 * change (deny wins); when allow windows apply, changes pass only while one of them is active;
 * with no window, always. A held change learns when it may next pass, by walking the window
 * edges (starts and ends) forward from `now`. Pure: windows that fail to parse hold nothing,
 * since the API refuses them before they are stored.
 */
export function evaluateSyncWindows(windows: readonly SyncWindow[], now: Date): SyncWindowVerdict {
  const timed = windows.flatMap((window): Timed[] => {
    const durationMs = parseWindowDuration(window.duration);
    if (typeof durationMs !== 'number') return [];
    try {
      const cron = CronExpressionParser.parse(window.schedule, { tz: window.timeZone });
      return [{ window, durationMs, cron }];
    } catch {
      return [];
    }
  });
  if (timed.length === 0) return { isAllowed: true };
  const first = decide(timed, now.getTime());
  if (first.isAllowed) return { isAllowed: true };
  const blockers = first.activeDenies.length > 0 ? first.activeDenies : first.allows;
  const canSyncManually =
    first.activeDenies.every((entry) => entry.window.manualSync) &&
    (first.activeDenies.length > 0 || first.allows.some((entry) => entry.window.manualSync));
  let at = now.getTime();
  let until: Date | null = null;
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const edge = nextEdge(timed, at);
    if (edge === null || edge - now.getTime() > HORIZON_MS) break;
    at = edge;
    if (decide(timed, at).isAllowed) {
      until = new Date(at);
      break;
    }
  }
  return {
    isAllowed: false,
    until,
    blockedBy: blockers.map((entry) => entry.window.name),
    canSyncManually,
  };
}

function decide(
  timed: readonly Timed[],
  at: number,
): { isAllowed: boolean; activeDenies: Timed[]; allows: Timed[] } {
  const activeDenies = timed.filter(
    (entry) => entry.window.kind === 'deny' && activeEnd(entry, at) !== null,
  );
  const allows = timed.filter((entry) => entry.window.kind === 'allow');
  const isAllowed =
    activeDenies.length === 0 &&
    (allows.length === 0 || allows.some((entry) => activeEnd(entry, at) !== null));
  return { isAllowed, activeDenies, allows };
}

/** When the window closes if it is open at `at` (its latest start is within its duration). */
function activeEnd(entry: Timed, at: number): number | null {
  const start = latestStart(entry, at);
  if (start === null) return null;
  const end = start + entry.durationMs;
  return at < end ? end : null;
}

/** The latest start at or before `at` (cron-parser's prev() is strictly before its date). */
function latestStart(entry: Timed, at: number): number | null {
  try {
    entry.cron.reset(new Date(at + 1));
    return entry.cron.prev().toDate().getTime();
  } catch {
    return null;
  }
}

/** The first start after `at`. */
function nextStart(entry: Timed, at: number): number | null {
  try {
    entry.cron.reset(new Date(at));
    return entry.cron.next().toDate().getTime();
  } catch {
    return null;
  }
}

/** The first moment after `at` at which some window opens or closes. */
function nextEdge(timed: readonly Timed[], at: number): number | null {
  let edge: number | null = null;
  for (const entry of timed) {
    const end = activeEnd(entry, at);
    const candidate = end ?? nextStart(entry, at);
    if (candidate !== null && candidate > at && (edge === null || candidate < edge))
      edge = candidate;
  }
  return edge;
}

/**
 * When the window next opens or closes after `now`: a verdict can change only then, so the
 * scheduler re-plans at that time. Null for a window that does not parse.
 */
export function nextSyncWindowEdge(window: SyncWindow, now: Date): Date | null {
  const durationMs = parseWindowDuration(window.duration);
  if (typeof durationMs !== 'number') return null;
  try {
    const cron = CronExpressionParser.parse(window.schedule, { tz: window.timeZone });
    const edge = nextEdge([{ window, durationMs, cron }], now.getTime());
    return edge === null ? null : new Date(edge);
  } catch {
    return null;
  }
}

/**
 * The verdict for one cluster: the windows targeting it, evaluated at `now`. What planning,
 * drift correction and a manual sync all ask.
 */
export function syncWindowVerdict(
  windows: readonly SyncWindow[],
  cluster: ClusterFacts,
  groups: readonly ClusterGroupFacts[],
  now: Date,
): SyncWindowVerdict {
  if (windows.length === 0) return { isAllowed: true };
  return evaluateSyncWindows(windowsForCluster(windows, cluster, groups), now);
}
