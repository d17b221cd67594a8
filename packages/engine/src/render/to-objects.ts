import { EngineError } from '../errors.ts';
import type { KubeObject } from '../types.ts';
import type { RenderBudget } from './limits.ts';
import { isPlainObject } from './parse-yaml.ts';

/**
 * Turns the parsed documents of one file into Kubernetes objects the way kubectl reads a
 * manifest: empty documents are skipped and a `List` (`v1/List`, `FooList`, anything with an
 * `items` array and a kind ending in "List") contributes its items. Everything else must be a
 * mapping with apiVersion, kind and metadata.name.
 */
export function toKubeObjects(
  documents: unknown[],
  file: string,
  budget: RenderBudget,
): KubeObject[] {
  const objects: KubeObject[] = [];
  documents.forEach((document, index) => {
    if (document === null) return;
    collect(document, `${file}: document ${index + 1}`, file, budget, objects);
  });
  return objects;
}

function collect(
  value: unknown,
  where: string,
  file: string,
  budget: RenderBudget,
  into: KubeObject[],
): void {
  if (!isPlainObject(value)) {
    throw new EngineError(
      'YamlInvalid',
      `${where}: expected a mapping (a Kubernetes object)`,
      file,
    );
  }
  const { kind, items } = value;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) {
    items.forEach((item: unknown, itemIndex) => {
      budget.spendDocument(file);
      collect(item, `${where}, item ${itemIndex + 1}`, file, budget, into);
    });
    return;
  }
  into.push(asKubeObject(value, where, file));
}

export function asKubeObject(
  value: Record<string, unknown>,
  where: string,
  file: string,
): KubeObject {
  const { apiVersion, kind, metadata } = value;
  const missing = [
    typeof apiVersion === 'string' && apiVersion !== '' ? undefined : 'apiVersion',
    typeof kind === 'string' && kind !== '' ? undefined : 'kind',
    isPlainObject(metadata) && typeof metadata.name === 'string' && metadata.name !== ''
      ? undefined
      : 'metadata.name',
  ].filter((field) => field !== undefined);
  if (missing.length > 0) {
    throw new EngineError('YamlInvalid', `${where}: missing ${missing.join(', ')}`, file);
  }
  return value as KubeObject;
}
