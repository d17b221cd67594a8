import { describe, expect, it } from 'vitest';
import { githubStatusWindow } from './contracts/github-status.ts';

describe('githubStatusWindow', () => {
  it.each([
    // [now ms, delay ms, afterWindow, window]
    [0, 3000, undefined, 1],
    [2999, 3000, undefined, 1],
    [3000, 3000, undefined, 2],
    // A job of window 1 running at 3000 ms re-checks in 1 s: floor(4000 / 3000) is its own
    // window again, which BullMQ would drop; the follow-up goes to window 2.
    [3000, 1000, 1, 2],
    [3000, 10_000, 1, 4],
  ])('at %i ms with a %i ms delay after window %s: window %i', (now, delay, after, window) => {
    expect(githubStatusWindow(delay, after, now)).toBe(window);
  });
});
