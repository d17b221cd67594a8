import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for credentials at rest: a fresh IV per record and the record's id as additional
 * authenticated data, so a sealed value copied onto another row does not open there.
 * Layout: version (1) | iv (12) | tag (16) | ciphertext.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    this.key = Buffer.from(base64Key, 'base64');
    if (this.key.length !== 32) throw new Error('the secret key must be 32 bytes');
  }

  seal(value: unknown, recordId: string): Uint8Array<ArrayBuffer> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(recordId, 'utf8'));
    const ciphertext = Buffer.concat([
      cipher.update(JSON.stringify(value), 'utf8'),
      cipher.final(),
    ]);
    const sealed = Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
    return new Uint8Array(sealed);
  }

  /**
   * A value derived from the key for one purpose (HMAC-SHA256, hex): stable for the installation,
   * unknown to anyone without the key. Seeds a chart's random functions, so a generated password
   * cannot be computed from the bundle's and cluster's names.
   */
  derive(purpose: string): string {
    return createHmac('sha256', this.key).update(`flotilla:${purpose}`).digest('hex');
  }

  open<T = unknown>(sealed: Uint8Array, recordId: string): T {
    const buffer = Buffer.from(sealed);
    if (buffer[0] !== VERSION) throw new Error('sealed value has an unknown version');
    const iv = buffer.subarray(1, 1 + IV_BYTES);
    const tag = buffer.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const ciphertext = buffer.subarray(1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(recordId, 'utf8'));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString(
      'utf8',
    );
    return JSON.parse(plaintext) as T;
  }
}
