/**
 * A write refused by a unique constraint (Prisma's P2002): someone else created the same row
 * first. Callers turn it into their own answer (a 409, or "already done"); anything else is a
 * real failure and is rethrown. Read by code, not by class: inside an interactive transaction
 * the error may come wrapped in another class of the same shape.
 */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'P2002';
}
