import {
  checkTimeZone,
  checkWindowSchedule,
  parseWindowDuration,
  type SyncWindow,
} from '@flotilla/engine';
import { z } from 'zod';
import { displayName } from '../clusters/schemas.ts';
import { AppError, toFieldErrors, type FieldError } from '../errors.ts';
import { parseTargets, type Target } from '../targets/targets.ts';

const windowFields = z
  .object({
    name: displayName,
    kind: z.enum(['allow', 'deny'], { error: 'must be "allow" or "deny"' }),
    schedule: z.string().trim().min(1, 'is required').max(200),
    duration: z.string().trim().min(1, 'is required').max(40),
    timeZone: z.string().trim().min(1, 'is required').max(100).default('UTC'),
    targets: z.array(z.unknown()).min(1, 'a window needs at least one target').max(100),
    manualSync: z.boolean().default(false),
  })
  .strict();

export const syncWindowInput = windowFields;
export const updateSyncWindowInput = windowFields.partial();

export interface SyncWindowData extends Omit<SyncWindow, 'targets'> {
  targets: Target[];
}

/**
 * Validates a window from the API; every error names its field (`schedule`, `timeZone`,
 * `targets[0].clusterSelector`), including what cron-parser finds wrong with the schedule.
 */
export function parseSyncWindowInput(input: unknown): SyncWindowData {
  const parsed = syncWindowInput.safeParse(input);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  return checkWindow(parsed.data);
}

/** A partial update merged over the stored window, checked as a whole. */
export function parseSyncWindowUpdate(input: unknown, stored: SyncWindowData): SyncWindowData {
  const parsed = updateSyncWindowInput.safeParse(input);
  if (!parsed.success) throw AppError.validation(toFieldErrors(parsed.error.issues));
  const changes = Object.fromEntries(
    Object.entries(parsed.data).filter(([, value]) => value !== undefined),
  );
  return checkWindow({ ...stored, ...changes } as z.infer<typeof windowFields>);
}

function checkWindow(data: z.infer<typeof windowFields>): SyncWindowData {
  const errors: FieldError[] = [];
  const zoneProblem = checkTimeZone(data.timeZone);
  if (zoneProblem) errors.push({ path: 'timeZone', message: zoneProblem });
  const scheduleProblem = checkWindowSchedule(data.schedule, zoneProblem ? 'UTC' : data.timeZone);
  if (scheduleProblem) errors.push({ path: 'schedule', message: scheduleProblem });
  const duration = parseWindowDuration(data.duration);
  if (typeof duration !== 'number') errors.push({ path: 'duration', message: duration.error });
  let targets: Target[] = [];
  try {
    targets = parseTargets(data.targets);
  } catch (error) {
    if (!(error instanceof AppError) || !error.details.errors) throw error;
    errors.push(...error.details.errors);
  }
  if (errors.length > 0) throw AppError.validation(errors);
  return {
    name: data.name,
    kind: data.kind,
    schedule: data.schedule,
    duration: data.duration,
    timeZone: data.timeZone,
    targets,
    manualSync: data.manualSync,
  };
}
