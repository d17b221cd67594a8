import { describe, expect, it } from 'vitest';
import { createKeyedMutex } from './keyed-mutex.ts';

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('createKeyedMutex', () => {
  it('runs work for one key one at a time, in order, even after a failure', async () => {
    const runExclusive = createKeyedMutex();
    const events: string[] = [];
    const gate = deferred();
    const first = runExclusive('repo', async () => {
      events.push('first:start');
      await gate.promise;
      events.push('first:end');
      throw new Error('first failed');
    });
    const second = runExclusive('repo', async () => {
      events.push('second:start');
      return 'second';
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['first:start']);
    gate.resolve();
    await expect(first).rejects.toThrow('first failed');
    await expect(second).resolves.toBe('second');
    expect(events).toEqual(['first:start', 'first:end', 'second:start']);
  });

  it('runs work for different keys side by side', async () => {
    const runExclusive = createKeyedMutex();
    const gate = deferred();
    const events: string[] = [];
    const a = runExclusive('a', async () => {
      events.push('a:start');
      await gate.promise;
    });
    const b = runExclusive('b', async () => {
      events.push('b:start');
    });
    await b;
    expect(events).toEqual(['a:start', 'b:start']);
    gate.resolve();
    await a;
  });
});
