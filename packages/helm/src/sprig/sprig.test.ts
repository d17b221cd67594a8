import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TemplateSet } from '../template/template-set.ts';
import { createSprigFunctions } from './index.ts';
import { parseYaml, toGoJson, toYaml } from './serialize.ts';

function render(text: string, data: unknown = {}, seed = 'seed'): string {
  const funcs = createSprigFunctions({ seed, now: () => new Date('2026-01-02T03:04:05Z') });
  return new TemplateSet({ funcs }).parse('t', text).execute('t', data);
}

describe('Sprig functions as Helm ships them', () => {
  it.each([
    ['{{ add 1 2 3 }}', '6'],
    ['{{ div 7 2 }} {{ mod 7 2 }} {{ max 1 5 3 }}', '3 1 5'],
    ['{{ .n | int }} {{ .n }}', '1000000 1e+06'],
    ['{{ 1.5 | floor }} {{ round 2.555 2 }}', '1 2.56'],
    [
      '{{ default "x" "" }} {{ default "x" "y" }} {{ empty 0 }} {{ empty (list) }}',
      'x y true true',
    ],
    ['{{ coalesce "" nil "a" }} {{ ternary "y" "n" true }}', 'a y'],
    ['{{ list 1 2 3 | rest | toJson }} {{ list "b" "a" | sortAlpha | join "," }}', '[2,3] a,b'],
    [
      '{{ uniq (list 1 1 2) | len }} {{ has 2 (list 1 2) }} {{ without (list 1 2 3) 2 | toJson }}',
      '2 true [1,3]',
    ],
    ['{{ until 3 | toJson }} {{ untilStep 0 10 4 | toJson }}', '[0,1,2] [0,4,8]'],
    ['{{ dict "b" 1 "a" 2 | toJson }}', '{"a":2,"b":1}'],
    [
      '{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ hasKey $d "b" }} {{ get $d "z" | quote }}',
      'true ""',
    ],
    ['{{ dig "a" "b" "none" .m }}', 'c'],
    [
      '{{ "hello world" | title }} {{ "HeLLo" | lower }} {{ trunc 3 "abcdef" }} {{ trunc -2 "abcdef" }}',
      'Hello World hello abc ef',
    ],
    ['{{ "a\\nb" | indent 2 }}|{{ "x" | nindent 2 }}', '  a\n  b|\n  x'],
    ['{{ quote "a\\"b" 1 nil }} {{ squote "x" }}', '"a\\"b" "1" \'x\''],
    ['{{ "a.b.c" | splitList "." | last }} {{ (split "." "a.b")._1 }}', 'c b'],
    [
      '{{ trimSuffix "-" "abc-" }} {{ trimPrefix "v" "v1.2" }} {{ trimAll "-" "--x--" }}',
      'abc 1.2 x',
    ],
    [
      '{{ regexMatch "^[a-z]+$" "abc" }} {{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}',
      'true -W-xxW-',
    ],
    [
      '{{ regexFindAll "[0-9]+" "a1b22c333" -1 | toJson }} {{ regexSplit "," "a,b,c" 2 | toJson }}',
      '["1","22","333"] ["a","b,c"]',
    ],
    [
      '{{ semverCompare ">=1.21-0" "v1.30.0" }} {{ semverCompare "<1.19" "1.30.0" }} {{ (semver "1.2.3").Minor }}',
      'true false 2',
    ],
    [
      '{{ b64enc "hi" }} {{ b64dec "aGk=" }} {{ sha256sum "a" | trunc 8 }} {{ adler32sum "a" }}',
      'aGk= hi ca978112 6422626',
    ],
    [
      '{{ typeOf 1 }} {{ typeOf 1.5 }} {{ kindOf (dict) }} {{ kindIs "slice" (list) }}',
      'int float64 map true',
    ],
    ['{{ toJson "<a&b>" }}', '"\\u003ca\\u0026b\\u003e"'],
    [
      '{{ date "2006-01-02T15:04:05Z07:00" now }} {{ now | unixEpoch }}',
      '2026-01-02T03:04:05Z 1767323045',
    ],
    [
      '{{ merge (dict "a" 1 "c" (dict "x" 1)) (dict "a" 2 "b" 3 "c" (dict "y" 2)) | toJson }}',
      '{"a":1,"b":3,"c":{"x":1,"y":2}}',
    ],
    [
      '{{ mergeOverwrite (dict "a" 1 "c" (dict "x" 1)) (dict "a" 2 "c" (dict "x" 3)) | toJson }}',
      '{"a":2,"c":{"x":3}}',
    ],
  ])('%s', (text, want) => {
    expect(render(text, { n: 1000000, m: { a: { b: 'c' } } })).toBe(want);
  });

  it('makes the same random values from the same seed, and others from another seed', () => {
    const text = '{{ randAlphaNum 12 }} {{ uuidv4 }}';
    expect(render(text, {}, 'a')).toBe(render(text, {}, 'a'));
    expect(render(text, {}, 'a')).not.toBe(render(text, {}, 'b'));
    expect(render('{{ randAlphaNum 12 }}')).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(render('{{ uuidv4 }}')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('generates a CA and a certificate signed by it that parse and verify', () => {
    const funcs = createSprigFunctions({ seed: 'certs' });
    const ca = funcs.genCA?.('test-ca', 10n) as { Cert: string; Key: string };
    const cert = funcs.genSignedCert?.('svc', ['10.0.0.1'], ['svc.example'], 10n, ca) as {
      Cert: string;
      Key: string;
    };
    const caCert = new X509Certificate(ca.Cert);
    const leaf = new X509Certificate(cert.Cert);
    expect(caCert.ca).toBe(true);
    expect(leaf.subject).toBe('CN=svc');
    expect(leaf.subjectAltName).toBe('DNS:svc.example, IP Address:10.0.0.1');
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    expect(cert.Key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
  });
});

describe('YAML and JSON as Helm reads and writes them', () => {
  it('reads YAML 1.1 scalars and numbers as float64, keeps timestamps as strings', () => {
    expect(parseYaml('a: yes\nb: 1\nc: 2001-12-14\nd: 1.5\n')).toEqual({
      a: true,
      b: 1,
      c: '2001-12-14',
      d: 1.5,
    });
  });

  it('reads the first document of a stream, as go-yaml does', () => {
    expect(parseYaml('a: 1\n---\nb: 2\n')).toEqual({ a: 1 });
  });

  it('writes sorted keys, unindented lists, and quotes like go-yaml', () => {
    expect(toYaml({ b: ['x', 'true'], a: { s: '[g]', e: '', n: null, i: 10n, f: 1e6 } })).toBe(
      'a:\n  e: ""\n  f: 1000000\n  i: 10\n  "n": null\n  s: \'[g]\'\nb:\n- x\n- "true"',
    );
  });

  it('writes a top-level multi-line string as an indented literal block', () => {
    expect(toYaml('a:\n  b\n')).toBe('|\n  a:\n    b');
    expect(toYaml('x\ny')).toBe('|-\n  x\n  y');
  });

  it('escapes HTML characters in toJson as encoding/json does', () => {
    expect(toGoJson({ b: '<', a: 1n })).toBe('{"a":1,"b":"\\u003c"}');
  });
});
