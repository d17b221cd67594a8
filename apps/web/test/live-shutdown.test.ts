import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPlatform, type Platform } from './testkit.ts';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What a supervisor allows between SIGTERM and SIGKILL (Kubernetes' default grace period). */
const SHUTDOWN_WINDOW_MS = 30_000;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The web server's SIGTERM with dashboards connected: `next start` waits for open requests
 * before it exits, and an event stream never ends by itself. The server must end its streams
 * (browsers reconnect to the next server) and exit by itself within the window a supervisor
 * gives it.
 */
describe('web SIGTERM with open live-update streams', () => {
  let platform: Platform;
  let web: ChildProcess | undefined;
  let url: string;
  const output: string[] = [];
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  beforeAll(async () => {
    // The platform gives a database and Redis; this test runs a web server of its own, whose
    // process it signals and whose exit status it reads, as a supervisor would.
    platform = await startPlatform({ isWorkerStarted: false });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    web = spawn(
      path.join(WEB_DIR, '../../node_modules/.bin/next'),
      ['start', '-p', String(port), '-H', '127.0.0.1'],
      {
        cwd: WEB_DIR,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          NODE_ENV: 'production',
          NEXT_TELEMETRY_DISABLED: '1',
          DATABASE_URL: platform.database.url,
          REDIS_URL: platform.redisUrl,
          PORT: String(port),
          FLOTILLA_SECRET_KEY: platform.secretKey,
          FLOTILLA_BOOTSTRAP_TOKEN: platform.bootstrapToken,
          FLOTILLA_WEB_DIST_DIR: process.env.FLOTILLA_WEB_DIST_DIR || '.next',
        },
      },
    );
    web.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    web.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    exited = new Promise((resolve) =>
      web!.once('exit', (code, signal) => resolve({ code, signal })),
    );
    await vi.waitFor(
      async () => {
        const response = await fetch(`${url}/api/v1/health`);
        expect(response.status).toBe(200);
      },
      { timeout: 60_000, interval: 250 },
    );
  });

  afterAll(async () => {
    if (web?.pid && web.exitCode === null && web.signalCode === null) {
      try {
        process.kill(-web.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await platform?.stop();
  });

  it('ends every open stream cleanly and exits by itself within the shutdown window', async () => {
    const streams = await Promise.all(
      [1, 2, 3].map(async () => {
        const response = await fetch(`${url}/api/v1/live`, {
          headers: { authorization: `Bearer ${platform.bootstrapToken}` },
        });
        expect(response.status).toBe(200);
        const reader = response.body!.getReader();
        const first = await reader.read();
        expect(new TextDecoder().decode(first.value)).toMatch(/^retry: \d+\n: connected\n\n/);
        return reader;
      }),
    );

    // SIGTERM to the server process alone, as `docker stop` or the kubelet sends it.
    process.kill(web!.pid!, 'SIGTERM');

    const bounded = <T>(promise: Promise<T>, what: string) =>
      Promise.race([
        promise,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`${what} within ${SHUTDOWN_WINDOW_MS} ms:\n${output.join('')}`)),
            SHUTDOWN_WINDOW_MS,
          ).unref(),
        ),
      ]);
    // Each stream ends as a stream ends (done), not with a reset connection.
    for (const reader of streams) {
      let result = await bounded(reader.read(), 'the stream did not end');
      while (!result.done) result = await bounded(reader.read(), 'the stream did not end');
      expect(result.done).toBe(true);
    }
    // It exits by itself once Next has closed the server (open requests done): Next then calls
    // process.exit(143), 128 + SIGTERM, on purpose (start-server.js), so a supervisor sees a
    // termination it asked for. Killed before that, the status would be signal SIGTERM or SIGKILL.
    expect(await bounded(exited, 'the web server did not exit')).toEqual({
      code: 143,
      signal: null,
    });
    expect(output.join('')).not.toMatch(/ECONNRESET|unhandled|uncaught/i);
  });
});
