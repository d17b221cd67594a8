/**
 * The value model shared by the template executor, Sprig and Helm's chart layer.
 *
 * Go's text/template works on reflect.Values; here a template sees plain JS values, mapped
 * one-to-one onto the Go types Helm actually feeds its templates:
 *
 * | Go                          | JS                                                        |
 * | --------------------------- | --------------------------------------------------------- |
 * | nil (interface{})           | `null` or `undefined` (functions must accept both)         |
 * | bool                        | `boolean`                                                 |
 * | string                      | `string`                                                  |
 * | float64                     | `number` (YAML/JSON values are float64 in Helm, as here)  |
 * | int, int64                  | `bigint` (template integer literals, `len`, `add`...)     |
 * | map[string]interface{}      | a plain object; printed and ranged in sorted key order     |
 * | []interface{}               | an array                                                  |
 * | a struct                    | an object whose prototype is not Object.prototype/null    |
 * | a method                    | a function-valued property: `.Files.Get "x"` calls it     |
 * | fmt.Stringer / error        | a struct with a String() / Error() method prints with it  |
 *
 * The distinction int vs float64 matters: Go's `eq 1 1.0` fails with "incompatible types for
 * comparison", and `printf "%d"` of a float64 prints `%!d(float64=1)`, and charts rely on
 * `int` conversions to get rid of the `e+06` that float64 prints with.
 *
 * Functions (a FuncMap entry or a method) receive `null` for every nil argument, never
 * `undefined`; they may return either for nil, and throw (ideally a TemplateFunctionError) to
 * fail as a Go function returning an error does: "error calling NAME: MESSAGE".
 *
 * Inside the executor, `undefined` is Go's invalid reflect.Value ("no value", a missing key
 * under missingkey=default, a nil pipeline result) and `null` a nil interface{} held in a map
 * or slice: `.a.b` is "<no value>" in the first case and "nil pointer evaluating
 * interface {}.b" in the second, as in Go.
 */

export type GoKind =
  'nil' | 'bool' | 'string' | 'int' | 'float64' | 'map' | 'slice' | 'struct' | 'func';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The Go kind of a JS value under the model above. */
export function toGoKind(v: unknown): GoKind {
  switch (typeof v) {
    case 'undefined':
      return 'nil';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
    case 'function':
      return 'func';
    case 'object':
      if (v === null) return 'nil';
      if (Array.isArray(v)) return 'slice';
      return isPlainObject(v) ? 'map' : 'struct';
    default:
      // symbol: not part of the model; nearest Go analogue is an opaque struct.
      return 'struct';
  }
}

/** Go's type name of a value, as it appears in template error messages. */
export function goTypeName(v: unknown): string {
  switch (toGoKind(v)) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return 'bool';
    case 'string':
      return 'string';
    case 'int':
      return 'int';
    case 'float64':
      return 'float64';
    case 'map':
      return 'map[string]interface {}';
    case 'slice':
      return '[]interface {}';
    case 'func':
      return 'func';
    case 'struct': {
      const ctor = (v as { constructor?: { name?: string } }).constructor;
      return ctor?.name ? `*${ctor.name}` : 'struct';
    }
  }
}

/**
 * Go's template truth: false, 0, nil and empty strings, slices and maps are false; structs and
 * functions are true.
 */
export function isTruthy(v: unknown): boolean {
  switch (typeof v) {
    case 'undefined':
      return false;
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'function':
      return true;
    case 'object':
      if (v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (isPlainObject(v)) {
        for (const _ in v) return true;
        return false;
      }
      return true;
    default:
      return true;
  }
}

/** Sorted keys of a map, in Go's order (fmt and range sort string keys bytewise). */
export function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort(compareGoStrings);
}

/** Go compares strings by bytes (UTF-8); UTF-16 code-unit order differs only above U+FFFF vs U+E000-U+FFFF. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(i) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
