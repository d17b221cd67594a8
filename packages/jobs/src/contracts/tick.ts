import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS } from '../constants.ts';
import { defineJob } from './define.ts';

/**
 * The scheduler's heartbeat (a BullMQ job scheduler repeats it): queue the probes, monitors and
 * polls that are due according to Postgres, and sweep deployments that have no job in flight.
 */
export const tickJob = defineJob({
  name: 'tick',
  schema: z.object({ kind: z.enum(['schedule', 'sweep']) }),
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 1 },
});
