import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { GitLogger } from './types.ts';

/** Where git is looked up when the caller passes no PATH. */
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/** How much of stderr is kept: enough for git's last words, bounded for a chatty remote. */
const STDERR_LIMIT = 64 * 1024;

/**
 * The whole environment a git process gets. It starts empty rather than from the worker's own
 * environment, so a stray GIT_DIR, GIT_SSH_COMMAND or credential helper cannot change what git
 * does; `base` passes on what the operator configured (PATH, HTTPS_PROXY, GIT_SSL_CAINFO).
 * The settings after it always win.
 */
export function gitEnvironment(
  base: Readonly<Record<string, string>> | undefined,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    PATH: DEFAULT_PATH,
    ...base,
    // Failure messages are matched in English.
    LC_ALL: 'C',
    LANG: 'C',
    LANGUAGE: '',
    // No /etc/gitconfig or ~/.gitconfig: no credential helpers, url rewrites or hooks of the host.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    // A missing credential must fail, not wait for a terminal that is not there.
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: 'https:http',
    ...extra,
  };
}

export interface GitRunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  isTimedOut: boolean;
}

export interface RunGitOptions {
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  timeoutMs: number;
  logger?: GitLogger;
  /** Fields added to the debug line (repo id and the like). */
  context?: Record<string, unknown>;
}

/**
 * Starts git in its own process group, so that on timeout the helpers it spawned
 * (git-remote-https, index-pack) are killed with it instead of holding the cache's lock files.
 */
export function spawnGit({
  args,
  env,
  logger,
  context,
}: Omit<RunGitOptions, 'timeoutMs'>): ChildProcessWithoutNullStreams {
  // The arguments are logged verbatim: they never hold a credential (URLs with userinfo are
  // refused and secrets travel in the environment), and tests assert exactly that.
  logger?.debug({ ...context, args }, 'running git');
  // Next's types make NODE_ENV required in ProcessEnv; git gets exactly the variables we chose.
  return spawn('git', args, {
    env: env as NodeJS.ProcessEnv,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function killGroup(child: ChildProcessWithoutNullStreams): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Runs git to completion. A non-zero exit is a result, not an exception: callers classify it. */
export async function runGit(options: RunGitOptions): Promise<GitRunResult> {
  const child = spawnGit(options);
  child.stdin.on('error', () => undefined);
  child.stdin.end();
  const stdout: Buffer[] = [];
  let stderr = '';
  let isTimedOut = false;
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_LIMIT);
  });
  const timer = setTimeout(() => {
    isTimedOut = true;
    killGroup(child);
  }, options.timeoutMs);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    return { code, stdout: Buffer.concat(stdout), stderr, isTimedOut };
  } finally {
    clearTimeout(timer);
  }
}
