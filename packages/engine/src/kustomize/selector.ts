import { EngineError } from '../errors.ts';
import { effectiveNamespace, type Resource } from './resource.ts';

/** A patch target, as a kustomization writes it. Names and gvk parts are anchored regexes. */
export interface TargetSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

type Requirement =
  | { key: string; op: 'exists' | 'notExists' }
  | { key: string; op: 'in' | 'notIn'; values: string[] }
  | { key: string; op: 'gt' | 'lt'; value: number };

/**
 * Parses Kubernetes' label selector string syntax (`a=b,c!=d,e in (x,y),!f,g`), which
 * kustomize uses for labelSelector and annotationSelector.
 */
export function parseSelectorString(text: string, where: string): Requirement[] {
  const fail = (why: string): never => {
    throw new EngineError('KustomizeFailed', `${where}: invalid selector "${text}": ${why}`, where);
  };
  const requirements: Requirement[] = [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  for (const raw of parts) {
    const part = raw.trim();
    if (part === '') {
      if (text.trim() === '') continue;
      fail('empty requirement');
    }
    let m: RegExpExecArray | null;
    if ((m = /^!\s*([^\s=!<>(),]+)$/.exec(part))) {
      requirements.push({ key: m[1] ?? '', op: 'notExists' });
    } else if ((m = /^([^\s=!<>(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part))) {
      const values = (m[3] ?? '').split(',').map((value) => value.trim());
      requirements.push({ key: m[1] ?? '', op: m[2] === 'in' ? 'in' : 'notIn', values });
    } else if ((m = /^([^\s=!<>(),]+)\s*(==|=|!=)\s*([^\s=!<>(),]*)$/.exec(part))) {
      requirements.push({
        key: m[1] ?? '',
        op: m[2] === '!=' ? 'notIn' : 'in',
        values: [m[3] ?? ''],
      });
    } else if ((m = /^([^\s=!<>(),]+)\s*([<>])\s*(-?\d+)$/.exec(part))) {
      requirements.push({ key: m[1] ?? '', op: m[2] === '>' ? 'gt' : 'lt', value: Number(m[3]) });
    } else if ((m = /^([^\s=!<>(),]+)$/.exec(part))) {
      requirements.push({ key: m[1] ?? '', op: 'exists' });
    } else {
      fail(`cannot read "${part}"`);
    }
  }
  return requirements;
}

function matchesRequirements(requirements: Requirement[], map: Record<string, string>): boolean {
  return requirements.every((requirement) => {
    const value = map[requirement.key];
    switch (requirement.op) {
      case 'exists':
        return value !== undefined;
      case 'notExists':
        return value === undefined;
      case 'in':
        return value !== undefined && requirement.values.includes(value);
      case 'notIn':
        return value === undefined || !requirement.values.includes(value);
      case 'gt':
      case 'lt': {
        if (value === undefined || !/^-?\d+$/.test(value)) return false;
        return requirement.op === 'gt'
          ? Number(value) > requirement.value
          : Number(value) < requirement.value;
      }
    }
  });
}

/** Does a map (labels, annotations) match a selector string? No selector matches all. */
export function matchesSelectorString(
  selector: string | undefined,
  map: Record<string, string>,
  where: string,
): boolean {
  if (!selector) return true;
  return matchesRequirements(parseSelectorString(selector, where), map);
}

function anchored(pattern: string | undefined, where: string): RegExp | undefined {
  if (!pattern) return undefined;
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new EngineError('KustomizeFailed', `${where}: invalid regex "${pattern}"`, where);
  }
}

/**
 * kustomize's patch target selection: group, version, kind, name and namespace are anchored
 * regexes; a name or namespace matches the object's current or original one.
 */
export function selectResources(
  resources: readonly Resource[],
  selector: TargetSelector,
  where: string,
): Resource[] {
  const group = anchored(selector.group, where);
  const version = anchored(selector.version, where);
  const kind = anchored(selector.kind, where);
  const name = anchored(selector.name, where);
  const namespace = anchored(selector.namespace, where);
  const labels = selector.labelSelector
    ? parseSelectorString(selector.labelSelector, where)
    : undefined;
  const annotations = selector.annotationSelector
    ? parseSelectorString(selector.annotationSelector, where)
    : undefined;
  return resources.filter((resource) => {
    const current = resource.curId();
    const original = resource.orgId();
    if (
      namespace &&
      !namespace.test(effectiveNamespace(original)) &&
      !namespace.test(effectiveNamespace(current))
    ) {
      return false;
    }
    if (name && !name.test(original.name) && !name.test(current.name)) return false;
    if (group && !group.test(current.group)) return false;
    if (version && !version.test(current.version)) return false;
    if (kind && !kind.test(current.kind)) return false;
    if (labels && !matchesRequirements(labels, resource.stringMap('labels'))) return false;
    if (annotations && !matchesRequirements(annotations, resource.stringMap('annotations'))) {
      return false;
    }
    return true;
  });
}
