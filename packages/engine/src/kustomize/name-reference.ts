import { EngineError } from '../errors.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../patch/json-value.ts';
import { readSlot, visitFieldSpec, writeSlot, type FieldSpec, type Slot } from './field-spec.ts';
import { NAME_REFERENCES } from './field-specs.ts';
import { mergeNameReferences } from './transformer-config.ts';
import type { ResMap } from './res-map.ts';
import {
  effectiveNamespace,
  formatId,
  gvkSelected,
  NOT_NAMESPACED,
  type Gvk,
  type ResId,
  type Resource,
} from './resource.ts';

/** Does `shorter` end `longer` (whichever is which)? Both empty counts; one empty does not. */
function sameEnding(a: readonly string[], b: readonly string[]): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length === 0) return longer.length === 0;
  const offset = longer.length - shorter.length;
  return shorter.every((value, i) => longer[i + offset] === value);
}

function affixesMatch(candidate: Resource, referrer: Resource, allowEmpty: boolean): boolean {
  const prefixes =
    (allowEmpty && (candidate.prefixes.length === 0 || referrer.prefixes.length === 0)) ||
    sameEnding(candidate.prefixes, referrer.prefixes);
  const suffixes =
    (allowEmpty && (candidate.suffixes.length === 0 || referrer.suffixes.length === 0)) ||
    sameEnding(candidate.suffixes, referrer.suffixes);
  return prefixes && suffixes;
}

interface Ids {
  current: ResId;
  previous: ResId[];
  original: ResId;
}

interface Reference {
  referrer: Resource;
  spec: FieldSpec;
  target: Partial<Gvk>;
  candidates: Resource[];
  /** Ids do not change while references are fixed: computed once. */
  ids: Map<Resource, Ids>;
  where: string;
}

function idsOf(reference: Reference, resource: Resource): Ids {
  let ids = reference.ids.get(resource);
  if (!ids) {
    ids = {
      current: resource.curId(),
      previous: resource.previousIds(),
      original: resource.orgId(),
    };
    reference.ids.set(resource, ids);
  }
  return ids;
}

/**
 * Picks the object a name refers to, as kustomize does: among the objects of the referred kind
 * that once had that name, those visible from the referrer's namespace; ties are broken by
 * the prefixes and suffixes both received. Undefined when none had the name.
 */
function selectReferral(
  reference: Reference,
  oldName: string,
  candidates: Resource[],
  areIdentical: (resources: Resource[]) => boolean,
): Resource | undefined {
  const { referrer, spec, target } = reference;
  let roleRef: Partial<Gvk> | undefined;
  const ref = referrer.object.roleRef;
  if (spec.path.endsWith('roleRef/name') && isJsonObject(ref)) {
    if (typeof ref.apiGroup === 'string' && typeof ref.kind === 'string') {
      roleRef = { group: ref.apiGroup, kind: ref.kind };
    }
  }
  const referrerId = idsOf(reference, referrer).current;
  let matches = candidates.filter((candidate) => {
    const { previous, current: id } = idsOf(reference, candidate);
    if (!previous.some((previousId) => previousId.name === oldName)) return false;
    if (!previous.some((previousId) => gvkSelected(previousId, target))) return false;
    if (roleRef && !previous.some((previousId) => gvkSelected(previousId, roleRef))) return false;
    return (
      referrerId.isClusterScoped ||
      id.isClusterScoped ||
      candidate.kind === 'ServiceAccount' ||
      effectiveNamespace(id) === effectiveNamespace(referrerId)
    );
  });
  if (matches.length === 1) return matches[0];
  matches = matches.filter((candidate) => affixesMatch(candidate, referrer, true));
  if (matches.length > 1) matches = matches.filter((c) => affixesMatch(c, referrer, false));
  if (matches.length <= 1) return matches[0];
  if (areIdentical(matches)) return matches[0];
  throw new EngineError(
    'KustomizeFailed',
    `${reference.where}: found multiple possible referrals for "${oldName}" in ${formatId(
      referrerId,
    )}: ${matches.map((m) => formatId(m.curId())).join(', ')}`,
    reference.where,
  );
}

function setScalar(reference: Reference, slot: Slot, value: JsonValue): void {
  const oldName = String(value);
  const referral = selectReferral(reference, oldName, reference.candidates, (matches) =>
    matches.every((m) => m.name === matches[0]?.name),
  );
  if (!referral) return;
  if (referral.name !== oldName) writeSlot(slot, referral.name);
}

/** Candidates for a `{name, namespace}` reference: those (once) in that namespace. */
function inNamespaceOf(reference: Reference, node: JsonObject): Resource[] {
  const { candidates } = reference;
  if (!('namespace' in node)) return candidates;
  const namespace = String(node.namespace ?? '');
  const original = candidates.filter((candidate) => {
    const originalNamespace = effectiveNamespace(idsOf(reference, candidate).original);
    return originalNamespace !== NOT_NAMESPACED && originalNamespace === namespace;
  });
  if (original.length > 0) return original;
  return candidates.filter((candidate) => {
    const { current } = idsOf(reference, candidate);
    return !current.isClusterScoped && effectiveNamespace(current) === namespace;
  });
}

function setMapping(reference: Reference, node: JsonObject): void {
  if (!('name' in node)) {
    throw new EngineError(
      'KustomizeFailed',
      `${reference.where}: no 'name' field in ${reference.spec.path} of ${formatId(reference.referrer.curId())}`,
      reference.where,
    );
  }
  const oldName = String(node.name ?? '');
  const referral = selectReferral(reference, oldName, inNamespaceOf(reference, node), (m) =>
    m.every((c) => c.name === m[0]?.name && c.namespace === m[0]?.namespace),
  );
  if (!referral) return;
  if (referral.name === oldName && referral.namespace === '') return;
  node.name = referral.name;
  if (referral.namespace !== '') node.namespace = referral.namespace;
}

function update(reference: Reference, slot: Slot): void {
  const value = readSlot(slot);
  if (value === undefined || value === null) return;
  const visit = (element: JsonValue, elementSlot: Slot) => {
    if (element === null) return;
    if (isJsonObject(element)) setMapping(reference, element);
    else if (Array.isArray(element)) {
      throw new EngineError(
        'KustomizeFailed',
        `${reference.where}: ${reference.spec.path} is expected to be either a string or a map of string`,
        reference.where,
      );
    } else setScalar(reference, elementSlot, element);
  };
  if (Array.isArray(value))
    value.forEach((element, i) => visit(element, { container: value, key: i }));
  else visit(value, slot);
}

/**
 * Rewrites names that refer to renamed objects (prefix, suffix, namespace, hash suffix,
 * patches): ConfigMap and Secret references in pod specs, ServiceAccount names, role
 * bindings' subjects and roleRef, Services in Ingresses, and the rest of kustomize's list.
 */
export function fixNameReferences(resmap: ResMap, where: string): void {
  const resources = resmap.resources;
  const ids = new Map<Resource, Ids>();
  const originals = resources.map((resource) => resource.orgId());
  const pending = new Map<Resource, { spec: FieldSpec; target: Partial<Gvk> }[]>();
  const references = mergeNameReferences(NAME_REFERENCES, resmap.config.nameReference, where);
  for (const { target, referrers } of references) {
    for (const spec of referrers) {
      for (const [i, resource] of resources.entries()) {
        if (!gvkSelected(originals[i] as ResId, spec)) continue;
        const list = pending.get(resource) ?? [];
        list.push({ spec, target });
        pending.set(resource, list);
      }
    }
  }
  for (const [referrer, list] of pending) {
    const candidates = resmap.referableBy(referrer);
    for (const { spec, target } of list) {
      const reference: Reference = { referrer, spec, target, candidates, ids, where };
      const anyKind: FieldSpec = { path: spec.path };
      visitFieldSpec(referrer.object, anyKind, undefined, (slot) => update(reference, slot), where);
    }
  }
}
