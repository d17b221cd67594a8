import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError } from './errors.ts';
import { killGroup, spawnGit } from './git-process.ts';
import type { GitLogger } from './types.ts';

/** What a blob turned out to hold. `tooLarge` is text over the size the caller would keep. */
export type BlobContent =
  | { kind: 'text'; text: string; bytes: number }
  /** `data` is the whole blob when it was within the size the caller keeps. */
  | { kind: 'binary'; data?: Buffer }
  | { kind: 'tooLarge' }
  | { kind: 'missing' };

/**
 * How much of a blob that is too large to keep is looked at: git's own test for binary content
 * is a NUL byte within the first 8000 bytes.
 */
const SNIFF_BYTES = 8000;

interface Request {
  keepUpTo: number;
  resolve: (content: BlobContent) => void;
  reject: (error: Error) => void;
}

interface Body {
  request: Request;
  size: number;
  /** Bytes still to come, the LF that ends each object included. */
  remaining: number;
  isBlob: boolean;
  isKept: boolean;
  chunks: Buffer[];
  collected: number;
}

/**
 * One `git cat-file --batch` process that reads any number of blobs in order. Requests are
 * pipelined (written at once, answered in order); a blob larger than the caller keeps is not
 * held in memory, only its first bytes, to tell binary files from text that is too large.
 */
export class CatFileBatch {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Request[] = [];
  private header = Buffer.alloc(0);
  private body: Body | undefined;
  private failure: Error | undefined;
  private stderr = '';
  private readonly closed: Promise<void>;
  private readonly timer: NodeJS.Timeout;

  constructor({
    gitDir,
    env,
    timeoutMs,
    logger,
  }: {
    gitDir: string;
    env: Readonly<Record<string, string>>;
    timeoutMs: number;
    logger?: GitLogger;
  }) {
    this.child = spawnGit({ args: ['--git-dir', gitDir, 'cat-file', '--batch'], env, logger });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4096);
    });
    this.child.stdin.on('error', () => undefined);
    this.timer = setTimeout(() => {
      this.fail(new GitError('Timeout', `reading the repository took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    this.closed = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.fail(new GitError('Failed', `git cat-file could not start: ${error.message}`));
        resolve();
      });
      this.child.once('close', (code) => {
        clearTimeout(this.timer);
        if (this.pending.length > 0 || this.body) {
          this.fail(new GitError('Failed', `git cat-file exited ${code}: ${this.stderr.trim()}`));
        }
        resolve();
      });
    });
  }

  read(oid: string, keepUpTo: number): Promise<BlobContent> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ keepUpTo, resolve, reject });
      this.child.stdin.write(`${oid}\n`);
    });
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    await this.closed;
  }

  /** Stops the process now and fails what is still waiting. */
  async abort(): Promise<void> {
    killGroup(this.child);
    await this.closed;
  }

  private fail(error: Error): void {
    if (!this.failure) this.failure = error;
    const waiting = this.body ? [this.body.request, ...this.pending] : [...this.pending];
    this.body = undefined;
    this.pending.length = 0;
    for (const request of waiting) request.reject(error);
    killGroup(this.child);
  }

  private onData(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.failure) {
      if (!this.body) {
        const newline = chunk.indexOf(10, offset);
        if (newline < 0) {
          this.header = Buffer.concat([this.header, chunk.subarray(offset)]);
          return;
        }
        const line = Buffer.concat([this.header, chunk.subarray(offset, newline)]).toString(
          'latin1',
        );
        this.header = Buffer.alloc(0);
        offset = newline + 1;
        this.startObject(line);
        continue;
      }
      const body = this.body;
      const take = Math.min(body.remaining, chunk.length - offset);
      const piece = chunk.subarray(offset, offset + take);
      offset += take;
      body.remaining -= take;
      const wanted = body.isKept ? take : Math.max(0, Math.min(take, SNIFF_BYTES - body.collected));
      if (wanted > 0) {
        body.chunks.push(piece.subarray(0, wanted));
        body.collected += wanted;
      }
      if (body.remaining === 0) {
        this.body = undefined;
        body.request.resolve(finish(body));
      }
    }
  }

  private startObject(line: string): void {
    const request = this.pending.shift();
    if (!request) {
      this.fail(new GitError('Failed', `git cat-file answered more than it was asked: "${line}"`));
      return;
    }
    const [, type, size] = line.split(' ');
    if (type === undefined || size === undefined) {
      request.resolve({ kind: 'missing' });
      return;
    }
    const bytes = Number(size);
    this.body = {
      request,
      size: bytes,
      remaining: bytes + 1,
      isBlob: type === 'blob',
      isKept: type === 'blob' && bytes <= request.keepUpTo,
      chunks: [],
      collected: 0,
    };
  }
}

function finish(body: Body): BlobContent {
  if (!body.isBlob) return { kind: 'missing' };
  const content = Buffer.concat(body.chunks).subarray(0, body.size);
  if (content.includes(0))
    return body.isKept ? { kind: 'binary', data: content } : { kind: 'binary' };
  if (!body.isKept) return { kind: 'tooLarge' };
  return { kind: 'text', text: content.toString('utf8'), bytes: content.length };
}
