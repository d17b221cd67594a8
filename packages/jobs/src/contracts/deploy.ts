import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS, safeJobId } from '../constants.ts';
import { correlationId } from '../correlation.ts';
import { defineJob } from './define.ts';
import { id, sha256 } from './ids.ts';

/**
 * Apply one deployment's desired revision to its cluster (or prune it when orphaned). The id is
 * the deployment plus the desired hash: a second request for the same revision collapses into
 * the queued one, while a newer revision gets a job of its own.
 */
export const deployJob = defineJob({
  name: 'deploy',
  schema: z.object({
    deploymentId: id,
    desiredHash: sha256.or(z.literal('prune')),
    /** Re-apply forcing conflicts even though applied = desired (drift correction). */
    isCorrection: z.boolean().default(false),
    correlationId: correlationId.optional(),
  }),
  options: { ...DEFAULT_JOB_OPTIONS, attempts: 6 },
  jobId: ({ deploymentId, desiredHash, isCorrection }) =>
    safeJobId('deploy', deploymentId, desiredHash.slice(0, 16), isCorrection ? 'fix' : 'apply'),
});
