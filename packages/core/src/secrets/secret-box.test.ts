import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.ts';

const key = Buffer.alloc(32, 3).toString('base64');

describe('SecretBox', () => {
  it('opens what it sealed for the same record', () => {
    const box = new SecretBox(key);
    const sealed = box.seal({ token: 'canary-123' }, 'cluster-a');
    expect(box.open(sealed, 'cluster-a')).toEqual({ token: 'canary-123' });
  });

  it('does not store the plaintext', () => {
    const sealed = new SecretBox(key).seal({ token: 'canary-123' }, 'cluster-a');
    expect(Buffer.from(sealed).toString('latin1')).not.toContain('canary-123');
  });

  it('uses a fresh IV each time', () => {
    const box = new SecretBox(key);
    const first = Buffer.from(box.seal('x', 'r')).toString('hex');
    const second = Buffer.from(box.seal('x', 'r')).toString('hex');
    expect(first).not.toBe(second);
  });

  it('derives a stable value per purpose that depends on the key', () => {
    const box = new SecretBox(key);
    const other = new SecretBox(Buffer.alloc(32, 4).toString('base64'));
    expect(box.derive('helm-random-seed')).toBe(box.derive('helm-random-seed'));
    expect(box.derive('helm-random-seed')).toMatch(/^[0-9a-f]{64}$/);
    expect(box.derive('helm-random-seed')).not.toBe(box.derive('another-purpose'));
    expect(other.derive('helm-random-seed')).not.toBe(box.derive('helm-random-seed'));
  });

  it('refuses a value moved onto another record', () => {
    const box = new SecretBox(key);
    const sealed = box.seal({ token: 't' }, 'cluster-a');
    expect(() => box.open(sealed, 'cluster-b')).toThrow();
  });

  it('refuses a tampered value and a different key', () => {
    const box = new SecretBox(key);
    const sealed = box.seal({ token: 't' }, 'r');
    const tampered = Uint8Array.from(sealed);
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
    expect(() => box.open(tampered, 'r')).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 4).toString('base64')).open(sealed, 'r')).toThrow();
  });
});
