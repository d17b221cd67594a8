import { EngineError } from '../../errors.ts';
import { visitFieldSpec, writeSlot, type FieldSpec } from '../field-spec.ts';
import { REPLICAS } from '../field-specs.ts';
import type { ResMap } from '../res-map.ts';
import { gvkSelected } from '../resource.ts';

/** `replicas:` entry: sets spec.replicas of the workloads named so (now or originally). */
export function setReplicas(
  resmap: ResMap,
  replica: { name: string; count: number },
  where: string,
  specs: readonly FieldSpec[] = REPLICAS,
): void {
  let found = false;
  for (const spec of specs) {
    const matches = resmap.matchingAnyId((id) => id.name === replica.name && gvkSelected(id, spec));
    if (matches.length > 0) found = true;
    for (const resource of matches) {
      visitFieldSpec(
        resource.object,
        spec,
        'scalar',
        (slot) => writeSlot(slot, replica.count),
        where,
      );
    }
  }
  if (!found) {
    throw new EngineError(
      'KustomizeFailed',
      `${where}: resource with name ${replica.name} does not match a config with the following GVK [${specs.map((spec) => `${spec.kind || '~K'}.${spec.version || '[noVer]'}.${spec.group || '[noGrp]'}`).join(' ')}]`,
      where,
    );
  }
}
