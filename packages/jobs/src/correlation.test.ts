import { describe, expect, it } from 'vitest';
import { deployJob, gitSyncJob, monitorJob, planJob, renderJob } from './contracts/index.ts';
import {
  correlationIdFrom,
  correlationLogFields,
  currentCorrelationId,
  withCorrelationId,
} from './correlation.ts';

const COMMIT = 'a'.repeat(40);

describe('correlation ids', () => {
  it('takes a GitHub delivery id as it is and replaces anything that is not an id', () => {
    expect(correlationIdFrom('72d3162e-cc78-11e3-81ab-4c9367dc0958')).toBe(
      '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    );
    for (const bad of [null, undefined, '', 'has spaces', 'x'.repeat(65), 'a:b']) {
      const minted = correlationIdFrom(bad);
      expect(minted).toMatch(/^[0-9a-f-]{36}$/);
      expect(minted).not.toBe(bad);
    }
  });

  it('is current inside withCorrelationId, across awaits, and nowhere else', async () => {
    expect(currentCorrelationId()).toBeUndefined();
    expect(correlationLogFields()).toEqual({});
    const seen = await withCorrelationId('commit-1', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return [currentCorrelationId(), correlationLogFields()];
    });
    expect(seen).toEqual(['commit-1', { correlationId: 'commit-1' }]);
    expect(currentCorrelationId()).toBeUndefined();
  });

  it.each([
    ['git-sync', gitSyncJob.schema, { gitRepoId: 'r1', reason: 'poll' }],
    ['render', renderJob.schema, { bundleId: 'b1', commit: COMMIT }],
    ['plan', planJob.schema, { bundleId: 'b1' }],
    ['deploy', deployJob.schema, { deploymentId: 'd1', desiredHash: 'prune' }],
  ] as const)(
    '%s payloads parse with and without a correlation id (queued before the field existed)',
    (_name, schema, payload) => {
      expect(schema.safeParse(payload).success).toBe(true);
      const parsed = schema.parse({ ...payload, correlationId: 'c-1' });
      expect(parsed).toMatchObject({ correlationId: 'c-1' });
      const refused = schema.safeParse({ ...payload, correlationId: 'not an id' });
      expect(refused.success).toBe(false);
      expect(refused.error?.issues[0]?.path).toEqual(['correlationId']);
    },
  );

  it('is dropped from payloads of jobs outside the commit-to-apply path', () => {
    expect(monitorJob.schema.parse({ clusterId: 'c1', correlationId: 'c-1' })).toEqual({
      clusterId: 'c1',
    });
  });
});
