import { Prisma } from './generated/prisma/client.ts';

/** A label selector requirement as packages/engine parses it (kept structural: db does not import engine). */
export interface SelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface SelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: SelectorRequirement[];
}

function contains(column: Prisma.Sql, key: string, value: string): Prisma.Sql {
  // `@>` on jsonb is what the GIN (jsonb_path_ops) index on Cluster.labels serves.
  return Prisma.sql`${column} @> ${JSON.stringify({ [key]: value })}::jsonb`;
}

/**
 * A Kubernetes label selector as an SQL condition over a jsonb labels column, with the same
 * meaning as the engine's in-memory matcher (an integration test holds the two together).
 * An empty selector is TRUE: it selects everything, as in Kubernetes.
 */
export function selectorToSql(
  selector: SelectorLike,
  column: Prisma.Sql = Prisma.raw('"labels"'),
): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    conditions.push(contains(column, key, value));
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        conditions.push(
          values.length === 0
            ? Prisma.sql`FALSE`
            : Prisma.sql`(${Prisma.join(
                values.map((value) => contains(column, requirement.key, value)),
                ' OR ',
              )})`,
        );
        break;
      case 'NotIn':
        // Kubernetes: NotIn also matches objects without the key.
        for (const value of values)
          conditions.push(Prisma.sql`NOT (${contains(column, requirement.key, value)})`);
        break;
      case 'Exists':
        conditions.push(Prisma.sql`(${column} ? ${requirement.key})`);
        break;
      case 'DoesNotExist':
        conditions.push(Prisma.sql`NOT (${column} ? ${requirement.key})`);
        break;
      default: {
        const unknown: never = requirement.operator;
        throw new Error(`unknown selector operator ${String(unknown)}`);
      }
    }
  }
  return conditions.length === 0 ? Prisma.sql`TRUE` : Prisma.join(conditions, ' AND ');
}
