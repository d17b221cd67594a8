import { EngineError } from '../errors.ts';
import type { JsonObject } from '../patch/json-value.ts';
import type { ConfigMapArgs, GeneratorOptions, SecretArgs } from './kustomization.ts';
import type { KustLoader } from './loader.ts';
import { Resource, type GeneratorBehavior } from './resource.ts';

const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function removeQuotes(value: string): string {
  if (value.length < 2 || value[0] !== value[value.length - 1]) return value;
  return value[0] === '"' || value[0] === "'" ? value.slice(1, -1) : value;
}

/** KEY=value lines; blank lines and # comments skipped, values taken verbatim. */
function parseEnvFile(text: string, fail: (why: string) => never): [string, string][] {
  const pairs: [string, string][] = [];
  text.split('\n').forEach((rawLine, index) => {
    let line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (index === 0) line = line.replace(/^\uFEFF/, '');
    line = line.trimStart();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    const key = equals < 0 ? line : line.slice(0, equals);
    if (!ENV_VAR_NAME.test(key)) fail(`"${key}" is not a valid environment variable name`);
    pairs.push([key, equals < 0 ? '' : line.slice(equals + 1)]);
  });
  return pairs;
}

function loadPairs(
  args: ConfigMapArgs,
  loader: KustLoader,
  field: string,
  fail: (why: string) => never,
): [string, string][] {
  const pairs: [string, string][] = [];
  const envs = [...(args.envs ?? []), ...(args.env ? [args.env] : [])];
  for (const env of envs) {
    pairs.push(...parseEnvFile(loader.readFile(env, `${field}.envs`).text, fail));
  }
  for (const literal of args.literals ?? []) {
    const equals = literal.indexOf('=');
    if (equals <= 0) fail(`invalid literal source "${literal}", expected key=value`);
    pairs.push([literal.slice(0, equals), removeQuotes(literal.slice(equals + 1))]);
  }
  for (const source of args.files ?? []) {
    const parts = source.split('=');
    if (parts.length > 2) fail(`file source "${source}": key name or file path contains '='`);
    const [key, path] = parts.length === 2 ? parts : [basename(source), source];
    if (!key) fail(`file source "${source}": missing key name`);
    if (!path) fail(`file source "${source}": missing file path`);
    pairs.push([key ?? '', loader.readFile(path ?? '', `${field}.files`).text]);
  }
  return pairs;
}

function dataMap(
  pairs: [string, string][],
  name: string,
  fail: (why: string) => never,
): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (!CONFIG_MAP_KEY.test(key) || key.length > 253 || key.startsWith('..') || key === '.') {
      fail(`"${key}" is not a valid key name for a ConfigMap or Secret`);
    }
    if (Object.hasOwn(data, key)) fail(`configmap ${name} illegally repeats the key \`${key}\``);
    data[key] = value;
  }
  return Object.fromEntries(
    Object.keys(data)
      .sort()
      .map((key) => [key, data[key] ?? '']),
  );
}

/** Local options override the kustomization's generatorOptions key by key. */
function mergeOptions(local?: GeneratorOptions, global?: GeneratorOptions): GeneratorOptions {
  return {
    labels: { ...global?.labels, ...local?.labels },
    annotations: { ...global?.annotations, ...local?.annotations },
    disableNameSuffixHash: Boolean(local?.disableNameSuffixHash || global?.disableNameSuffixHash),
    immutable: Boolean(local?.immutable || global?.immutable),
  };
}

/** Base64 as kustomize writes Secret data: past 70 characters, lines of 70, each ended by \n. */
function secretValue(value: string): string {
  const encoded = Buffer.from(value, 'utf8').toString('base64');
  if (encoded.length < 70) return encoded;
  return encoded.replace(/.{1,70}/g, (line) => `${line}\n`);
}

function behaviorOf(value: string | undefined): GeneratorBehavior {
  return value === 'merge' || value === 'replace' ? value : 'create';
}

function generate(
  kind: 'ConfigMap' | 'Secret',
  args: ConfigMapArgs & { type?: string },
  globalOptions: GeneratorOptions | undefined,
  loader: KustLoader,
  field: string,
): Resource {
  const where = loader.where(field);
  const fail = (why: string): never => {
    throw new EngineError('KustomizeFailed', `${where}: ${why}`, where);
  };
  if (!args.name) fail('a configmap must have a name');
  const options = mergeOptions(args.options, globalOptions);
  const metadata: JsonObject = { name: args.name };
  if (args.namespace) metadata.namespace = args.namespace;
  if (Object.keys(options.labels ?? {}).length > 0) metadata.labels = { ...options.labels };
  if (Object.keys(options.annotations ?? {}).length > 0) {
    metadata.annotations = { ...options.annotations };
  }
  const object: JsonObject = { apiVersion: 'v1', kind, metadata };
  const data = dataMap(loadPairs(args, loader, field, fail), args.name, fail);
  if (kind === 'Secret') {
    object.type = args.type || 'Opaque';
    object.data = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, secretValue(v)]));
  } else if (Object.keys(data).length > 0) {
    object.data = data;
  }
  if (options.immutable) object.immutable = true;

  const resource = new Resource(object);
  resource.needsHashSuffix = !options.disableNameSuffixHash;
  resource.behavior = behaviorOf(args.behavior);
  return resource;
}

export function generateConfigMap(
  args: ConfigMapArgs,
  globalOptions: GeneratorOptions | undefined,
  loader: KustLoader,
  field: string,
): Resource {
  return generate('ConfigMap', args, globalOptions, loader, field);
}

export function generateSecret(
  args: SecretArgs,
  globalOptions: GeneratorOptions | undefined,
  loader: KustLoader,
  field: string,
): Resource {
  return generate('Secret', args, globalOptions, loader, field);
}
