import { isObject, type JsonObject, type JsonValue } from './json.ts';

/**
 * A set of field paths, as structured-merge-diff keeps them for server-side apply: a trie whose
 * nodes hold the path elements that are members themselves and the ones that have children.
 * Path elements are kept in their managedFields spelling (`f:name`, `k:{"name":"web"}`,
 * `v:"x"`, `i:0`) so that reading and writing `fieldsV1` needs no translation.
 */
export class FieldSet {
  readonly members = new Set<string>();
  readonly children = new Map<string, FieldSet>();

  static of(paths: Iterable<readonly string[]>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  insert(path: readonly string[]): void {
    const [first, ...rest] = path;
    if (first === undefined) return;
    if (rest.length === 0) {
      this.members.add(first);
      return;
    }
    let child = this.children.get(first);
    if (!child) {
      child = new FieldSet();
      this.children.set(first, child);
    }
    child.insert(rest);
  }

  has(path: readonly string[]): boolean {
    const [first, ...rest] = path;
    if (first === undefined) return false;
    if (rest.length === 0) return this.members.has(first);
    return this.children.get(first)?.has(rest) ?? false;
  }

  child(element: string): FieldSet | undefined {
    return this.children.get(element);
  }

  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const member of [...this.members, ...other.members]) out.members.add(member);
    for (const [element, child] of this.children) {
      const otherChild = other.children.get(element);
      out.children.set(element, otherChild ? child.union(otherChild) : child.copy());
    }
    for (const [element, child] of other.children) {
      if (!this.children.has(element)) out.children.set(element, child.copy());
    }
    return out;
  }

  /** Paths of this set that are not members of `other`. */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const member of this.members) if (!other.members.has(member)) out.members.add(member);
    for (const [element, child] of this.children) {
      const otherChild = other.children.get(element);
      const rest = otherChild ? child.difference(otherChild) : child.copy();
      if (!rest.isEmpty()) out.children.set(element, rest);
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const member of this.members) if (other.members.has(member)) out.members.add(member);
    for (const [element, child] of this.children) {
      const otherChild = other.children.get(element);
      if (!otherChild) continue;
      const both = child.intersection(otherChild);
      if (!both.isEmpty()) out.children.set(element, both);
    }
    return out;
  }

  copy(): FieldSet {
    return new FieldSet().union(this);
  }

  /** Every member path, in managedFields order. */
  paths(prefix: string[] = []): string[][] {
    const out: string[][] = [];
    for (const element of sortElements([...new Set([...this.members, ...this.children.keys()])])) {
      if (this.members.has(element)) out.push([...prefix, element]);
      const child = this.children.get(element);
      if (child) out.push(...child.paths([...prefix, element]));
    }
    return out;
  }

  toFieldsV1(): JsonObject {
    const out: JsonObject = {};
    for (const element of sortElements([...new Set([...this.members, ...this.children.keys()])])) {
      const child = this.children.get(element);
      if (!child) {
        out[element] = {};
        continue;
      }
      const nested = child.toFieldsV1();
      out[element] = this.members.has(element) ? { '.': {}, ...nested } : nested;
    }
    return out;
  }

  static fromFieldsV1(fields: JsonValue | undefined): FieldSet {
    const set = new FieldSet();
    if (!isObject(fields)) return set;
    for (const [element, nested] of Object.entries(fields)) {
      if (element === '.') continue;
      const isLeaf = !isObject(nested) || Object.keys(nested).length === 0;
      if (isLeaf || (isObject(nested) && '.' in nested)) set.members.add(element);
      if (!isLeaf) {
        const child = FieldSet.fromFieldsV1(nested);
        if (!child.isEmpty()) set.children.set(element, child);
      }
    }
    return set;
  }
}

const ELEMENT_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** structured-merge-diff orders fields before keys, values and indexes. */
function sortElements(elements: string[]): string[] {
  return elements.sort((a, b) => {
    const byType = (ELEMENT_ORDER[a[0] ?? 'f'] ?? 0) - (ELEMENT_ORDER[b[0] ?? 'f'] ?? 0);
    if (byType !== 0) return byType;
    if (a.startsWith('i:') && b.startsWith('i:')) return Number(a.slice(2)) - Number(b.slice(2));
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

export function fieldElement(name: string): string {
  return `f:${name}`;
}

export function keyElement(keys: Record<string, JsonValue>): string {
  const sorted = Object.keys(keys)
    .sort()
    .map((name) => `${JSON.stringify(name)}:${JSON.stringify(keys[name])}`);
  return `k:{${sorted.join(',')}}`;
}

export function valueElement(value: JsonValue): string {
  return `v:${JSON.stringify(value)}`;
}

/** A path as the server prints it in conflict messages: `.spec.containers[name="web"].image`. */
export function pathToString(path: readonly string[]): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      switch (element[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const keys = JSON.parse(body) as Record<string, JsonValue>;
          const parts = Object.keys(keys)
            .sort()
            .map((name) => `${name}=${JSON.stringify(keys[name])}`);
          return `[${parts.join(',')}]`;
        }
        case 'v':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}
