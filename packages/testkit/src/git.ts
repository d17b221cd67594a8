import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A file's content, a symbolic link to `symlink` (stored as git stores links: the target text),
 * or a submodule pinned at commit `submodule`.
 */
export type GitFileSpec =
  | string
  | { symlink: string }
  | { submodule: string }
  /** A file of these exact bytes (a chart archive, an image). */
  | { bytes: Uint8Array };

export interface CommitOptions {
  message: string;
  /** Paths to delete in this commit. */
  remove?: string[];
  /** Defaults to the branch the repository was created with. */
  branch?: string;
}

export interface BareRepo {
  /** The bare repository itself. */
  dir: string;
  /** The folder holding it: serve this with `serveGitHttp({ root })`. */
  root: string;
  /** Its folder name inside `root`, e.g. "repo.git": pass it to `server.url(name)`. */
  name: string;
  /** file:// URL of the repository. */
  url: string;
  branch: string;
  /** Adds a commit on top of the branch and returns its sha. */
  commit: (files: Record<string, GitFileSpec>, options: CommitOptions) => Promise<string>;
  /** The commit a branch points at. */
  head: (branch?: string) => Promise<string>;
  /** Tags a commit (by default the head of the branch); annotated when `message` is given. */
  tag: (name: string, options?: { commit?: string; message?: string }) => Promise<void>;
  remove: () => Promise<void>;
}

const TEST_IDENTITY = { name: 'Flotilla Test', email: 'test@flotilla.invalid' };

// The developer's ~/.gitconfig (hooks, signing, templates) must not change what the tests build.
function isolatedGitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: tmpdir(),
    LC_ALL: 'C',
    // Next.js's types (in the web app's typecheck) make NODE_ENV a required key of ProcessEnv.
    NODE_ENV: 'test',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: TEST_IDENTITY.name,
    GIT_AUTHOR_EMAIL: TEST_IDENTITY.email,
    GIT_COMMITTER_NAME: TEST_IDENTITY.name,
    GIT_COMMITTER_EMAIL: TEST_IDENTITY.email,
    ...extra,
  };
}

/** Runs git and returns its stdout; a non-zero exit throws with git's stderr. */
export async function runTestGit(
  args: string[],
  { cwd, input, env }: { cwd?: string; input?: Buffer | string; env?: Record<string, string> } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: isolatedGitEnv(env) as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else
        reject(
          new Error(
            `git ${args.join(' ')} exited ${code}: ${Buffer.concat(stderr).toString('utf8').trim()}`,
          ),
        );
    });
    // git commands that read no input may exit before it is written.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** fast-import's quoted path form, so names with spaces, quotes or "../" survive as given. */
function quotePath(file: string): string {
  return `"${file.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function dataBlock(content: string | Uint8Array): Buffer[] {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  return [Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n')];
}

/**
 * Creates a bare repository holding `files` in one commit on `branch` (no commit when `files` is
 * empty, so tests can fetch from an empty repository).
 *
 * Commits are written with `git fast-import` rather than through a work tree: it takes any path
 * git itself would store, including symlinks that leave the repository and entries named "..",
 * which is exactly what the safety tests need and what a checkout would refuse to create.
 */
export async function createBareRepo(
  files: Record<string, GitFileSpec>,
  {
    branch = 'main',
    root,
    name = 'repo.git',
  }: { branch?: string; root?: string; name?: string } = {},
): Promise<BareRepo> {
  const folder = root ?? (await mkdtemp(path.join(tmpdir(), 'flotilla-git-')));
  const dir = path.join(folder, name);
  await runTestGit(['init', '--quiet', '--bare', `--initial-branch=${branch}`, dir]);
  const gitDir = ['--git-dir', dir];

  const head = async (ref = branch): Promise<string> =>
    (await runTestGit([...gitDir, 'rev-parse', '--verify', `refs/heads/${ref}^{commit}`])).trim();

  const parentOf = async (ref: string): Promise<string | undefined> => {
    try {
      return await head(ref);
    } catch {
      return undefined;
    }
  };

  let clock = Math.floor(Date.now() / 1000);
  const commit = async (
    changes: Record<string, GitFileSpec>,
    { message, remove = [], branch: target = branch }: CommitOptions,
  ): Promise<string> => {
    const parent = await parentOf(target);
    clock += 1;
    const stream: Buffer[] = [
      Buffer.from(`commit refs/heads/${target}\n`),
      Buffer.from(`committer ${TEST_IDENTITY.name} <${TEST_IDENTITY.email}> ${clock} +0000\n`),
      ...dataBlock(message),
    ];
    if (parent) stream.push(Buffer.from(`from ${parent}\n`));
    for (const file of remove) stream.push(Buffer.from(`D ${quotePath(file)}\n`));
    for (const [file, spec] of Object.entries(changes)) {
      if (typeof spec === 'string') {
        stream.push(Buffer.from(`M 100644 inline ${quotePath(file)}\n`), ...dataBlock(spec));
      } else if ('bytes' in spec) {
        stream.push(Buffer.from(`M 100644 inline ${quotePath(file)}\n`), ...dataBlock(spec.bytes));
      } else if ('symlink' in spec) {
        stream.push(
          Buffer.from(`M 120000 inline ${quotePath(file)}\n`),
          ...dataBlock(spec.symlink),
        );
      } else {
        stream.push(Buffer.from(`M 160000 ${spec.submodule} ${quotePath(file)}\n`));
      }
    }
    stream.push(Buffer.from('done\n'));
    await runTestGit([...gitDir, 'fast-import', '--quiet', '--done'], {
      input: Buffer.concat(stream),
    });
    return head(target);
  };

  const tag = async (
    tagName: string,
    options: { commit?: string; message?: string } = {},
  ): Promise<void> => {
    const target = options.commit ?? (await head());
    const annotate = options.message === undefined ? [] : ['-a', '-m', options.message];
    await runTestGit([...gitDir, 'tag', '--force', ...annotate, tagName, target]);
  };

  if (Object.keys(files).length > 0) await commit(files, { message: 'initial commit' });

  return {
    dir,
    root: folder,
    name,
    url: pathToFileURL(dir).href,
    branch,
    commit,
    head,
    tag,
    remove: () => rm(root ? dir : folder, { recursive: true, force: true }),
  };
}

export interface GitHttpServer {
  /** http:// URL of a repository folder under the served root. */
  url: (repoName: string) => string;
  /** Requests received so far, rejected ones included. */
  readonly requests: number;
  stop: () => Promise<void>;
}

export interface GitHttpOptions {
  /** Folder whose bare repositories are served (GIT_PROJECT_ROOT). */
  root: string;
  /**
   * When set, every request without these basic-auth credentials gets 401. A function decides
   * per request (tokens that expire, such as a GitHub App's installation tokens).
   */
  auth?:
    | { username: string; password: string }
    | ((credentials: { username: string; password: string }) => boolean);
}

function hasCredentials(
  header: string | undefined,
  auth: NonNullable<GitHttpOptions['auth']>,
): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  if (typeof auth !== 'function') return decoded === `${auth.username}:${auth.password}`;
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  return auth({ username: decoded.slice(0, colon), password: decoded.slice(colon + 1) });
}

/** Splits a CGI response head ("Status: 200 OK", headers, blank line) from its body. */
function parseCgiHead(head: string): { status: number; headers: [string, string][] } {
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers };
}

function runHttpBackend(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  root: string,
  user?: string,
) {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(', ') : (value ?? '');
  };
  const env = isolatedGitEnv({
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REQUEST_METHOD: request.method ?? 'GET',
    CONTENT_TYPE: header('content-type'),
    // http-backend gunzips the body itself when told how it is encoded.
    HTTP_CONTENT_ENCODING: header('content-encoding'),
    // Without these the backend falls back to protocol v0, which also works but is not what git
    // clients and GitHub speak today.
    GIT_PROTOCOL: header('git-protocol'),
    HTTP_GIT_PROTOCOL: header('git-protocol'),
    REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
    REMOTE_USER: user ?? '',
    ...(request.headers['content-length'] ? { CONTENT_LENGTH: header('content-length') } : {}),
  });
  const child = spawn('git', ['http-backend'], {
    env: env as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  request.pipe(child.stdin);
  child.stdin.on('error', () => undefined);

  let head = Buffer.alloc(0);
  let isHeadSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (isHeadSent) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const text = head.toString('latin1');
    const crlf = text.indexOf('\r\n\r\n');
    const lf = text.indexOf('\n\n');
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
    if (end < 0) return;
    const { status, headers } = parseCgiHead(text.slice(0, end));
    response.writeHead(status, headers);
    isHeadSent = true;
    if (head.length > end) response.write(head.subarray(end));
  });
  child.once('close', (code) => {
    if (!isHeadSent) {
      const message = Buffer.concat(stderr).toString('utf8');
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`git http-backend exited ${code}: ${message}`);
      return;
    }
    response.end();
  });
}

/**
 * Serves the bare repositories under `root` over smart HTTP on 127.0.0.1 (a random port) by
 * running `git http-backend` as a CGI program, optionally behind basic auth.
 */
export async function serveGitHttp({ root, auth }: GitHttpOptions): Promise<GitHttpServer> {
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests += 1;
    if (auth && !hasCredentials(request.headers.authorization, auth)) {
      request.resume();
      response.writeHead(401, {
        'www-authenticate': 'Basic realm="flotilla-test"',
        'content-type': 'text/plain',
      });
      response.end('authentication required\n');
      return;
    }
    runHttpBackend(
      request,
      response,
      root,
      typeof auth === 'function' ? 'x-access-token' : auth?.username,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: (repoName) => `http://127.0.0.1:${port}/${repoName}`,
    get requests() {
      return requests;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
