import { createHash } from 'node:crypto';
import { type TemplateFunction, strval } from './convert.ts';

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Encode(data: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

function base32Decode(s: string): string {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of s.replace(/=+$/, '')) {
    const idx = BASE32.indexOf(ch);
    if (idx < 0) return 'illegal base32 data';
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out).toString('utf8');
}

const hash = (algorithm: string) => (v: unknown) =>
  createHash(algorithm).update(strval(v)).digest('hex');

export function encodingFunctions(): Record<string, TemplateFunction> {
  return {
    b64enc: (v) => Buffer.from(strval(v), 'utf8').toString('base64'),
    b64dec: (v) => {
      const s = strval(v);
      // Go's StdEncoding is strict; Sprig returns the error text instead of failing.
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
        return 'illegal base64 data at input byte 0';
      }
      return Buffer.from(s, 'base64').toString('utf8');
    },
    b32enc: (v) => base32Encode(Buffer.from(strval(v), 'utf8')),
    b32dec: (v) => base32Decode(strval(v)),
    sha1sum: hash('sha1'),
    sha256sum: hash('sha256'),
    sha512sum: hash('sha512'),
    adler32sum: (v) => String(adler32(Buffer.from(strval(v), 'utf8'))),
  };
}
