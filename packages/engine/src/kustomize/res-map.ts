import { EngineError } from '../errors.ts';
import { isJsonObject, type JsonObject } from '../patch/json-value.ts';
import { effectiveNamespace, formatId, sameId, type ResId, type Resource } from './resource.ts';
import { emptyConfig, type TransformerConfig } from './transformer-config.ts';

function fail(message: string, where: string): never {
  throw new EngineError('KustomizeFailed', `${where}: ${message}`, where);
}

/** The ordered objects of a build, unique by (group, version, kind, namespace, name). */
export class ResMap {
  private list: Resource[] = [];
  /** The `configurations:` of the kustomizations accumulated here (kustomize's tConfig). */
  config: TransformerConfig = emptyConfig();

  get resources(): readonly Resource[] {
    return this.list;
  }

  append(resource: Resource, where: string): void {
    const id = resource.curId();
    if (this.list.some((existing) => sameId(existing.curId(), id))) {
      fail(`may not add resource with an already registered id: ${formatId(id)}`, where);
    }
    this.list.push(resource);
  }

  appendAll(resources: readonly Resource[], where: string): void {
    for (const resource of resources) this.append(resource, where);
  }

  /** Objects any of whose ids (current or previous) matches. */
  matchingAnyId(matches: (id: ResId) => boolean): Resource[] {
    return this.list.filter((resource) => resource.allIds().some(matches));
  }

  /** The one object a strategic merge patch without target selects by its own id. */
  getByIdForPatch(id: ResId, where: string): Resource {
    const matches = this.matchingAnyId((candidate) => sameId(candidate, id));
    if (matches.length === 1 && matches[0]) return matches[0];
    const problem = matches.length === 0 ? 'no matches' : 'multiple matches';
    return fail(
      `${problem} for Id ${formatId(id)}; failed to find unique target for patch ${formatId(id)}`,
      where,
    );
  }

  dropEmpties(): void {
    this.list = this.list.filter((resource) => !resource.isEmpty());
  }

  /**
   * Adds a generated object, or merges it into / replaces the object of the same id when the
   * generator's behavior says so.
   */
  absorb(generated: Resource, where: string): void {
    const id = generated.curId();
    const matches = this.matchingAnyId((candidate) => sameId(candidate, id));
    const [old] = matches;
    if (matches.length > 1) {
      fail(`found multiple objects that could accept merge of ${formatId(id)}`, where);
    }
    if (!old) {
      if (generated.behavior !== 'create') {
        fail(`id ${formatId(id)} does not exist; cannot merge or replace`, where);
      }
      this.append(generated, where);
      return;
    }
    if (generated.behavior === 'create') {
      fail(`id ${formatId(id)} exists; behavior must be merge or replace`, where);
    }
    copyMergeMetadata(generated, old);
    if (generated.behavior === 'merge') {
      for (const field of ['data', 'binaryData'] as const) {
        const merged = { ...mapField(old, field), ...mapField(generated, field) };
        if (Object.keys(merged).length > 0) generated.object[field] = merged;
      }
    }
    this.list[this.list.indexOf(old)] = generated;
  }

  /** The objects a referrer may name: same namespace, cluster-scoped, or bound subjects'. */
  referableBy(referrer: Resource): Resource[] {
    const referrerId = referrer.curId();
    if (referrerId.isClusterScoped) return [...this.list];
    const subjectNamespaces = new Set<string>();
    const subjects = referrer.kind === 'RoleBinding' ? referrer.object.subjects : undefined;
    for (const subject of Array.isArray(subjects) ? subjects : []) {
      if (
        isJsonObject(subject) &&
        subject.kind === 'ServiceAccount' &&
        typeof subject.namespace === 'string'
      ) {
        subjectNamespaces.add(subject.namespace);
      }
    }
    return this.list.filter((candidate) => {
      const id = candidate.curId();
      return (
        id.isClusterScoped ||
        effectiveNamespace(id) === effectiveNamespace(referrerId) ||
        subjectNamespaces.has(candidate.namespace)
      );
    });
  }
}

function mapField(resource: Resource, field: string): JsonObject {
  const value = resource.object[field];
  return isJsonObject(value) ? value : {};
}

/**
 * What a generator with behavior merge or replace keeps of the object it takes over: its
 * labels and annotations (overridden by the generator's), name, namespace and build history.
 */
function copyMergeMetadata(generated: Resource, old: Resource): void {
  for (const field of ['labels', 'annotations'] as const) {
    const merged = { ...old.stringMap(field), ...generated.stringMap(field) };
    if (Object.keys(merged).length > 0) generated.metadata[field] = merged;
    else delete generated.metadata[field];
  }
  generated.name = old.name;
  generated.namespace = old.namespace;
  generated.needsHashSuffix = old.needsHashSuffix && generated.needsHashSuffix;
  generated.prevIds = old.prevIds.map((id) => ({ ...id }));
  generated.prefixes = [...old.prefixes];
  generated.suffixes = [...old.suffixes];
}
