import { describe, expect, it } from 'vitest';
import { DEFAULT_RENDER_LIMITS, RenderBudget } from './limits.ts';
import type { RenderLimits } from './limits.ts';
import { parseYamlDocuments } from './parse-yaml.ts';
import { toKubeObjects } from './to-objects.ts';

const budget = (limits: Partial<RenderLimits> = {}) =>
  new RenderBudget({ ...DEFAULT_RENDER_LIMITS, ...limits });
const parse = (text: string, limits?: Partial<RenderLimits>) =>
  parseYamlDocuments(text, 'app/x.yaml', budget(limits));
const objects = (text: string) => toKubeObjects(parse(text), 'app/x.yaml', budget());

describe('parseYamlDocuments reads YAML as kubectl does (YAML 1.1)', () => {
  it.each<[string, string, unknown]>([
    ['a leading-zero number as octal, as file modes are written', 'mode: 0644', { mode: 420 }],
    ['on/off and yes/no as booleans', 'a: on\nb: no', { a: true, b: false }],
    ['a date as a plain string', 'day: 2024-01-02', { day: '2024-01-02' }],
    ['a clock-like value as a plain string', 'port: 22:22', { port: '22:22' }],
    [
      'merge keys',
      'base: &b { x: 1 }\nuse: { <<: *b, z: 2 }',
      { base: { x: 1 }, use: { x: 1, z: 2 } },
    ],
    ['JSON', '{"kind": "ConfigMap", "data": {"k": "v"}}', { kind: 'ConfigMap', data: { k: 'v' } }],
  ])('reads %s', (_case, text, value) => {
    expect(parse(text)).toEqual([value]);
  });

  it('keeps a "__proto__" key as data', () => {
    const [value] = parse('data:\n  __proto__: x');
    expect(Object.keys((value as { data: object }).data)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf((value as { data: object }).data)).toBe(Object.prototype);
  });

  it('gives unshared copies where aliases point to one node', () => {
    const [value] = parse('a: &m { name: x }\nb: *m') as [{ a: object; b: object }];
    expect(value.a).toEqual(value.b);
    expect(value.a).not.toBe(value.b);
  });

  it.each<[string, string, string]>([
    ['bad indentation', 'a: b\n c: d', 'app/x.yaml: document 1: '],
    [
      'a duplicate key',
      'a: 1\na: 2',
      'app/x.yaml: document 1: Map keys must be unique (line 2, column 1)',
    ],
    ['an error in a later document', 'a: 1\n---\nb: [', 'app/x.yaml: document 2: '],
    ['a number with no JSON form', 'a: .inf', 'app/x.yaml: document 1: Infinity has no JSON form'],
  ])('refuses %s as YamlInvalid, naming file and document', (_case, text, message) => {
    expect(() => parse(text)).toThrow(
      expect.objectContaining({ code: 'YamlInvalid', message: expect.stringContaining(message) }),
    );
  });

  it('refuses a billion-laughs document once it expands more than maxAliasCount aliases', () => {
    const laughs = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'.split('').map((name, index) => {
        const previous = 'abcdefgh'[index];
        return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`;
      }),
    ].join('\n');
    expect(() => parse(laughs)).toThrow(
      expect.objectContaining({
        code: 'LimitExceeded',
        message: 'app/x.yaml: document 1 expands too many YAML aliases (maxAliasCount 100)',
      }),
    );
  });

  it.each([70, 5000, 200_000])(
    'refuses %i levels of nesting as LimitExceeded maxDepth',
    (levels) => {
      const text = `${'['.repeat(levels)}${']'.repeat(levels)}`;
      expect(() => parse(text)).toThrow(
        expect.objectContaining({
          code: 'LimitExceeded',
          message: expect.stringContaining('maxDepth (64)'),
        }),
      );
    },
  );

  it('accepts nesting right up to maxDepth', () => {
    expect(() => parse(`${'['.repeat(64)}${']'.repeat(64)}`)).not.toThrow();
  });

  it('stops a stream of documents at maxDocuments', () => {
    expect(() => parse('---\n'.repeat(10_000), { maxDocuments: 5000 })).toThrow(
      expect.objectContaining({
        code: 'LimitExceeded',
        message: 'app/x.yaml: the bundle exceeds maxDocuments (5000)',
      }),
    );
  });
});

describe('toKubeObjects', () => {
  it('skips empty documents and flattens Lists as kubectl does', () => {
    const text = `
---
apiVersion: v1
kind: List
items:
  - { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }
  - { apiVersion: v1, kind: ConfigMapList, items: [{ apiVersion: v1, kind: Secret, metadata: { name: b } }] }
---
# only a comment
---
apiVersion: v1
kind: Service
metadata: { name: c }
`;
    expect(objects(text).map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
      'ConfigMap/a',
      'Secret/b',
      'Service/c',
    ]);
  });

  it.each<[string, string, string]>([
    ['no kind', 'apiVersion: v1\nmetadata: { name: a }', 'app/x.yaml: document 1: missing kind'],
    [
      'no name',
      '---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}',
      'app/x.yaml: document 2: missing metadata.name',
    ],
    [
      'nothing at all',
      'data: { a: b }',
      'app/x.yaml: document 1: missing apiVersion, kind, metadata.name',
    ],
    [
      'a list item without a name',
      'kind: List\napiVersion: v1\nitems: [{ apiVersion: v1, kind: Secret }]',
      'app/x.yaml: document 1, item 1: missing metadata.name',
    ],
    [
      'a scalar document',
      'just text',
      'app/x.yaml: document 1: expected a mapping (a Kubernetes object)',
    ],
  ])('refuses an object with %s, naming file and document', (_case, text, message) => {
    expect(() => objects(text)).toThrow(expect.objectContaining({ code: 'YamlInvalid', message }));
  });
});
