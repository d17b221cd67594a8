import { describe, expect, it } from 'vitest';
import { isRemovalHeld } from './sync-git-repo.ts';

describe('isRemovalHeld', () => {
  // [description, removed, present, maxShare, isConfirmed, held]
  const cases: [string, number, number, number, boolean, boolean][] = [
    ['3 of 4 bundles removed is more than half: held', 3, 4, 0.5, false, true],
    ['2 of 4 is exactly half: not held', 2, 4, 0.5, false, false],
    [
      'the only bundle of a repo of one: not held (the share needs 2 or more)',
      1,
      1,
      0.5,
      false,
      false,
    ],
    ['every bundle of two removed: held', 2, 2, 0.5, false, true],
    ['confirmed for this commit: not held', 3, 4, 0.5, true, false],
    ['a share of 1 never holds', 4, 4, 1, false, false],
    ['a share of 0 holds any removal', 1, 10, 0, false, true],
    ['nothing removed: not held', 0, 4, 0, false, false],
  ];
  it.each(cases)('%s', (_description, removed, present, maxShare, isConfirmed, held) => {
    expect(isRemovalHeld({ removed, present, maxShare, isConfirmed })).toBe(held);
  });
});
