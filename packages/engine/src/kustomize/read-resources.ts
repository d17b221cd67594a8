import { EngineError } from '../errors.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../patch/json-value.ts';
import { Resource } from './resource.ts';
import { parseYamlDocuments } from './yaml.ts';

function fail(message: string, source: string): never {
  throw new EngineError('KustomizeFailed', `${source}: ${message}`, source);
}

/** The path of a null list element, which kustomize refuses ("empty item"). */
function nullListEntry(value: JsonValue, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const element = value[i] ?? null;
      if (element === null) return `${path}[${i}]`;
      const found = nullListEntry(element, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (isJsonObject(value)) {
    for (const [key, field] of Object.entries(value)) {
      const found = nullListEntry(field, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

function validated(object: unknown, source: string, isPatch: boolean): JsonObject {
  if (!isJsonObject(object)) return fail('expected a map (a Kubernetes object)', source);
  const kind = object.kind;
  if (typeof kind !== 'string' || kind === '') return fail('missing kind in object', source);
  const metadata = object.metadata;
  const name = isJsonObject(metadata) ? metadata.name : undefined;
  if (!kind.endsWith('List') && (typeof name !== 'string' || name === '')) {
    fail(`missing metadata.name in ${kind} object`, source);
  }
  // `kubectl kustomize` prints such an object, but no API server takes it, and every id
  // comparison of the build needs a version: refuse it here, where the file is known.
  const apiVersion = object.apiVersion;
  const hasApiVersion = typeof apiVersion === 'string' && apiVersion !== '';
  // A patch may leave it out: a targeted patch takes its target's.
  if (!isPatch && !kind.endsWith('List') && !hasApiVersion) {
    fail(`missing apiVersion in ${kind} ${String(name)}`, source);
  }
  const empty = nullListEntry(object, '');
  if (empty) fail(`empty item at ${empty} in ${kind} ${String(name)}`, source);
  return object;
}

/**
 * The objects of a YAML file as kustomize reads them: every document must be an object with
 * kind and metadata.name; `*List` objects with `items` are replaced by their items, which come
 * after the file's other objects.
 */
export function readResources(text: string, source: string, isPatch = false): Resource[] {
  const queue = parseYamlDocuments(text, source, 'resource').map((document) =>
    validated(document, source, isPatch),
  );
  const objects: JsonObject[] = [];
  while (queue.length > 0) {
    const object = queue.shift() as JsonObject;
    const kind = String(object.kind);
    if (!kind.endsWith('List') || !('items' in object)) {
      objects.push(object);
      continue;
    }
    const items = object.items;
    if (items === null) continue;
    if (!Array.isArray(items)) fail(`expected a list in ${kind}.items`, source);
    queue.push(...items.map((item) => validated(item, source, isPatch)));
  }
  return objects.map((object) => new Resource(object));
}
