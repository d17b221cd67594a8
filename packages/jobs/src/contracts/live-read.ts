import { z } from 'zod';
import { DEFAULT_JOB_OPTIONS } from '../constants.ts';
import { defineJob } from './define.ts';
import { id } from './ids.ts';

const name = z.string().min(1).max(253);

/**
 * A read of one deployment's live objects for the dashboard (GET /deployments/{id}/live and
 * its events), done by the worker: cluster credentials are opened only there. The web waits
 * for the answer (JobQueues.requestLiveRead), so the job is never retried and its answer (masked
 * objects, never a credential) is kept a short while for the web to pick up.
 */
export const liveReadJob = defineJob({
  name: 'live-read',
  schema: z.object({
    deploymentId: id,
    workspaceId: id,
    request: z.discriminatedUnion('what', [
      z.object({ what: z.literal('objects') }),
      z.object({
        what: z.literal('events'),
        object: z.object({
          apiVersion: name,
          kind: name,
          namespace: name,
          name,
        }),
      }),
    ]),
  }),
  options: {
    ...DEFAULT_JOB_OPTIONS,
    attempts: 1,
    removeOnComplete: { age: 120 },
    removeOnFail: { age: 120 },
  },
});
