import { describe, expect, it } from 'vitest';
import { historyTrigger } from './record-history.ts';

describe('historyTrigger: why a deploy ran, as its history entry says', () => {
  const PINNED = 'a'.repeat(40);
  const OTHER = 'b'.repeat(40);
  it.each([
    {
      why: 'a new Git commit',
      isRetry: false,
      desired: OTHER,
      pin: null,
      isCorrection: false,
      trigger: 'commit',
    },
    {
      why: 'a commit while another is pinned',
      isRetry: false,
      desired: OTHER,
      pin: PINNED,
      isCorrection: false,
      trigger: 'commit',
    },
    {
      why: 'the pinned commit',
      isRetry: false,
      desired: PINNED,
      pin: PINNED,
      isCorrection: false,
      trigger: 'rollback',
    },
    {
      why: 'a failed apply tried again',
      isRetry: true,
      desired: OTHER,
      pin: null,
      isCorrection: false,
      trigger: 'retry',
    },
    {
      why: 'a failed rollback tried again',
      isRetry: true,
      desired: PINNED,
      pin: PINNED,
      isCorrection: false,
      trigger: 'retry',
    },
    {
      why: 'a drift correction',
      isRetry: false,
      desired: OTHER,
      pin: null,
      isCorrection: true,
      trigger: 'drift',
    },
    {
      why: 'a drift correction while pinned',
      isRetry: true,
      desired: PINNED,
      pin: PINNED,
      isCorrection: true,
      trigger: 'drift',
    },
  ] as const)('$why: $trigger', ({ isRetry, desired, pin, isCorrection, trigger }) => {
    expect(
      historyTrigger({
        deployment: { desiredCommit: desired },
        isRetry,
        pinnedCommit: pin,
        isCorrection,
      }),
    ).toBe(trigger);
  });
});
