import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from './parse-diff.ts';

describe('parseUnifiedDiff', () => {
  it('turns the monitor diff (git against live) into marked lines', () => {
    const diff = createTwoFilesPatch(
      'git',
      'live',
      'data:\n  color: blue\n  size: small\n',
      'data:\n  color: red\n  size: small\n',
      undefined,
      undefined,
      { context: 3 },
    );
    expect(parseUnifiedDiff(diff)).toEqual([
      { kind: 'hunk', marker: '@', text: 'lines 1-3 in Git, 1-3 live' },
      { kind: 'context', marker: ' ', text: 'data:' },
      { kind: 'removed', marker: '-', text: '  color: blue' },
      { kind: 'added', marker: '+', text: '  color: red' },
      { kind: 'context', marker: ' ', text: '  size: small' },
    ]);
  });

  it('names the sides it is given in the hunk headers (a pull-request preview)', () => {
    const diff = createTwoFilesPatch('current', 'proposed', 'a: 1\n', 'a: 2\n');
    expect(parseUnifiedDiff(diff, ['desired now', 'with the pull request'])[0]).toEqual({
      kind: 'hunk',
      marker: '@',
      text: 'lines 1-1 desired now, 1-1 with the pull request',
    });
  });

  it('shows an object missing on the cluster as every line removed', () => {
    const diff = createTwoFilesPatch('git', 'live', 'a: 1\nb: 2\n', '', undefined, undefined, {
      context: 3,
    });
    const lines = parseUnifiedDiff(diff);
    expect(lines.filter((line) => line.kind === 'removed').map((line) => line.text)).toEqual([
      'a: 1',
      'b: 2',
    ]);
    expect(lines.some((line) => line.kind === 'added')).toBe(false);
  });

  it('keeps text that is not a diff as a note rather than dropping it', () => {
    expect(parseUnifiedDiff('the object could not be read')).toEqual([
      { kind: 'note', marker: '\\', text: 'the object could not be read' },
    ]);
    expect(parseUnifiedDiff('')).toEqual([]);
  });
});
