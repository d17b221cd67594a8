import {
  type KeyObject,
  X509Certificate,
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
} from 'node:crypto';
import { isIP } from 'node:net';
import { TemplateFunctionError } from '../template/errors.ts';
import { isPlainObject } from '../template/values.ts';
import { type TemplateFunction, strval, toInt64 } from './convert.ts';
import type { SeededRandom } from './random.ts';

// --- DER encoding: just what an X.509 certificate and a PKCS#1 key need. ---
function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let x = n; x > 0; x >>= 8) bytes.unshift(x & 0xff);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
function integer(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}
function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [];
    let x = part;
    do {
      chunk.unshift((x & 0x7f) | (chunk.length ? 0x80 : 0));
      x = Math.floor(x / 128);
    } while (x > 0);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bitString = (bytes: Buffer, unused = 0): Buffer =>
  tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
const octets = (bytes: Buffer): Buffer => tlv(0x04, bytes);
const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 + n, content);
function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${iso}Z`));
}

// --- RSA keys from the seeded stream: the same seed gives the same key. ---
function randomBigInt(random: SeededRandom, bits: number): bigint {
  return (
    BigInt(`0x${random.bytes(Math.ceil(bits / 8)).toString('hex')}`) >>
    BigInt(Math.ceil(bits / 8) * 8 - bits)
  );
}
function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}
function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
const SMALL_PRIMES = Array.from({ length: 1000 }, (_, i) => i + 2).filter((n) => {
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
});
function isProbablePrime(n: bigint, random: SeededRandom): boolean {
  for (const p of SMALL_PRIMES) {
    if (n === BigInt(p)) return true;
    if (n % BigInt(p) === 0n) return false;
  }
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  for (let i = 0; i < 20; i++) {
    const a = 2n + (randomBigInt(random, 64) % (n - 4n));
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let isComposite = true;
    for (let j = 1; j < r; j++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        isComposite = false;
        break;
      }
    }
    if (isComposite) return false;
  }
  return true;
}
function generatePrime(random: SeededRandom, bits: number): bigint {
  for (;;) {
    // Top two bits set so that p*q has exactly 2*bits bits; odd.
    const candidate = randomBigInt(random, bits) | (3n << BigInt(bits - 2)) | 1n;
    if ((candidate - 1n) % 65537n !== 0n && isProbablePrime(candidate, random)) return candidate;
  }
}

/** A deterministic RSA key (PKCS#1 DER) from the seeded stream. */
export function generateRsaKey(random: SeededRandom, bits: number): KeyObject {
  const e = 65537n;
  for (;;) {
    const p = generatePrime(random, bits / 2);
    const q = generatePrime(random, bits / 2);
    if (p === q) continue;
    const phi = (p - 1n) * (q - 1n);
    const d = modInverse(e, phi);
    const der = seq(
      integer(0n),
      integer(p * q),
      integer(e),
      integer(d),
      integer(p),
      integer(q),
      integer(d % (p - 1n)),
      integer(d % (q - 1n)),
      integer(modInverse(q, p)),
    );
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}

/** What Sprig's certificate functions return (`.Cert`, `.Key`). */
export interface Certificate {
  Cert: string;
  Key: string;
}

interface CertificateRequest {
  commonName: string;
  ips: string[];
  dnsNames: string[];
  days: number;
  isCa: boolean;
  key: KeyObject;
  issuer?: { name: Buffer; key: KeyObject };
}

const SHA256_WITH_RSA = seq(oid('1.2.840.113549.1.1.11'), tlv(0x05, Buffer.alloc(0)));

function extension(id: string, isCritical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(isCritical ? [tlv(0x01, Buffer.from([0xff]))] : []), octets(value));
}

function buildCertificate(
  random: SeededRandom,
  now: Date,
  request: CertificateRequest,
): Certificate {
  const name = seq(set(seq(oid('2.5.4.3'), utf8(request.commonName))));
  const notAfter = new Date(now.getTime() + request.days * 86_400_000);
  const serial = randomBigInt(random, 128);
  const spki = createPublicKey(request.key).export({ type: 'spki', format: 'der' });
  const extensions: Buffer[] = [
    // digitalSignature | keyEncipherment (| keyCertSign for a CA), as Sprig sets them.
    extension(
      '2.5.29.15',
      true,
      request.isCa ? bitString(Buffer.from([0xa4]), 2) : bitString(Buffer.from([0xa0]), 5),
    ),
  ];
  if (!request.isCa) {
    extensions.push(
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
    );
  }
  extensions.push(
    extension('2.5.29.19', true, request.isCa ? seq(tlv(0x01, Buffer.from([0xff]))) : seq()),
  );
  if (request.isCa) {
    const keyId = createHash('sha1').update(spki).digest();
    extensions.push(extension('2.5.29.14', false, octets(keyId)));
  }
  const altNames = [
    ...request.dnsNames.map((dns) => tlv(0x82, Buffer.from(dns, 'ascii'))),
    ...request.ips.map((ip) => tlv(0x87, ipBytes(ip))),
  ];
  if (altNames.length > 0) extensions.push(extension('2.5.29.17', false, seq(...altNames)));
  const tbs = seq(
    explicit(0, integer(2n)),
    integer(serial),
    SHA256_WITH_RSA,
    request.issuer?.name ?? name,
    seq(time(now), time(notAfter)),
    name,
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, request.issuer?.key ?? request.key);
  const der = seq(tbs, SHA256_WITH_RSA, bitString(signature));
  return { Cert: pem('CERTIFICATE', der), Key: pkcs1Pem(request.key) };
}

function ipBytes(ip: string): Buffer {
  const version = isIP(ip);
  if (version === 4) return Buffer.from(ip.split('.').map(Number));
  if (version === 6) {
    const [head = '', tail = ''] = ip.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = ip.includes('::')
      ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
      : h;
    return Buffer.from(groups.map((g) => g.padStart(4, '0')).join(''), 'hex');
  }
  throw new TemplateFunctionError(`error parsing ip: ${ip}`);
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function pkcs1Pem(key: KeyObject): string {
  return key.export({ type: 'pkcs1', format: 'pem' }).toString();
}

function stringList(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v))
    throw new TemplateFunctionError(`wrong type for value; expected []interface {}`);
  return v.map(strval);
}

function parseCertificateArg(v: unknown): { name: Buffer; key: KeyObject } {
  if (!isPlainObject(v) || typeof v.Cert !== 'string' || typeof v.Key !== 'string') {
    throw new TemplateFunctionError('error parsing CA: expected a certificate from genCA');
  }
  const cert = new X509Certificate(v.Cert);
  return { name: subjectName(cert.raw), key: createPrivateKey(v.Key) };
}

// The subject Name of a DER certificate: tbsCertificate's sixth element.
function subjectName(der: Buffer): Buffer {
  const read = (buf: Buffer, offset: number): { start: number; end: number; header: number } => {
    let len = buf[offset + 1] ?? 0;
    let header = 2;
    if (len & 0x80) {
      const count = len & 0x7f;
      len = 0;
      for (let i = 0; i < count; i++) len = len * 256 + (buf[offset + 2 + i] ?? 0);
      header += count;
    }
    return { start: offset, end: offset + header + len, header };
  };
  const cert = read(der, 0);
  const tbs = read(der, cert.start + cert.header);
  let offset = tbs.start + tbs.header;
  const elements: { start: number; end: number }[] = [];
  while (offset < tbs.end && elements.length < 6) {
    const el = read(der, offset);
    elements.push(el);
    offset = el.end;
  }
  const subject = elements[5];
  if (!subject) throw new TemplateFunctionError('error parsing CA certificate');
  return der.subarray(subject.start, subject.end);
}

/**
 * Sprig's key and certificate functions (RSA 2048 for certificates, as Sprig), drawing every
 * random bit (keys, serial numbers) from the seeded stream so renders are reproducible.
 */
export function cryptoFunctions(
  random: SeededRandom,
  now: () => Date,
): Record<string, TemplateFunction> {
  const days = (v: unknown): number => Number(toInt64(v));
  return {
    genPrivateKey: (type) => {
      switch (strval(type)) {
        case 'rsa':
          return pkcs1Pem(generateRsaKey(random, 4096));
        case 'ed25519': {
          const seed = random.bytes(32);
          const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
          return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
            .export({ type: 'pkcs8', format: 'pem' })
            .toString();
        }
        case 'ecdsa': {
          // A P-256 scalar below the group order, from the stream.
          const order = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
          const d = (randomBigInt(random, 256) % (order - 1n)) + 1n;
          const ecdh = createECDH('prime256v1');
          ecdh.setPrivateKey(Buffer.from(d.toString(16).padStart(64, '0'), 'hex'));
          const pub = ecdh.getPublicKey();
          const jwk = {
            kty: 'EC',
            crv: 'P-256',
            d: Buffer.from(d.toString(16).padStart(64, '0'), 'hex').toString('base64url'),
            x: pub.subarray(1, 33).toString('base64url'),
            y: pub.subarray(33).toString('base64url'),
          };
          return createPrivateKey({ key: jwk, format: 'jwk' })
            .export({ type: 'sec1', format: 'pem' })
            .toString();
        }
        default:
          return 'Unknown type';
      }
    },
    genCA: (cn, validity) =>
      buildCertificate(random, now(), {
        commonName: strval(cn),
        ips: [],
        dnsNames: [],
        days: days(validity),
        isCa: true,
        key: generateRsaKey(random, 2048),
      }),
    genSelfSignedCert: (cn, ips, dnsNames, validity) =>
      buildCertificate(random, now(), {
        commonName: strval(cn),
        ips: stringList(ips),
        dnsNames: stringList(dnsNames),
        days: days(validity),
        isCa: false,
        key: generateRsaKey(random, 2048),
      }),
    genSignedCert: (cn, ips, dnsNames, validity, ca) =>
      buildCertificate(random, now(), {
        commonName: strval(cn),
        ips: stringList(ips),
        dnsNames: stringList(dnsNames),
        days: days(validity),
        isCa: false,
        key: generateRsaKey(random, 2048),
        issuer: parseCertificateArg(ca),
      }),
  };
}
