/**
 * Where the test services are. Tests use the real PostgreSQL and Redis of this machine
 * (started by .ci/run when they are not answering); when they are missing, tests fail with
 * this message rather than being skipped.
 */
export const TEST_POSTGRES_URL =
  process.env.FLOTILLA_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.FLOTILLA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function databaseUrl(database: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
