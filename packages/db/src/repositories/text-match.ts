/**
 * Prisma's `contains` puts the text inside a LIKE pattern as it is, so `%` or `_` typed into a
 * search box would match anything: escape them (and the escape character), so they are matched
 * as the characters they are. Postgres's LIKE escapes with a backslash by default.
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** A case-insensitive "contains this text" filter for a Prisma string field. */
export function containsText(text: string) {
  return { contains: likeLiteral(text), mode: 'insensitive' as const };
}
