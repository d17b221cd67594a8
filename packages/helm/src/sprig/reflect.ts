import { goTypeName, toGoKind } from '../template/values.ts';
import { type TemplateFunction, deepEqual, strval } from './convert.ts';

/** reflect.Kind names as Sprig's kindOf prints them. */
function kindOf(v: unknown): string {
  const kind = toGoKind(v);
  switch (kind) {
    case 'nil':
      return 'invalid';
    case 'int':
      return 'int';
    case 'struct':
      return 'ptr';
    default:
      return kind;
  }
}

export function reflectFunctions(): Record<string, TemplateFunction> {
  return {
    typeOf: (v) => goTypeName(v),
    typeIs: (target, v) => strval(target) === goTypeName(v),
    typeIsLike: (target, v) => {
      const t = goTypeName(v);
      return strval(target) === t || strval(target) === `*${t}`;
    },
    kindOf: (v) => kindOf(v),
    kindIs: (target, v) => strval(target) === kindOf(v),
    deepEqual: (a, b) => deepEqual(a, b),
  };
}
