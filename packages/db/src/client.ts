import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient, type Prisma } from './generated/prisma/client.ts';

export type Db = PrismaClient;

export interface CreateDbOptions {
  databaseUrl: string;
  /** Connections in the pool; the worker wants more than the web. */
  poolSize?: number;
}

/** Each client's pg pool, shared by Prisma (through its adapter) and `executeSql`. */
const pools = new WeakMap<object, pg.Pool>();

/**
 * How the pool parses what `queryRows` reads (Prisma's adapter brings its own parsers to each
 * of its queries, so these are ours alone). Prisma stores a DateTime as `timestamp(3)` without
 * a time zone, in UTC; pg would read it in the process's local time zone.
 */
const poolTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format === 'binary') return pg.types.getTypeParser(oid, format);
    if (oid === pg.types.builtins.TIMESTAMP)
      return (value: string) => new Date(`${value.replace(' ', 'T')}Z`);
    // Prisma answers Bytes as a plain Uint8Array; pg as a Buffer (a subclass).
    if (oid === pg.types.builtins.BYTEA) {
      const parseBytes = pg.types.getTypeParser(oid, 'text') as (value: string) => Buffer;
      return (value: string) => {
        const bytes = parseBytes(value);
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      };
    }
    return pg.types.getTypeParser(oid, 'text');
  },
} as pg.CustomTypesConfig;

/** A Prisma client over the pg driver adapter. The pool connects on first query. */
export function createDb({ databaseUrl, poolSize = 10 }: CreateDbOptions): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, types: poolTypes });
  // An idle connection that breaks (Postgres restarted) is dropped by the pool; the next query
  // opens another or fails where it is awaited. Without a listener the process would exit.
  pool.on('error', () => undefined);
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * Runs a statement on the driver itself (pg), not through Prisma: for the set-based writes of
 * the deploy and monitor paths. Prisma sends even a raw statement through its query compiler,
 * serialising every parameter to JSON on the way (a status write carries each deployment's
 * resources): at 1000 x 50 that compilation was 8 % of the worker's CPU. Inside a transaction
 * (a client this module did not create) it goes through Prisma, so it stays in the transaction.
 * Returns how many rows the statement affected.
 */
export async function executeSql(
  db: Db | Prisma.TransactionClient,
  query: Prisma.Sql,
): Promise<number> {
  const pool = pools.get(db);
  if (!pool) return db.$executeRaw(query);
  return (await pool.query(query.text, query.values)).rowCount ?? 0;
}

/**
 * `executeSql` for a statement that returns rows (`UPDATE ... RETURNING id`). Values come back
 * as pg parses them, not as Prisma types them: keep what is read to text columns.
 */
export async function querySql<Row extends Record<string, string | null>>(
  db: Db | Prisma.TransactionClient,
  query: Prisma.Sql,
): Promise<Row[]> {
  const pool = pools.get(db);
  if (!pool) return db.$queryRaw<Row[]>(query);
  return (await pool.query<Row>(query.text, query.values)).rows;
}

/**
 * Rows of a model's table read by raw SQL on the driver, typed as Prisma types that model: for
 * the reads of the deploy and monitor paths, which run per batch or per cluster pass, where
 * Prisma's query compiler (raw statements included) was the largest share of the statement's
 * CPU. What pg answers matches Prisma's types for the columns our models use: timestamps as
 * UTC Dates (the pool's parser above), json as parsed values, text[] as arrays, enums as
 * strings, int as numbers, bytea as Uint8Arrays (the pool's parsers above). Not for BigInt
 * columns (pg answers text). Inside a transaction it goes through Prisma's `$queryRaw`, as `executeSql` does.
 */
export async function queryRows<Row extends object>(
  db: Db | Prisma.TransactionClient,
  query: Prisma.Sql,
): Promise<Row[]> {
  const pool = pools.get(db);
  if (!pool) return db.$queryRaw<Row[]>(query);
  return (await pool.query<Row & pg.QueryResultRow>(query.text, query.values)).rows;
}
