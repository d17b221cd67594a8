import { z } from 'zod';
import { EngineError } from '../../errors.ts';
import { isJsonObject, type JsonValue } from '../../patch/json-value.ts';
import { fieldSpecs, readSlot, visitFieldSpec, writeSlot } from '../field-spec.ts';
import type { ResMap } from '../res-map.ts';
import {
  effectiveNamespace,
  isClusterScoped,
  sameGvk,
  splitApiVersion,
  type ResId,
} from '../resource.ts';
import { mergeFieldSpecs } from '../transformer-config.ts';
import { splitReplacementPath } from './replacements.ts';

const text = z.string();

/** A `vars:` entry: `$(NAME)` in the fields kustomize lists becomes a field of an object. */
export const varEntry = z.strictObject({
  name: text,
  objref: z.strictObject({
    apiVersion: text.optional(),
    group: text.optional(),
    version: text.optional(),
    kind: text.optional(),
    name: text,
    namespace: text.optional(),
  }),
  fieldref: z.strictObject({ fieldPath: text.optional() }).optional(),
});

export type Var = z.infer<typeof varEntry>;

/** kustomize's varReference configuration: where `$(VAR)` is looked for (v5.5). */
const VAR_REFERENCES = fieldSpecs(
  [
    ...[
      ['Deployment', 'spec/template/spec'],
      ['DaemonSet', 'spec/template/spec'],
      ['ReplicaSet', 'spec/template/spec'],
      ['StatefulSet', 'spec/template/spec'],
      ['Job', 'spec/template/spec'],
      ['Pod', 'spec'],
      ['CronJob', 'spec/jobTemplate/spec/template/spec'],
    ].flatMap(([kind, prefix]) =>
      [
        'containers/args',
        'containers/command',
        'containers/env/value',
        'containers/volumeMounts/mountPath',
        'initContainers/args',
        'initContainers/command',
        'initContainers/env/value',
        'initContainers/volumeMounts/mountPath',
      ].map((path) => `${prefix}/${path} */*/${kind}`),
    ),
    // kustomize's own list has these nfs paths (the CronJob one misses its pod spec).
    'spec/jobTemplate/spec/template/volumes/nfs/server */*/CronJob',
    'spec/template/spec/volumes/nfs/server */*/DaemonSet',
    'spec/template/spec/volumes/nfs/server */*/Deployment',
    'spec/template/spec/volumes/nfs/server */*/Job',
    'spec/volumes/nfs/server */*/Pod',
    'spec/template/spec/volumes/nfs/server */*/ReplicaSet',
    'spec/volumeClaimTemplates/spec/nfs/server */*/StatefulSet',
    'spec/template/metadata/annotations */*/Deployment',
    'spec/rules/host */*/Ingress',
    'spec/tls/hosts */*/Ingress',
    'spec/tls/secretName */*/Ingress',
    'spec/ports/port */*/Service',
    'spec/ports/targetPort */*/Service',
    'spec/nfs/server */*/PersistentVolume',
    'metadata/labels',
    'metadata/annotations',
  ].join('\n'),
);

function fail(message: string, where: string): never {
  throw new EngineError('KustomizeFailed', `${where}: ${message}`, where);
}

function objrefId(v: Var): ResId {
  const fromApiVersion = v.objref.apiVersion ? splitApiVersion(v.objref.apiVersion) : undefined;
  const gvk = {
    group: fromApiVersion?.group ?? v.objref.group ?? '',
    version: fromApiVersion?.version ?? v.objref.version ?? '',
    kind: v.objref.kind ?? '',
  };
  return {
    ...gvk,
    name: v.objref.name,
    namespace: v.objref.namespace ?? '',
    isClusterScoped: isClusterScoped(gvk),
  };
}

function describeVar(v: Var): string {
  const { objref } = v;
  return `${v.name} (${objref.kind ?? ''} ${objref.namespace ? `${objref.namespace}/` : ''}${objref.name}, ${fieldPathOf(v)})`;
}

const fieldPathOf = (v: Var) => v.fieldref?.fieldPath || 'metadata.name';

/**
 * kustomize's MergeVars, run after a kustomization's transformers: each var marks the object
 * its objref names (by any of its names so far: namePrefix does not hide it); the var's value
 * is read from that object at the end of the build. A repeated var name is an error.
 */
export function mergeVars(resmap: ResMap, known: Var[], incoming: readonly Var[], where: string) {
  for (const v of incoming) {
    const wanted = objrefId(v);
    // An objref without a namespace matches any namespace, for backward compatibility.
    const anyNamespace = wanted.namespace === '' && !wanted.isClusterScoped;
    const matched = resmap.resources.filter((resource) =>
      resource
        .allIds()
        .some(
          (id) =>
            id.name === wanted.name &&
            sameGvk(id, wanted) &&
            (anyNamespace || effectiveNamespace(id) === effectiveNamespace(wanted)),
        ),
    );
    if (matched.length > 1) {
      fail(
        `found ${matched.length} resId matches for var ${describeVar(v)} (unable to disambiguate)`,
        where,
      );
    }
    matched[0]?.refVarNames.push(v.name);
  }
  for (const v of incoming) {
    if (known.some((other) => other.name === v.name)) {
      fail(`var '${v.name}' already encountered`, where);
    }
    known.push(v);
  }
}

/** kyaml's GetFieldValue: `a.b[0]` and `a.[k=v]` paths. */
function fieldValue(object: JsonValue, path: string): JsonValue | undefined {
  const parts = splitReplacementPath(path).flatMap((part) => {
    const m = /^(.*)\[(\d+)\]$/.exec(part);
    if (!m) return [part];
    return m[1] ? [m[1], m[2] ?? ''] : [m[2] ?? ''];
  });
  let node: JsonValue | undefined = object;
  for (const part of parts) {
    if (node === undefined || node === null) return undefined;
    if (Array.isArray(node)) {
      if (/^\d+$/.test(part)) {
        node = node[Number(part)];
        continue;
      }
      const m = /^\[([^=]*)=(.*)\]$/.exec(part);
      if (!m) return undefined;
      node = node.find((item) =>
        m[1] === ''
          ? String(item) === m[2]
          : isJsonObject(item) &&
            item[m[1] ?? ''] !== undefined &&
            String(item[m[1] ?? '']) === m[2],
      );
      continue;
    }
    if (!isJsonObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

type Mapping = (name: string) => JsonValue;

/** kustomize's DoReplacements: `$(VAR)` alone keeps the value's type; `$$` escapes. */
function expand(input: string, mapping: Mapping): JsonValue {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let read: string;
    let isVar = false;
    let advance: number;
    if (rest[0] === '$') {
      read = '$';
      advance = 1;
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close > 0) {
        read = rest.slice(1, close);
        isVar = true;
        advance = close + 1;
      } else {
        read = '$(';
        advance = 1;
      }
    } else {
      read = `$${rest[0] ?? ''}`;
      advance = 1;
    }
    if (isVar) {
      const mapped = mapping(read);
      if (input === `$(${read})`) return mapped;
      out += typeof mapped === 'string' ? mapped : String(mapped);
    } else out += read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/**
 * kustomize's ResolveVars, after hash suffixes and name references: each var's value (its
 * object's field now) replaces `$(NAME)` in the strings of the varReference fields. A var
 * whose object is not in the build, or whose field is missing, is an error; `$(OTHER)` that
 * names no var stays as written.
 */
export function resolveVars(resmap: ResMap, vars: readonly Var[], where: string): void {
  if (vars.length === 0) return;
  const values = new Map<string, JsonValue>();
  for (const v of vars) {
    const source = resmap.resources.find((resource) => resource.refVarNames.includes(v.name));
    if (!source)
      fail(
        `var '${describeVar(v)}' cannot be mapped to a field in the set of known resources`,
        where,
      );
    const value = fieldValue(source.object, fieldPathOf(v));
    if (value === undefined) {
      fail(`field specified in var '${describeVar(v)}' not found in corresponding resource`, where);
    }
    values.set(v.name, value);
  }
  const mapping: Mapping = (name) => {
    const value = values.get(name);
    // Maps and lists cannot go into a string: the reference stays, as in kustomize.
    if (value === undefined || value === null || typeof value === 'object') return `$(${name})`;
    return value;
  };
  for (const resource of resmap.resources) {
    for (const spec of mergeFieldSpecs(VAR_REFERENCES, resmap.config.varReference, where)) {
      visitFieldSpec(
        resource.object,
        spec,
        undefined,
        (slot) => {
          const value = readSlot(slot);
          if (value === undefined || value === null) return;
          if (typeof value === 'string') {
            writeSlot(slot, expand(value, mapping));
          } else if (Array.isArray(value)) {
            value.forEach((item, i) => {
              if (typeof item !== 'string') fail('invalid value type expect a string', where);
              value[i] = expand(item, mapping);
            });
          } else if (isJsonObject(value)) {
            for (const [key, item] of Object.entries(value)) {
              if (typeof item === 'string') value[key] = expand(item, mapping);
            }
          }
        },
        where,
      );
    }
  }
}
