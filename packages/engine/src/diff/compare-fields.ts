import { formatFieldPath, type PathSegment } from './field-path.ts';
import { sameQuantity } from './quantity.ts';

export interface FieldDrift {
  /** Where live differs, e.g. `spec.template.spec.containers[name=web].image`. */
  path: string;
  desired: unknown;
  /** undefined when live lacks the field. */
  live: unknown;
}

export interface FieldComparison {
  fields: FieldDrift[];
  /** Live cut down to the fields desired sets, in desired's order: what the diff shows. */
  liveProjection: unknown;
}

/**
 * Lists of maps that Kubernetes merges by a key rather than by position, with that key
 * (strategic-merge-patch `patchMergeKey`). Other lists of maps whose items all have a distinct
 * `name` are matched by name too; everything else is compared position by position.
 */
const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  imagePullSecrets: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  hostAliases: ['ip'],
  // Container ports, then Service ports.
  ports: ['containerPort', 'port'],
};

// Maps whose values are resource quantities, which the apiserver rewrites to canonical form.
const QUANTITY_MAPS = new Set(['limits', 'requests', 'hard']);

/**
 * Compares live against desired over the fields desired sets, the way server-side apply
 * owns them: keys only live has (defaults, fields of other managers) and extra items in keyed
 * lists are not ours, so they are not drift.
 */
export function compareFields(desired: unknown, live: unknown): FieldComparison {
  const fields: FieldDrift[] = [];
  const liveProjection = project(desired, live, [], fields);
  return { fields, liveProjection };
}

function project(
  desired: unknown,
  live: unknown,
  path: PathSegment[],
  fields: FieldDrift[],
): unknown {
  // `labels: {}`, `args: []` or `x: null` in Git are not kept by the apiserver.
  if (live === undefined && isEmptyValue(desired)) return desired;
  if (isMap(desired)) {
    if (!isMap(live)) return differs(desired, live, path, fields);
    const projection: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(desired)) {
      const liveValue = Object.hasOwn(live, key) ? live[key] : undefined;
      const projected = project(value, liveValue, [...path, { key }], fields);
      if (projected !== undefined) projection[key] = projected;
    }
    return projection;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) return differs(desired, live, path, fields);
    const mergeKey = mergeKeyOf(path, desired);
    return mergeKey
      ? projectKeyedList(desired, live, mergeKey, path, fields)
      : projectPositionalList(desired, live, path, fields);
  }
  if (sameScalar(desired, live, path)) return desired;
  return differs(desired, live, path, fields);
}

function projectKeyedList(
  desired: unknown[],
  live: unknown[],
  mergeKey: string,
  path: PathSegment[],
  fields: FieldDrift[],
): unknown[] {
  const projection: unknown[] = [];
  for (const item of desired) {
    const keyValue = String((item as Record<string, unknown>)[mergeKey]);
    const liveItem = live.find(
      (candidate) => isMap(candidate) && String(candidate[mergeKey]) === keyValue,
    );
    const projected = project(item, liveItem, [...path, { mergeKey, value: keyValue }], fields);
    if (projected !== undefined) projection.push(projected);
  }
  return projection;
}

function projectPositionalList(
  desired: unknown[],
  live: unknown[],
  path: PathSegment[],
  fields: FieldDrift[],
): unknown {
  if (desired.length !== live.length) return differs(desired, live, path, fields);
  return desired.map((item, index) => project(item, live[index], [...path, { index }], fields));
}

function differs(
  desired: unknown,
  live: unknown,
  path: PathSegment[],
  fields: FieldDrift[],
): unknown {
  fields.push({ path: formatFieldPath(path), desired, live });
  return live;
}

function mergeKeyOf(path: PathSegment[], items: unknown[]): string | undefined {
  const last = path[path.length - 1];
  const field = last && 'key' in last ? last.key : '';
  const known = MERGE_KEYS[field];
  // An empty keyed list in Git owns no items (server-side apply leaves others' items alone);
  // an empty plain list (args: []) is a value of its own and compared as one.
  if (items.length === 0) return known?.[0];
  return (known ?? ['name']).find((key) => {
    const values = items.map((item) => (isMap(item) ? item[key] : undefined));
    const isScalarKey = values.every(
      (value) => typeof value === 'string' || typeof value === 'number',
    );
    // Two items with one key (a port on TCP and UDP) cannot be told apart: compare by position.
    return isScalarKey && new Set(values.map(String)).size === values.length;
  });
}

/**
 * Exact equality, plus the two round trips Kubernetes makes: a number written as a string
 * where the field is int-or-string ("8080" vs 8080), and canonicalised quantities.
 */
function sameScalar(desired: unknown, live: unknown, path: PathSegment[]): boolean {
  if (desired === live) return true;
  if (desired === null || live === null || desired === undefined || live === undefined)
    return false;
  const isNumberAndString =
    (typeof desired === 'number' && typeof live === 'string') ||
    (typeof desired === 'string' && typeof live === 'number');
  if (isNumberAndString && String(desired) === String(live)) return true;
  const parent = path[path.length - 2];
  return (
    parent !== undefined &&
    'key' in parent &&
    QUANTITY_MAPS.has(parent.key) &&
    sameQuantity(desired, live)
  );
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmptyValue(value: unknown): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isMap(value) && Object.keys(value).length === 0;
}
