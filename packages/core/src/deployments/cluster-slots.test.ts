import { describe, expect, it } from 'vitest';
import { ClusterSlots, putBackDelayMs } from './cluster-slots.ts';

function slotsAt(options: { concurrency: number; fixedShare?: number }) {
  const clock = { now: 0 };
  const slots = new ClusterSlots({ ...options, now: () => clock.now });
  return { clock, slots };
}

describe('ClusterSlots', () => {
  it('gives a lone cluster every slot, and no more', () => {
    const { slots } = slotsAt({ concurrency: 4 });
    const granted = Array.from({ length: 5 }, () => slots.tryAcquire('a'));
    expect(granted.map(Boolean)).toEqual([true, true, true, true, false]);
  });

  it('shares the slots among the clusters asking: ceil(slots / clusters), at least one', () => {
    const { slots } = slotsAt({ concurrency: 8 });
    for (const cluster of ['a', 'b', 'c']) slots.tryAcquire(cluster);
    expect(slots.share()).toBe(3);
    expect([slots.tryAcquire('a'), slots.tryAcquire('a')].map(Boolean)).toEqual([true, true]);
    expect(slots.tryAcquire('a')).toBeUndefined();
    for (let index = 0; index < 20; index += 1) slots.tryAcquire(`other-${index}`);
    expect(slots.share()).toBe(1);
    expect(slots.tryAcquire('b')).toBeUndefined();
  });

  it('keeps ten hanging clusters from holding more than one slot each', () => {
    const { slots } = slotsAt({ concurrency: 16 });
    const healthy = Array.from({ length: 190 }, (_, index) => `ok-${index}`);
    const hanging = Array.from({ length: 10 }, (_, index) => `hang-${index}`);
    for (const cluster of healthy) slots.tryAcquire(cluster)?.();
    // Each hanging cluster has three deploy jobs; none of them ever finishes here.
    const held = hanging.flatMap((cluster) => [1, 2, 3].map(() => slots.tryAcquire(cluster)));
    expect(held.filter(Boolean)).toHaveLength(10);
    // A healthy cluster still gets a slot: tryAcquire hands back its release function.
    expect(slots.tryAcquire('ok-1')).toBeTypeOf('function');
  });

  it('gives a slot back once, and forgets clusters that stopped asking', () => {
    const { clock, slots } = slotsAt({ concurrency: 4 });
    const release = slots.tryAcquire('a')!;
    slots.tryAcquire('b')?.();
    expect(slots.activeClusters()).toBe(2);
    release();
    release();
    expect(slots.held('a')).toBe(0);
    clock.now += 10_000;
    expect(slots.activeClusters()).toBe(0);
    expect(slots.share()).toBe(4);
  });

  it('honours a fixed share', () => {
    const { slots } = slotsAt({ concurrency: 64, fixedShare: 2 });
    expect([1, 2, 3].map(() => Boolean(slots.tryAcquire('a')))).toEqual([true, true, false]);
  });

  it('puts a job back within half a second to a second', () => {
    expect(putBackDelayMs(() => 0)).toBe(500);
    expect(putBackDelayMs(() => 0.999)).toBe(1000);
  });
});
