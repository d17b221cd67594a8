import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

export type Db = PrismaClient;

export interface CreateDbOptions {
  databaseUrl: string;
  /** Connections in the pool; the worker wants more than the web. */
  poolSize?: number;
}

/** A Prisma client over the pg driver adapter. The pool connects on first query. */
export function createDb({ databaseUrl, poolSize = 10 }: CreateDbOptions): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize });
  return new PrismaClient({ adapter });
}
