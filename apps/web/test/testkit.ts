import type { Db } from '@flotilla/db';

/**
 * @flotilla/testkit, loaded at run time. This folder is inside the web app's tsconfig, which
 * Next's build type-checks under Next's global types; the testkit's child-process
 * environments do not compile there (ProcessEnv gains a required NODE_ENV), so a static import
 * would break every build. The types below are the part of the testkit these tests use.
 */
const TESTKIT: string = '@flotilla/testkit';

export interface Platform {
  url: string;
  database: { url: string; db: Db };
  redisUrl: string;
  bootstrapToken: string;
  adminEmail: string;
  adminPassword: string;
  secretKey: string;
  webLog: () => string;
  workerLog: () => string;
  api: (
    pathname: string,
    init?: RequestInit & { json?: unknown; token?: string | null },
  ) => Promise<Response>;
  restartWeb: () => Promise<void>;
  stop: () => Promise<void>;
}

export interface BareRepo {
  url: string;
  /** The folder holding it (serve it with `serveGitHttp({ root })`) and its name in there. */
  root: string;
  name: string;
  /** The commit a branch points at. */
  head: (branch?: string) => Promise<string>;
  /** Adds a commit (on `branch`, a new one when it does not exist) and returns its sha. */
  commit: (
    files: Record<string, string>,
    options: { message: string; branch?: string },
  ) => Promise<string>;
  remove: () => Promise<void>;
}

export interface TestRedis {
  url: string;
  cleanup: () => Promise<void>;
}

export interface GitHttpServer {
  url: (repoName: string) => string;
  stop: () => Promise<void>;
}

interface Testkit {
  serveGitHttp: (options: {
    root: string;
    auth?: { username: string; password: string };
  }) => Promise<GitHttpServer>;
  startPlatform: (options?: {
    env?: Record<string, string>;
    isWorkerStarted?: boolean;
    redisUrl?: string;
    isHealthRequired?: boolean;
  }) => Promise<Platform>;
  createBareRepo: (files: Record<string, string>) => Promise<BareRepo>;
  createTestRedis: () => Promise<TestRedis>;
}

const testkit = import(TESTKIT) as Promise<Testkit>;

export const startPlatform: Testkit['startPlatform'] = async (options) =>
  (await testkit).startPlatform(options);
export const createBareRepo: Testkit['createBareRepo'] = async (files) =>
  (await testkit).createBareRepo(files);
export const createTestRedis: Testkit['createTestRedis'] = async () =>
  (await testkit).createTestRedis();
export const serveGitHttp: Testkit['serveGitHttp'] = async (options) =>
  (await testkit).serveGitHttp(options);
