import { type TemplateFunction, isEmpty, strval } from './convert.ts';
import { cryptoFunctions } from './crypto.ts';
import { dateFunctions } from './dates.ts';
import { dictFunctions } from './dicts.ts';
import { encodingFunctions } from './encoding.ts';
import { listFunctions } from './lists.ts';
import { mathFunctions } from './math.ts';
import { SeededRandom } from './random.ts';
import { reflectFunctions } from './reflect.ts';
import { regexFunctions } from './regex.ts';
import { semverFunctions } from './semver.ts';
import { serializeFunctions } from './serialize.ts';
import { stringFunctions } from './strings.ts';

export type { TemplateFunction } from './convert.ts';
export { SeededRandom } from './random.ts';
export { parseYaml, parseYamlDocuments, toYaml, toGoJson } from './serialize.ts';
export { semverCompare } from './semver.ts';

export interface SprigOptions {
  /** Seed of every random function (passwords, UUIDs, keys): same seed, same output. */
  seed: string;
  /** The clock for `now`, `ago` and dates (a fixed one makes renders reproducible). */
  now?: () => Date;
  /** Told when a random function draws (passwords, keys, UUIDs), so a caller knows the output depends on the seed. */
  onRandom?: () => void;
}

function urlParse(v: unknown): Record<string, unknown> {
  const url = new URL(strval(v));
  return {
    scheme: url.protocol.replace(/:$/, ''),
    host: url.host,
    hostname: url.hostname,
    path: url.pathname,
    query: url.search.replace(/^\?/, ''),
    opaque: '',
    fragment: url.hash.replace(/^#/, ''),
    userinfo: url.username ? `${url.username}${url.password ? `:${url.password}` : ''}` : '',
  };
}

/**
 * The Sprig function map as Helm v3.17 installs it (Masterminds/sprig v3 TxtFuncMap, without
 * `env` and `expandenv`, which Helm removes). Helm's own functions (include, tpl, toYaml...) are
 * added by the chart renderer on top.
 */
export function createSprigFunctions(options: SprigOptions): Record<string, TemplateFunction> {
  const random = new SeededRandom(options.seed, options.onRandom);
  const now = options.now ?? (() => new Date());
  return {
    ...stringFunctions(random),
    ...listFunctions(),
    ...dictFunctions(),
    ...mathFunctions(random),
    ...encodingFunctions(),
    ...reflectFunctions(),
    ...regexFunctions(),
    ...semverFunctions(),
    ...dateFunctions(now),
    ...serializeFunctions(),
    ...cryptoFunctions(random, now),
    default: (fallback, ...given) => {
      const v = given[0];
      return given.length === 0 || isEmpty(v) ? fallback : v;
    },
    empty: (v) => isEmpty(v),
    coalesce: (...values) => values.find((v) => !isEmpty(v)) ?? null,
    all: (...values) => values.every((v) => !isEmpty(v)),
    any: (...values) => values.some((v) => !isEmpty(v)),
    ternary: (whenTrue, whenFalse, condition) => (condition === true ? whenTrue : whenFalse),
    fail: (message) => {
      throw new Error(strval(message));
    },
    urlParse: (v) => urlParse(v),
    urlJoin: (d) => {
      const m = d as Record<string, unknown>;
      const auth = m.userinfo ? `${strval(m.userinfo)}@` : '';
      const query = m.query ? `?${strval(m.query)}` : '';
      const fragment = m.fragment ? `#${strval(m.fragment)}` : '';
      return `${strval(m.scheme ?? '')}://${auth}${strval(m.host ?? '')}${strval(m.path ?? '')}${query}${fragment}`;
    },
    osBase: (p) => strval(p).split('/').pop() ?? '',
    getHostByName: () => '',
  };
}
