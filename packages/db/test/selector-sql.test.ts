import { matchesSelector, type LabelSelector } from '@flotilla/engine';
import { createTestDatabase, type TestDatabase } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma, selectorToSql } from '../src/index.ts';

/** mulberry32: a small seeded generator, so every run walks the same cases. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['env', 'tier', 'app.kubernetes.io/name', 'constructor'] as const;
const VALUES = ['prod', 'test', '', 'a-b.c_d'] as const;

/** Every label set over three keys (each absent or one of three values), plus odd ones. */
function labelSets(): Record<string, string>[] {
  const sets: Record<string, string>[] = [];
  const choices = [undefined, 'prod', 'test', ''] as const;
  for (const env of choices)
    for (const tier of choices)
      for (const name of [undefined, 'a-b.c_d'] as const) {
        const labels: Record<string, string> = {};
        if (env !== undefined) labels.env = env;
        if (tier !== undefined) labels.tier = tier;
        if (name !== undefined) labels['app.kubernetes.io/name'] = name;
        sets.push(labels);
      }
  // "constructor" must not be found on Object.prototype, in SQL or in JavaScript.
  sets.push({ constructor: 'prod' }, { constructor: '' }, { Env: 'prod' });
  return sets;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Selectors of 0-3 requirements and 0-2 matchLabels, every operator, some empty value lists. */
function selectors(count: number, random: () => number): LabelSelector[] {
  const out: LabelSelector[] = [{}];
  for (let index = 0; index < count; index += 1) {
    const selector: LabelSelector = {};
    const labelCount = Math.floor(random() * 3);
    if (labelCount > 0) {
      selector.matchLabels = {};
      for (let n = 0; n < labelCount; n += 1)
        selector.matchLabels[pick(random, KEYS)] = pick(random, VALUES);
    }
    const requirementCount = Math.floor(random() * 4);
    if (requirementCount > 0) {
      selector.matchExpressions = [];
      for (let n = 0; n < requirementCount; n += 1) {
        const operator = pick(random, ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const);
        const key = pick(random, KEYS);
        if (operator === 'Exists' || operator === 'DoesNotExist') {
          selector.matchExpressions.push({ key, operator });
        } else {
          const values = VALUES.filter(() => random() < 0.4);
          selector.matchExpressions.push({ key, operator, values });
        }
      }
    }
    out.push(selector);
  }
  return out;
}

describe('selectorToSql answers as the engine matcher does', () => {
  let database: TestDatabase;
  const sets = labelSets();
  const cases = selectors(400, seeded(20_261_206));

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it(`agrees on ${cases.length} generated selectors x ${sets.length} label sets`, async () => {
    const rows = Prisma.join(
      sets.map((labels, index) => Prisma.sql`(${index}::int, ${JSON.stringify(labels)}::jsonb)`),
    );
    const disagreements: string[] = [];
    let matched = 0;
    for (const selector of cases) {
      const found = await database.db.$queryRaw<{ index: number }[]>(
        Prisma.sql`SELECT t.index FROM (VALUES ${rows}) AS t(index, labels)
                   WHERE ${selectorToSql(selector, Prisma.raw('t.labels'))} ORDER BY t.index`,
      );
      const bySql = found.map(({ index }) => index);
      const byEngine = sets.flatMap((labels, index) =>
        matchesSelector(selector, labels) ? [index] : [],
      );
      matched += byEngine.length;
      if (JSON.stringify(bySql) !== JSON.stringify(byEngine)) {
        disagreements.push(
          `${JSON.stringify(selector)}: sql ${JSON.stringify(bySql)} engine ${JSON.stringify(byEngine)}`,
        );
      }
    }
    expect(disagreements).toEqual([]);
    // The generated cases are not trivially all-or-nothing.
    expect(matched).toBeGreaterThan(cases.length);
    expect(matched).toBeLessThan((cases.length * sets.length) / 2);
  });
});
