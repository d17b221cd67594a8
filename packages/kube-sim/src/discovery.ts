import type { ApiCatalog, GroupVersions } from './catalog.ts';
import type { JsonObject } from './json.ts';
import { groupVersionOf, storageVersionHash, type ResourceType } from './resource-types.ts';

/** The discovery documents of /api, /api/v1, /apis, /apis/<group> and /apis/<group>/<version>. */

export function coreVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDocument({ group, versions, preferred }: GroupVersions): JsonObject {
  return {
    name: group,
    versions: versions.map((version) => ({ groupVersion: `${group}/${version}`, version })),
    preferredVersion: { groupVersion: `${group}/${preferred}`, version: preferred },
  };
}

export function groupList(catalog: ApiCatalog): JsonObject {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: catalog.groups().map(groupDocument) };
}

export function groupInfo(catalog: ApiCatalog, group: string): JsonObject | undefined {
  const found = catalog.groups().find((candidate) => candidate.group === group);
  return found ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(found) } : undefined;
}

function resourceEntries(type: ResourceType): JsonObject[] {
  const main: JsonObject = {
    name: type.resource,
    singularName: type.singularName,
    namespaced: type.isNamespaced,
    kind: type.kind,
    verbs: type.verbs,
  };
  if (type.shortNames.length > 0) main.shortNames = type.shortNames;
  if (type.categories.length > 0) main.categories = type.categories;
  main.storageVersionHash = storageVersionHash(type);
  if (!type.hasStatus) return [main];
  const status: JsonObject = {
    name: `${type.resource}/status`,
    singularName: '',
    namespaced: type.isNamespaced,
    kind: type.kind,
    verbs: ['get', 'patch', 'update'],
  };
  return [main, status];
}

export function resourceList(
  catalog: ApiCatalog,
  group: string,
  version: string,
): JsonObject | undefined {
  const types = catalog.resourcesIn(group, version);
  if (types.length === 0) return undefined;
  const list: JsonObject = { kind: 'APIResourceList' };
  // The core group's list carries no apiVersion in v1.20; the named groups' lists do.
  if (group !== '') list.apiVersion = 'v1';
  list.groupVersion = groupVersionOf({ group, version });
  list.resources = types.flatMap(resourceEntries);
  return list;
}
