import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A new opaque id (lowercase alphanumeric, 25 characters, starting with a letter). Made here
 * rather than by the database when a row's id must be known before insert: sealed
 * credentials use it as additional authenticated data.
 */
export function newId(): string {
  const bytes = randomBytes(25);
  let id = ALPHABET[bytes[0]! % 26]!;
  for (let index = 1; index < 25; index += 1) id += ALPHABET[bytes[index]! % ALPHABET.length]!;
  return id;
}
