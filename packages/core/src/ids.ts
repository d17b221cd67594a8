import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 25;
/** Random bytes for this many ids are drawn at once: one call to the system's generator per 256 ids. */
const IDS_PER_DRAW = 256;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * A new opaque id (lowercase alphanumeric, 25 characters, starting with a letter). Made here
 * rather than by the database when a row's id must be known before insert: sealed
 * credentials use it as additional authenticated data. The deploy path makes several per
 * deployment (events, history), so the random bytes come from a pool refilled 256 ids at a
 * time rather than from one call each.
 */
export function newId(): string {
  if (offset + ID_LENGTH > pool.length) {
    pool = randomBytes(ID_LENGTH * IDS_PER_DRAW);
    offset = 0;
  }
  let id = ALPHABET[pool[offset]! % 26]!;
  for (let index = 1; index < ID_LENGTH; index += 1)
    id += ALPHABET[pool[offset + index]! % ALPHABET.length]!;
  offset += ID_LENGTH;
  return id;
}
