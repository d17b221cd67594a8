import type { FieldDrift } from './compare-fields.ts';

/**
 * Replaces a Secret's data values by masks before they leave the engine, the way Argo CD does:
 * equal values get equal masks and different values different ones, so a diff still shows
 * which keys changed without showing any value.
 */
export function maskSecretData(
  desired: Record<string, unknown>,
  live: unknown,
  fields: FieldDrift[],
): { desired: Record<string, unknown>; live: unknown; fields: FieldDrift[] } {
  const masks = new Map<unknown, string>();
  const mask = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    if (!masks.has(value)) masks.set(value, '+'.repeat(8 + masks.size));
    return masks.get(value);
  };
  const maskData = (object: unknown): unknown => {
    if (typeof object !== 'object' || object === null || Array.isArray(object)) return object;
    const data: unknown = (object as Record<string, unknown>).data;
    if (typeof data !== 'object' || data === null) return object;
    const masked = Object.fromEntries(
      Object.entries(data).map(([key, value]) => [key, mask(value)]),
    );
    return { ...object, data: masked };
  };
  return {
    desired: maskData(desired) as Record<string, unknown>,
    live: maskData(live),
    fields: fields.map((field) =>
      field.path === 'data' || field.path.startsWith('data.') || field.path.startsWith('data[')
        ? {
            path: field.path,
            desired: maskField(field.desired, mask),
            live: maskField(field.live, mask),
          }
        : field,
    ),
  };
}

function maskField(value: unknown, mask: (value: unknown) => unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, mask(entry)]));
  }
  return mask(value);
}
