import { createHash } from 'node:crypto';

/**
 * A deterministic byte stream for Sprig's random functions (randAlphaNum, uuidv4, genCA...).
 *
 * Helm draws from crypto/rand, so every render of a chart with a generated password differs and
 * a GitOps controller would see drift on every pass. Flotilla seeds the stream from what
 * identifies a deployment (bundle, cluster, release): the same inputs give the same secrets on
 * every render, while each cluster still gets its own. SHA-256 in counter mode keeps the output
 * unpredictable without the seed.
 */
export class SeededRandom {
  private counter = 0;
  private buffer = Buffer.alloc(0);

  /** `onDraw` is told whenever bytes are drawn: a render that drew any is unique to its seed. */
  constructor(
    private readonly seed: string,
    private readonly onDraw?: () => void,
  ) {}

  bytes(n: number): Buffer {
    this.onDraw?.();
    while (this.buffer.length < n) {
      const block = createHash('sha256').update(this.seed).update(`\0${this.counter++}`).digest();
      this.buffer = Buffer.concat([this.buffer, block]);
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return Buffer.from(out);
  }

  /** A uniform integer in [0, bound) without modulo bias. */
  int(bound: number): number {
    if (bound <= 1) return 0;
    const limit = Math.floor(0x1_0000_0000 / bound) * bound;
    for (;;) {
      const x = this.bytes(4).readUInt32BE(0);
      if (x < limit) return x % bound;
    }
  }

  /** A float in [0, 1). */
  float(): number {
    return this.int(0x2000_0000) / 0x2000_0000;
  }
}
