// The preparation `npm start` and `npm test` share: dependencies, configuration, services,
// generated code, database. Plain Node (no dependencies) so it runs on a fresh clone.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STATE_DIR = path.join(ROOT, '.flotilla');

export function say(message) {
  process.stdout.write(`flotilla | ${message}\n`);
}

export function fail(message) {
  process.stderr.write(`flotilla | ERROR: ${message}\n`);
  process.exit(1);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: process.env,
    ...options,
  });
  if (result.status !== 0)
    fail(`\`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
}

/** npm ci when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

/**
 * Environment defaults for a local start: .env when present, then localhost services and a
 * secret key kept in .flotilla/secret-key (created once, so stored credentials stay readable).
 */
export function loadEnvironment({ defaultDatabase = 'flotilla' } = {}) {
  const envFile = path.join(ROOT, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  process.env.DATABASE_URL ??= `postgresql://postgres@127.0.0.1:5432/${defaultDatabase}`;
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379/0';
  process.env.PORT ??= '3000';
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  process.env.TURBO_TELEMETRY_DISABLED = '1';
  if (!process.env.FLOTILLA_SECRET_KEY) {
    const keyFile = path.join(STATE_DIR, 'secret-key');
    if (!existsSync(keyFile)) {
      mkdirSync(STATE_DIR, { recursive: true });
      writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
      say(
        `generated FLOTILLA_SECRET_KEY into ${path.relative(ROOT, keyFile)} (keep it: it encrypts stored credentials)`,
      );
    }
    process.env.FLOTILLA_SECRET_KEY = readFileSync(keyFile, 'utf8').trim();
  }
  // The first admin. Without one configured, a password is made once and printed, so a fresh
  // clone can sign in; it only takes effect while the database has no user yet.
  process.env.FLOTILLA_ADMIN_EMAIL ??= 'admin@flotilla.local';
  if (!process.env.FLOTILLA_ADMIN_PASSWORD) {
    const passwordFile = path.join(STATE_DIR, 'admin-password');
    if (!existsSync(passwordFile)) {
      mkdirSync(STATE_DIR, { recursive: true });
      writeFileSync(passwordFile, `${randomBytes(12).toString('base64url')}\n`, { mode: 0o600 });
    }
    process.env.FLOTILLA_ADMIN_PASSWORD = readFileSync(passwordFile, 'utf8').trim();
    return { generatedAdminPasswordFile: passwordFile };
  }
  return {};
}

function canConnect(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function endpoint(url, defaultPort) {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || defaultPort) };
}

function hasDockerEngine() {
  const result = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
  return result.status === 0;
}

/**
 * PostgreSQL and Redis must answer: at the configured URLs, else through `docker compose`
 * where a Docker engine runs, else we stop with one message saying what to install.
 */
export async function ensureServices() {
  for (const [name, variable] of [
    ['DATABASE_URL', 'DATABASE_URL'],
    ['REDIS_URL', 'REDIS_URL'],
  ]) {
    if (!URL.canParse(process.env[variable] ?? ''))
      fail(`${name} is not a URL: ${process.env[variable]}`);
  }
  const postgres = endpoint(process.env.DATABASE_URL, 5432);
  const redis = endpoint(process.env.REDIS_URL, 6379);
  let missing = [];
  if (!(await canConnect(postgres.host, postgres.port)))
    missing.push(`PostgreSQL at ${postgres.host}:${postgres.port}`);
  if (!(await canConnect(redis.host, redis.port)))
    missing.push(`Redis at ${redis.host}:${redis.port}`);
  if (missing.length === 0) return;
  if (hasDockerEngine()) {
    say(`${missing.join(' and ')} not answering: starting them with docker compose`);
    run('docker', ['compose', 'up', '-d', 'postgres', 'redis']);
    for (let attempt = 0; attempt < 60; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      missing = [];
      if (!(await canConnect(postgres.host, postgres.port)))
        missing.push(`PostgreSQL at ${postgres.host}:${postgres.port}`);
      if (!(await canConnect(redis.host, redis.port)))
        missing.push(`Redis at ${redis.host}:${redis.port}`);
      if (missing.length === 0) return;
    }
  }
  fail(
    `${missing.join(' and ')} not answering. Install and start them ` +
      '(Debian/Ubuntu: apt-get install postgresql redis-server), or run Docker and retry, ' +
      'or point DATABASE_URL / REDIS_URL at running servers.',
  );
}

/** Prisma's generated client lives in packages/db/src/generated (not committed). */
export function generatePrismaClient() {
  run('npx', ['prisma', 'generate', '--schema', 'prisma/schema.prisma'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export function migrate() {
  run('npx', ['tsx', 'scripts/migrate.ts']);
}

export function gitHead() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    return 'unknown';
  }
}
