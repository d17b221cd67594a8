import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS, safeJobId } from '../constants.ts';
import { correlationId } from '../correlation.ts';
import { defineJob } from './define.ts';
import { commitSha, id } from './ids.ts';

/** Render one bundle at one commit (every customization), then plan it. */
export const renderJob = defineJob({
  name: 'render',
  schema: z.object({ bundleId: id, commit: commitSha, correlationId: correlationId.optional() }),
  options: DEFAULT_JOB_OPTIONS,
  jobId: ({ bundleId, commit }) => safeJobId('render', bundleId, commit.slice(0, 16)),
});
