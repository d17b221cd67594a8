/**
 * JSON with object keys sorted (by UTF-16 code units, like JavaScript's default sort) and no
 * whitespace, so equal data always gives equal text whatever order its keys were written in.
 * Like JSON.stringify, undefined-valued keys are left out; unlike it, values with no JSON form
 * (NaN, Infinity, functions, bigints, cycles) throw instead of turning into null or vanishing,
 * since a hash over silently changed data would claim two different inputs are the same.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
  if (ancestors.has(value)) throw new TypeError('canonicalJson: the value is cyclic');
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item: unknown) => (item === undefined ? 'null' : write(item, ancestors))).join(',')}]`;
  } else {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    text = `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${write(item, ancestors)}`).join(',')}}`;
  }
  ancestors.delete(value);
  return text;
}
