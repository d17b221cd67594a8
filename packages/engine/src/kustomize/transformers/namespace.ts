import { EngineError } from '../../errors.ts';
import { isJsonObject } from '../../patch/json-value.ts';
import { visitFieldSpec, writeSlot } from '../field-spec.ts';
import { NAMESPACE } from '../field-specs.ts';
import type { ResMap } from '../res-map.ts';
import { formatId, isClusterScoped, sameId } from '../resource.ts';

/**
 * `namespace:` sets metadata.namespace on every namespaced object, renames Namespace objects
 * to it (as kustomize does), fills the namespace of the APIService and CRD webhook service
 * references, and that of RoleBinding subjects named "default".
 */
export function setNamespace(resmap: ResMap, namespace: string, where: string): void {
  for (const resource of resmap.resources) {
    if (resource.isEmpty()) continue;
    resource.storePreviousId();
    const specs = NAMESPACE.filter(
      (spec) => spec.path !== 'metadata/name' || resource.apiVersion === 'v1',
    );
    if (!isClusterScoped(resource.gvk())) resource.metadata.namespace = namespace;
    if (resource.kind === 'RoleBinding' || resource.kind === 'ClusterRoleBinding') {
      const subjects = resource.object.subjects;
      for (const subject of Array.isArray(subjects) ? subjects : []) {
        if (isJsonObject(subject) && subject.name === 'default') subject.namespace = namespace;
      }
    }
    for (const spec of specs) {
      visitFieldSpec(resource.object, spec, 'scalar', (slot) => writeSlot(slot, namespace), where);
    }
    const id = resource.curId();
    const clashes = resmap.resources.filter((other) => sameId(other.curId(), id));
    if (clashes.length !== 1) {
      throw new EngineError(
        'KustomizeFailed',
        `${where}: namespace transformation produces ID conflict: ${formatId(id)}`,
        where,
      );
    }
  }
}
