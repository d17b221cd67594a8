import { describe, expect, it } from 'vitest';
import type { BundleOptions } from '../options/index.ts';
import type { RenderLimits } from './limits.ts';
import { renderBundle } from './render-bundle.ts';

const OPTIONS: BundleOptions = {
  labels: {},
  paused: false,
  dependsOn: [],
  targetCustomizations: [],
};

function render(entries: Record<string, string>, limits?: Partial<RenderLimits>) {
  return renderBundle({
    files: new Map(Object.entries(entries)),
    bundlePath: 'app',
    options: OPTIONS,
    limits,
  });
}

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\n`;

const billionLaughs = `apiVersion: v1
kind: ConfigMap
metadata: { name: lol }
data:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;

describe('renderBundle limits', () => {
  it.each<[string, Record<string, string>, Partial<RenderLimits> | undefined, string]>([
    [
      'billion-laughs aliases',
      { 'app/lol.yaml': billionLaughs },
      undefined,
      'app/lol.yaml: document 1 expands too many YAML aliases (maxAliasCount 100)',
    ],
    [
      '10,000 documents',
      {
        'app/many.yaml': Array.from({ length: 10_000 }, (_, i) => configMap(`c${i}`)).join('---\n'),
      },
      undefined,
      'app/many.yaml: the bundle exceeds maxDocuments (5000)',
    ],
    [
      'documents spread over files',
      { 'app/a.yaml': `${configMap('a')}---\n${configMap('b')}`, 'app/b.yaml': configMap('c') },
      { maxDocuments: 2 },
      'app/b.yaml: the bundle exceeds maxDocuments (2)',
    ],
    [
      'List items beyond maxDocuments',
      {
        'app/list.yaml': `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: 3 }, (_, i) => `  - { apiVersion: v1, kind: ConfigMap, metadata: { name: c${i} } }`).join('\n')}`,
      },
      { maxDocuments: 3 },
      'app/list.yaml: the bundle exceeds maxDocuments (3)',
    ],
    [
      'a bundle over maxBytes',
      {
        'app/a.yaml': configMap('a'),
        'app/b.yaml': `${configMap('b')}data: { big: "${'x'.repeat(2000)}" }\n`,
      },
      { maxBytes: 1024 },
      'app/b.yaml: the bundle exceeds maxBytes (1024 bytes)',
    ],
    [
      'deep nesting',
      { 'app/deep.yaml': `${configMap('deep')}data: ${'['.repeat(100)}${']'.repeat(100)}\n` },
      undefined,
      'app/deep.yaml: nesting at line 4 is deeper than maxDepth (64)',
    ],
    [
      'nesting over a lowered maxDepth',
      { 'app/a.yaml': `${configMap('a')}data: { k: { k: { k: v } } }\n` },
      { maxDepth: 3 },
      'app/a.yaml: document 1 nests deeper than maxDepth (3)',
    ],
  ])(
    'refuses %s as LimitExceeded, naming the file and the limit',
    (_case, entries, limits, message) => {
      expect(() => render(entries, limits)).toThrow(
        expect.objectContaining({
          code: 'LimitExceeded',
          message,
          where: message.slice(0, message.indexOf(':')),
        }),
      );
    },
    // Parsing the 5,000 documents before the limit takes seconds on a busy machine.
    30_000,
  );

  it('renders a bundle that stays within the limits', () => {
    expect(
      render({ 'app/a.yaml': configMap('a') }, { maxBytes: 1024, maxDocuments: 1, maxDepth: 2 })
        .objects,
    ).toHaveLength(1);
  });

  it('stops a JSON patch that would grow a file past maxBytes before it takes the memory', () => {
    // Each copy nests the whole map under a new key, doubling it: 2^60 times 100 bytes.
    const doubling = Array.from(
      { length: 60 },
      (_, i) => `{ op: copy, from: /data, path: /data/k${i} }`,
    );
    expect(() =>
      renderBundle({
        files: new Map([
          ['app/a.yaml', `${configMap('a')}data: { k: "${'v'.repeat(100)}" }\n`],
          ['app/overlays/grow/a_patch.yaml', `[${doubling.join(', ')}]`],
        ]),
        bundlePath: 'app',
        options: { ...OPTIONS, yaml: { overlays: ['grow'] } },
        limits: { maxBytes: 64 * 1024 },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'LimitExceeded',
        message:
          'app/overlays/grow/a_patch.yaml: JSON patch operation 9 (copy /data) grows the result past maxBytes (65536 bytes)',
      }),
    );
  });
});
