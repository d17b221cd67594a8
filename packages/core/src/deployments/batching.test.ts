import { describe, expect, it } from 'vitest';
import { batched, perContext } from './batching.ts';

describe('batched: calls made close together become one call', () => {
  it('gives each caller its own answer from one call over all inputs', async () => {
    const calls: number[][] = [];
    const double = batched(async (inputs: readonly number[]) => {
      calls.push([...inputs]);
      return inputs.map((input) => input * 2);
    });
    const answers = await Promise.all([1, 2, 3].map((input) => double(input)));
    expect(answers).toEqual([2, 4, 6]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('starts a new call when a batch is full, without waiting', async () => {
    const calls: number[][] = [];
    const echo = batched(
      async (inputs: readonly number[]) => {
        calls.push([...inputs]);
        return inputs;
      },
      { maxSize: 2, waitMs: 60_000 },
    );
    expect(await Promise.all([1, 2].map((input) => echo(input)))).toEqual([1, 2]);
    expect(calls).toEqual([[1, 2]]);
  });

  it('fails every caller of a failed batch, and the next batch runs afresh', async () => {
    let isFailing = true;
    const flaky = batched(async (inputs: readonly string[]) => {
      if (isFailing) throw new Error('database went away');
      return inputs.map((input) => input.toUpperCase());
    });
    const outcomes = await Promise.allSettled([flaky('a'), flaky('b')]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    isFailing = false;
    expect(await flaky('c')).toBe('C');
  });
});

describe('perContext', () => {
  it('makes one value per context, on first use', () => {
    let made = 0;
    const counterOf = perContext((_ctx: object) => ({ id: ++made }));
    const first = {};
    const second = {};
    expect(counterOf(first)).toBe(counterOf(first));
    expect(counterOf(second)).not.toBe(counterOf(first));
    expect(made).toBe(2);
  });
});
