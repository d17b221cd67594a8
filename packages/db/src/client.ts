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

/** A Prisma client over the pg driver adapter. The pool connects on first query. */
export function createDb({ databaseUrl, poolSize = 10 }: CreateDbOptions): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
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
