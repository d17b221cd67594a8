import { EngineError } from '../errors.ts';

/**
 * Bounds on what one bundle may cost to render. A repository is untrusted input: without them a
 * few hundred bytes of YAML aliases (billion laughs) or a stream of empty documents could hold a
 * worker's memory or CPU.
 */
export interface RenderLimits {
  /** Bytes of manifest files read for one bundle. */
  maxBytes: number;
  /** YAML documents (and List items) in one bundle. */
  maxDocuments: number;
  /** Nesting of maps and sequences within one document; the document itself is depth 1. */
  maxDepth: number;
  /** Alias expansions per document, as the `yaml` library counts them. */
  maxAliasCount: number;
}

export const DEFAULT_RENDER_LIMITS: Readonly<RenderLimits> = Object.freeze({
  maxBytes: 10 * 1024 * 1024,
  maxDocuments: 5000,
  maxDepth: 64,
  maxAliasCount: 100,
});

export function resolveLimits(limits: Partial<RenderLimits> | undefined): RenderLimits {
  return { ...DEFAULT_RENDER_LIMITS, ...limits };
}

/**
 * What one bundle has spent of its limits so far. Bytes and documents are counted across all of
 * its files, so the limit names the file that crossed it.
 */
export class RenderBudget {
  private bytes = 0;
  private documents = 0;

  constructor(readonly limits: RenderLimits) {}

  spendBytes(file: string, text: string): void {
    this.bytes += Buffer.byteLength(text, 'utf8');
    if (this.bytes > this.limits.maxBytes) {
      throw limitExceeded(file, `the bundle exceeds maxBytes (${this.limits.maxBytes} bytes)`);
    }
  }

  spendDocument(file: string): void {
    this.documents += 1;
    if (this.documents > this.limits.maxDocuments) {
      throw limitExceeded(file, `the bundle exceeds maxDocuments (${this.limits.maxDocuments})`);
    }
  }
}

export function limitExceeded(file: string, message: string): EngineError {
  return new EngineError('LimitExceeded', `${file}: ${message}`, file);
}
