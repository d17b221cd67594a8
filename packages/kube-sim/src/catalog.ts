import { isObject, stringAt, type JsonObject } from './json.ts';
import { BUILTIN_TYPES, CUSTOM_VERBS, typeKey, type ResourceType } from './resource-types.ts';
import { fromOpenApi, type ObjectSchema } from './type-schema.ts';
import { objectMetaSchema } from './builtin-schemas.ts';

const BUILTIN_BY_KEY = new Map(
  BUILTIN_TYPES.map((type) => [typeKey(type.group, type.version, type.resource), type]),
);

// Discovery lists groups by priority; these are the v1.20 ones this simulator serves.
const BUILTIN_GROUP_ORDER = [
  'apps',
  'autoscaling',
  'batch',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'apiextensions.k8s.io',
];

export interface GroupVersions {
  group: string;
  versions: string[];
  preferred: string;
}

/** Kubernetes version order: GA before beta before alpha, higher numbers first. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (version: string) => {
    const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
    if (!match) return [0, 0, 0];
    const stability = match[2] === undefined ? 3 : match[2] === 'beta' ? 2 : 1;
    return [stability, Number(match[1]), Number(match[3] ?? 0)];
  };
  const [left, right] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) {
    const difference = (right[i] ?? 0) - (left[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.localeCompare(b);
}

/**
 * The resource types one simulated cluster serves: the shared built-ins plus the custom
 * resources of its established CRDs.
 */
export class ApiCatalog {
  private readonly custom = new Map<string, ResourceType>();
  private readonly crdTypes = new Map<string, string[]>();

  lookup(group: string, version: string, resource: string): ResourceType | undefined {
    const key = typeKey(group, version, resource);
    return BUILTIN_BY_KEY.get(key) ?? this.custom.get(key);
  }

  groups(): GroupVersions[] {
    const builtin = BUILTIN_GROUP_ORDER.map((group) => {
      const versions = [
        ...new Set(
          BUILTIN_TYPES.filter((type) => type.group === group).map((type) => type.version),
        ),
      ];
      versions.sort(compareKubeVersions);
      return { group, versions, preferred: versions[0] ?? 'v1' };
    });
    const customGroups = [...new Set([...this.custom.values()].map((type) => type.group))].sort();
    const custom = customGroups.map((group) => {
      const versions = [
        ...new Set(
          [...this.custom.values()]
            .filter((type) => type.group === group)
            .map((type) => type.version),
        ),
      ];
      versions.sort(compareKubeVersions);
      return { group, versions, preferred: versions[0] ?? 'v1' };
    });
    return [...builtin, ...custom];
  }

  resourcesIn(group: string, version: string): ResourceType[] {
    const matches = (type: ResourceType) => type.group === group && type.version === version;
    return [...BUILTIN_TYPES.filter(matches), ...[...this.custom.values()].filter(matches)];
  }

  customTypes(): ResourceType[] {
    return [...this.custom.values()];
  }

  /** Serves (or re-serves) the versions of a CRD; returns the types it now serves. */
  registerCrd(crd: JsonObject): ResourceType[] {
    const name = stringAt(crd, ['metadata', 'name']) ?? '';
    this.unregisterCrd(name);
    const spec = isObject(crd.spec) ? crd.spec : {};
    const names = isObject(spec.names) ? spec.names : {};
    const group = typeof spec.group === 'string' ? spec.group : '';
    const plural = typeof names.plural === 'string' ? names.plural : '';
    const kind = typeof names.kind === 'string' ? names.kind : '';
    const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
    const keys: string[] = [];
    const types: ResourceType[] = [];
    for (const version of versions) {
      if (version.served !== true || typeof version.name !== 'string') continue;
      const openApi =
        isObject(version.schema) && isObject(version.schema.openAPIV3Schema)
          ? version.schema.openAPIV3Schema
          : {};
      const storage = versions.find((candidate) => candidate.storage === true);
      const type: ResourceType = {
        group,
        version: version.name,
        storageVersion: typeof storage?.name === 'string' ? storage.name : version.name,
        resource: plural,
        kind,
        listKind: typeof names.listKind === 'string' ? names.listKind : `${kind}List`,
        singularName: typeof names.singular === 'string' ? names.singular : kind.toLowerCase(),
        isNamespaced: spec.scope !== 'Cluster',
        verbs: CUSTOM_VERBS,
        shortNames: Array.isArray(names.shortNames)
          ? names.shortNames.filter((n): n is string => typeof n === 'string')
          : [],
        categories: Array.isArray(names.categories)
          ? names.categories.filter((n): n is string => typeof n === 'string')
          : [],
        hasStatus: isObject(version.subresources) && isObject(version.subresources.status),
        hasGeneration: true,
        isCustom: true,
        schema: customResourceSchema(openApi),
        openApi,
      };
      const key = typeKey(group, version.name, plural);
      this.custom.set(key, type);
      keys.push(key);
      types.push(type);
    }
    this.crdTypes.set(name, keys);
    return types;
  }

  unregisterCrd(name: string): void {
    for (const key of this.crdTypes.get(name) ?? []) this.custom.delete(key);
    this.crdTypes.delete(name);
  }
}

function customResourceSchema(openApi: JsonObject): ObjectSchema {
  const converted = fromOpenApi(openApi);
  const root: ObjectSchema =
    converted.type === 'object'
      ? { ...converted, fields: { ...converted.fields } }
      : {
          type: 'object',
          fields: {},
          rest: converted.type === 'deduced' ? converted : undefined,
          isMap: true,
        };
  root.fields.apiVersion = { type: 'scalar' };
  root.fields.kind = { type: 'scalar' };
  root.fields.metadata = objectMetaSchema();
  return root;
}
