import type { Prisma } from '@flotilla/db';

/** Our own plain data (selectors, targets, options) as a Prisma JSON value. */
export function asJson(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}
