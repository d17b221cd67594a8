// Creates the database named by DATABASE_URL when missing and applies prisma/migrations.
import { ensureDatabase, migrateDatabase } from '@flotilla/db/migrate';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write('flotilla: configuration error: DATABASE_URL is not set\n');
  process.exit(1);
}

try {
  const created = await ensureDatabase(databaseUrl);
  const { applied } = await migrateDatabase(databaseUrl);
  const database = new URL(databaseUrl).pathname.slice(1);
  process.stdout.write(
    `flotilla | database ${database}: ${created ? 'created, ' : ''}` +
      `${applied.length ? `applied ${applied.join(', ')}` : 'migrations up to date'}\n`,
  );
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `flotilla | ERROR: migrating the database failed: ${message.split('\n')[0]}\n`,
  );
  process.exit(1);
}
