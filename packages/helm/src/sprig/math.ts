import { TemplateFunctionError } from '../template/errors.ts';
import { type TemplateFunction, toFloat64, toInt64 } from './convert.ts';
import type { SeededRandom } from './random.ts';

// Go's int64 arithmetic wraps around; BigInt.asIntN keeps results in range the same way.
const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

/** Sprig's math: integer functions return int64 (bigint), the *f ones float64 (number). */
export function mathFunctions(random: SeededRandom): Record<string, TemplateFunction> {
  return {
    add: (...args) => wrap(args.reduce<bigint>((sum, a) => sum + toInt64(a), 0n)),
    add1: (a) => wrap(toInt64(a) + 1n),
    sub: (a, b) => wrap(toInt64(a) - toInt64(b)),
    mul: (a, ...rest) => wrap(rest.reduce<bigint>((p, x) => p * toInt64(x), toInt64(a))),
    div: (a, b) => {
      const d = toInt64(b);
      if (d === 0n) throw new TemplateFunctionError('runtime error: integer divide by zero');
      return toInt64(a) / d;
    },
    mod: (a, b) => {
      const d = toInt64(b);
      if (d === 0n) throw new TemplateFunctionError('runtime error: integer divide by zero');
      return toInt64(a) % d;
    },
    max: (a, ...rest) => rest.map(toInt64).reduce((m, x) => (x > m ? x : m), toInt64(a)),
    biggest: (a, ...rest) => rest.map(toInt64).reduce((m, x) => (x > m ? x : m), toInt64(a)),
    min: (a, ...rest) => rest.map(toInt64).reduce((m, x) => (x < m ? x : m), toInt64(a)),
    addf: (...args) => args.reduce<number>((sum, a) => sum + toFloat64(a), 0),
    add1f: (a) => toFloat64(a) + 1,
    subf: (a, ...rest) => rest.reduce<number>((d, x) => d - toFloat64(x), toFloat64(a)),
    mulf: (a, ...rest) => rest.reduce<number>((p, x) => p * toFloat64(x), toFloat64(a)),
    divf: (a, ...rest) => rest.reduce<number>((q, x) => q / toFloat64(x), toFloat64(a)),
    maxf: (a, ...rest) => Math.max(toFloat64(a), ...rest.map(toFloat64)),
    minf: (a, ...rest) => Math.min(toFloat64(a), ...rest.map(toFloat64)),
    floor: (a) => Math.floor(toFloat64(a)),
    ceil: (a) => Math.ceil(toFloat64(a)),
    round: (a, p, rOpt) => {
      const precision = Number(toInt64(p));
      const roundOn = rOpt === undefined ? 0.5 : toFloat64(rOpt);
      const pow = 10 ** precision;
      const digit = pow * toFloat64(a);
      const frac = digit - Math.trunc(digit);
      const rounded = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
      return rounded / pow;
    },
    int: (v) => toInt64(v),
    int64: (v) => toInt64(v),
    float64: (v) => toFloat64(v),
    atoi: (v) => {
      const s = String(v);
      return /^[+-]?\d+$/.test(s) ? BigInt(s) : 0n;
    },
    toDecimal: (v) => {
      const s = String(v);
      return /^[+-]?[0-7]+$/.test(s)
        ? BigInt(`0o${s.replace(/^[+-]/, '')}`) * (s.startsWith('-') ? -1n : 1n)
        : 0n;
    },
    randInt: (min, max) => {
      const lo = Number(toInt64(min));
      const hi = Number(toInt64(max));
      return BigInt(lo + random.int(hi - lo));
    },
  };
}
