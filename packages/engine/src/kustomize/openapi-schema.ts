import { EngineError } from '../errors.ts';
import { isJsonObject, type JsonObject } from '../patch/json-value.ts';
import {
  schemaForKind,
  type FieldSchema,
  type SchemaLookup,
  type TypeSchema,
} from '../patch/merge-keys.ts';
import type { Kustomization } from './kustomization.ts';
import type { KustLoader } from './loader.ts';
import { parseYamlDocument } from './yaml.ts';

/**
 * kustomize's `openapi: {path: schema.json}`: a custom OpenAPI document (JSON or YAML, Swagger
 * 2 `definitions`) whose `x-kubernetes-group-version-kind` definitions tell strategic merge
 * patches which lists merge by key (`x-kubernetes-patch-strategy: merge` with
 * `x-kubernetes-patch-merge-key`; without a key, a merged list of scalars). As in kustomize, the custom schema replaces the built-in one:
 * while it is in effect, built-in kinds it does not describe have all their lists replaced.
 */

const REF_PREFIX = '#/definitions/';
/** The one Kubernetes OpenAPI version kustomize v5 has built in (and merge-keys.ts is from). */
const BUILTIN_VERSION = 'v1.21.2';

interface MutableType {
  name: string;
  fields: Map<string, FieldSchema>;
}

function mergeKeysOf(property: JsonObject): readonly string[] | undefined {
  const strategy = property['x-kubernetes-patch-strategy'];
  if (typeof strategy === 'string' && strategy.split(',').includes('merge')) {
    const key = property['x-kubernetes-patch-merge-key'];
    return typeof key === 'string' && key !== '' ? [key] : [];
  }
  // kustomize reads only the patch extensions: `x-kubernetes-list-type: map` lists are replaced.
  return undefined;
}

function parseSchemaDocument(text: string, file: string): Map<string, TypeSchema> {
  const document = parseYamlDocument(text, file, 'resource');
  const definitions = isJsonObject(document) ? document.definitions : undefined;
  if (!isJsonObject(definitions)) {
    throw new EngineError(
      'KustomizeFailed',
      `${file}: invalid OpenAPI schema: expected a map "definitions"`,
      file,
    );
  }
  const built = new Map<string, MutableType>();
  const typeOf = (schema: unknown, name: string): TypeSchema | undefined => {
    if (!isJsonObject(schema)) return undefined;
    const ref = schema.$ref;
    if (typeof ref === 'string') {
      if (!ref.startsWith(REF_PREFIX)) return undefined;
      const target = ref.slice(REF_PREFIX.length);
      return definitionType(target);
    }
    return inlineType(schema, name);
  };
  const inlineType = (schema: JsonObject, name: string): TypeSchema | undefined => {
    const properties = schema.properties;
    if (!isJsonObject(properties)) return undefined;
    const type: MutableType = { name, fields: new Map() };
    fillFields(type, properties);
    return type;
  };
  const fillFields = (type: MutableType, properties: JsonObject): void => {
    for (const [field, property] of Object.entries(properties)) {
      if (!isJsonObject(property)) continue;
      const isList = property.type === 'array' || property.items !== undefined;
      const element = isList ? property.items : property;
      const elementType = typeOf(element, `${type.name}.${field}`);
      const mergeKeys = isList ? mergeKeysOf(property) : undefined;
      if (!elementType && !mergeKeys) continue;
      type.fields.set(field, {
        ...(elementType ? { type: elementType } : {}),
        ...(mergeKeys ? { mergeKeys } : {}),
      });
    }
  };
  const definitionType = (name: string): TypeSchema | undefined => {
    const existing = built.get(name);
    if (existing) return existing;
    const definition = definitions[name];
    if (!isJsonObject(definition)) return undefined;
    const type: MutableType = { name, fields: new Map() };
    built.set(name, type);
    if (isJsonObject(definition.properties)) fillFields(type, definition.properties);
    return type;
  };

  const byKind = new Map<string, TypeSchema>();
  for (const [name, definition] of Object.entries(definitions)) {
    if (!isJsonObject(definition)) continue;
    const gvks = definition['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    const type = definitionType(name);
    if (!type) continue;
    for (const gvk of gvks) {
      if (!isJsonObject(gvk) || typeof gvk.kind !== 'string') continue;
      const group = typeof gvk.group === 'string' ? gvk.group : '';
      const version = typeof gvk.version === 'string' ? gvk.version : '';
      const apiVersion = group === '' ? version : `${group}/${version}`;
      byKind.set(`${apiVersion}/${gvk.kind}`, type);
    }
  }
  return byKind;
}

/** The schema in effect for each build, set by the first kustomization that names one. */
const schemas = new WeakMap<object, SchemaLookup>();

/**
 * Reads a kustomization's `openapi` field (`version: v1.21.2` names the built-in schema). As kustomize, the first kustomization of the build
 * that names a schema sets it (the built one first, then its bases in the order they load);
 * later ones are ignored.
 */
export function useOpenApiSchema(
  loader: KustLoader,
  openapi: Kustomization['openapi'],
  file: string,
): void {
  if (!openapi || schemas.has(loader.reader)) return;
  const where = `${file}: openapi`;
  if (openapi.version !== undefined) {
    if (openapi.path !== undefined) {
      throw new EngineError(
        'KustomizeFailed',
        `${where}: builtin version and custom schema provided, cannot use both`,
        file,
      );
    }
    if (openapi.version !== BUILTIN_VERSION) {
      throw new EngineError(
        'KustomizeFailed',
        `${where}: the specified OpenAPI version "${openapi.version}" is not built in (kustomize has only ${BUILTIN_VERSION})`,
        file,
      );
    }
    // The built-in schema, named: a base's custom schema no longer takes effect.
    schemas.set(loader.reader, schemaForKind);
    return;
  }
  if (openapi.path === undefined) return;
  const { path, text } = loader.readFile(openapi.path, 'openapi.path');
  const byKind = parseSchemaDocument(text, loader.reader.display(path));
  schemas.set(loader.reader, (apiVersion, kind) => byKind.get(`${apiVersion}/${kind}`));
}

/** The custom schema in effect for this build, if a kustomization named one. */
export function customSchemaOf(loader: KustLoader): SchemaLookup | undefined {
  return schemas.get(loader.reader);
}
