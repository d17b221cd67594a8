/**
 * A write refused by a unique constraint (Prisma's P2002): someone else created the same row
 * first. Callers turn it into their own answer (a 409, or "already done"); anything else is a
 * real failure and is rethrown. Read by its code, as the five hand-written checks it replaces
 * did, so no error class of the client or its driver adapter is assumed.
 */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'P2002';
}
