import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '@flotilla/db';
import { ensureDatabase, migrateDatabase, migrationsFingerprint } from '@flotilla/db/migrate';
import { databaseUrl, TEST_POSTGRES_URL } from './services.ts';

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not answering at ${TEST_POSTGRES_URL} (${(error as Error).message}); ` +
        'start it (see README, "Quick start")',
      { cause: error },
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The migrated template every test database is copied from; rebuilt when migrations change. */
export function templateDatabaseName(): string {
  return `flotilla_template_${migrationsFingerprint()}`;
}

export async function prepareTemplateDatabase(): Promise<string> {
  const name = templateDatabaseName();
  const url = databaseUrl(name);
  await ensureDatabase(url);
  await migrateDatabase(url);
  return name;
}

export interface TestDatabase {
  url: string;
  name: string;
  db: Db;
  drop: () => Promise<void>;
}

/** A fresh, migrated database (a copy of the template): fast enough for one per test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = templateDatabaseName();
  // The creation time in the name lets a later run tell a database left by a killed run from
  // one that a run going on in parallel is using.
  const name = `flotilla_test_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (client) => {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!exists.rowCount) await prepareTemplateDatabase();
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  });
  const url = databaseUrl(name);
  const db = createDb({ databaseUrl: url, poolSize: 5 });
  return {
    url,
    name,
    db,
    drop: async () => {
      await db.$disconnect();
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Removes test databases left by killed runs: those created more than six hours ago. */
export async function dropStaleTestDatabases(): Promise<void> {
  const cutoff = Math.floor(Date.now() / 1000) - 6 * 3600;
  await withAdmin(async (client) => {
    const found = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'flotilla\\_test\\_%'",
    );
    for (const { datname } of found.rows) {
      const created = Number(/^flotilla_test_(\d+)_/.exec(datname)?.[1] ?? 0);
      if (created < cutoff) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });
}
