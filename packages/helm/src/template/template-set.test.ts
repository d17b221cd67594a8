import { describe, expect, it } from 'vitest';
import { TemplateFunctionError, TemplateExecError, TemplateParseError } from './errors.ts';
import { TemplateSet } from './template-set.ts';
import { withGoSignature } from './exec.ts';

// Helm's use of text/template: all chart files parsed into one set (defines shared, later ones
// winning), each file executed by name with missingkey=zero, "<no value>" blanked, errors
// naming the chart path, line and column.

const chartData = {
  Values: {
    replicaCount: 1,
    big: 1000000,
    image: { repository: 'nginx', tag: '1.25' },
    ports: [80, 443],
    labels: { b: '2', a: '1' },
    empty: null,
  },
  Release: { Name: 'web', Namespace: 'prod' },
  Chart: { Name: 'podinfo', Version: '6.5.0' },
  Files: {
    Get: (name: string) => (name === 'config.txt' ? 'key=value\n' : ''),
  },
  Capabilities: {
    KubeVersion: { Version: 'v1.30.0', Major: '1', Minor: '30' },
    APIVersions: { Has: (gv: string) => gv === 'apps/v1' || gv === 'v1' },
  },
};

function helmSet(missingKey: 'zero' | 'error' = 'zero'): TemplateSet {
  return new TemplateSet({
    missingKey,
    funcs: (set) => ({
      include: (name: string, data: unknown) => set.execute(name, data),
      tpl: (text: string, data: unknown) =>
        set.parseAndExecute('podinfo/templates/tpl', text, data, { replaceNoValue: true }),
      required: (message: string, value: unknown) => {
        if (value === null || value === undefined || value === '')
          throw new TemplateFunctionError(message);
        return value;
      },
      quote: (v: unknown) => JSON.stringify(String(v ?? '')),
      trim: (s: string) => s.trim(),
      trunc: (n: bigint, s: string) => s.slice(0, Number(n)),
      nindent: (n: bigint, s: string) =>
        '\n' +
        s
          .split('\n')
          .map((l) => ' '.repeat(Number(n)) + l)
          .join('\n'),
      int: (v: unknown) => BigInt(Math.trunc(Number(v))),
    }),
  });
}

describe('TemplateSet as Helm uses it', () => {
  it('renders a deployment with trimming, ranges over sorted maps and lists, and method calls', () => {
    const set = helmSet().parse(
      'podinfo/templates/_helpers.tpl',
      `{{- define "podinfo.fullname" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}
{{- define "podinfo.labels" -}}
{{- range $k, $v := .Values.labels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}`,
    );
    set.parse(
      'podinfo/templates/deployment.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "podinfo.fullname" . }}
  labels:
    {{- include "podinfo.labels" . | trim | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports:
          {{- range .Values.ports }}
            - containerPort: {{ . }}
          {{- end }}
{{- if .Capabilities.APIVersions.Has "apps/v1" }}
# apps/v1 on {{ .Capabilities.KubeVersion.Version }}
{{- end }}
# {{ .Files.Get "config.txt" | trim }} {{ .Values.missing }} {{ .Values.big }} {{ int .Values.big }}
`,
    );
    expect(set.execute('podinfo/templates/deployment.yaml', chartData, { replaceNoValue: true }))
      .toBe(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-podinfo
  labels:
    a: "1"
    b: "2"
spec:
  replicas: 1
  template:
    spec:
      containers:
        - image: "nginx:1.25"
          ports:
            - containerPort: 80
            - containerPort: 443
# apps/v1 on v1.30.0
# key=value  1e+06 1000000
`);
    expect(set.names()).toEqual([
      'podinfo.fullname',
      'podinfo.labels',
      'podinfo/templates/_helpers.tpl',
      'podinfo/templates/deployment.yaml',
    ]);
    expect(set.has('podinfo.labels')).toBe(true);
    expect(set.has('nope')).toBe(false);
  });

  it('refuses an unknown function at parse time, naming the file and line', () => {
    const parse = (): unknown =>
      helmSet().parse('podinfo/templates/deployment.yaml', 'a: 1\nb: {{ .Values.x | toYaml }}\n');
    expect(parse).toThrow(TemplateParseError);
    expect(parse).toThrow(
      'template: podinfo/templates/deployment.yaml:2: function "toYaml" not defined',
    );
  });

  it('renders values, methods of plain objects, and float64 as Go prints it', () => {
    const set = helmSet().parse(
      'podinfo/templates/cm.yaml',
      `replicas: {{ .Values.replicaCount }}
big: {{ .Values.big }} / {{ int .Values.big }}
ports: {{ .Values.ports }}
labels: {{ .Values.labels }}
apps: {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "batch/v9" }}
file: {{ .Files.Get "config.txt" | quote }}
{{- range $i, $p := .Values.ports }}
port{{ $i }}: {{ $p }}
{{- end }}
{{- with .Values.image }}
image: {{ .repository }}:{{ .tag }}
{{- end }}
{{- if not .Values.empty }}
empty: true
{{- end }}`,
    );
    expect(set.execute('podinfo/templates/cm.yaml', chartData)).toBe(`replicas: 1
big: 1e+06 / 1000000
ports: [80 443]
labels: map[a:1 b:2]
apps: true false
file: "key=value\\n"
port0: 80
port1: 443
image: nginx:1.25
empty: true`);
  });

  it('prints a missing value as <no value>, which Helm blanks', () => {
    const set = helmSet().parse(
      't.yaml',
      'a: {{ .Values.missing }}\nb: {{ index .Values "nope" }}\nc: {{ .Values.empty }}',
    );
    expect(set.execute('t.yaml', chartData)).toBe('a: <no value>\nb: <no value>\nc: <no value>');
    expect(set.execute('t.yaml', chartData, { replaceNoValue: true })).toBe('a: \nb: \nc: ');
  });

  it('gives the later of two defines of one name, as Helm relies on across files', () => {
    const set = helmSet()
      .parse('parent/templates/_a.tpl', '{{ define "x" }}from a{{ end }}')
      .parse('parent/charts/sub/templates/_b.tpl', '{{ define "x" }}from b{{ end }}')
      .parse('parent/templates/use.yaml', '{{ template "x" }} {{ include "x" . }}');
    expect(set.execute('parent/templates/use.yaml', chartData)).toBe('from b from b');
  });

  it('does not let a file of only defines erase a template of its name', () => {
    const set = helmSet().parse('x', 'body').parse('x', '{{ define "y" }}y{{ end }}\n');
    expect(set.execute('x', null)).toBe('body');
    expect(set.execute('y', null)).toBe('y');
  });

  it('refuses two defines of one name in one file', () => {
    expect(() =>
      helmSet().parse(
        'c/templates/_h.tpl',
        '{{ define "a" }}1{{ end }}\n{{ define "a" }}2{{ end }}',
      ),
    ).toThrow('template: c/templates/_h.tpl:2: template: multiple definition of template "a"');
  });

  it('reports a nil map value used as a map, as Helm does (missingkey=zero)', () => {
    const set = helmSet().parse(
      'podinfo/templates/deployment.yaml',
      'kind: Deployment\nspec:\n  replicas: {{ .Values.autoscaling.minReplicas }}\n',
    );
    expect(() => set.execute('podinfo/templates/deployment.yaml', chartData)).toThrow(
      'template: podinfo/templates/deployment.yaml:3:22: executing "podinfo/templates/deployment.yaml" at <.Values.autoscaling.minReplicas>: nil pointer evaluating interface {}.minReplicas',
    );
    try {
      set.execute('podinfo/templates/deployment.yaml', chartData);
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateExecError);
      expect((e as TemplateExecError).line).toBe(3);
      expect((e as TemplateExecError).column).toBe(22);
      expect((e as TemplateExecError).templateName).toBe('podinfo/templates/deployment.yaml');
    }
  });

  it('wraps a function error as Go does, at the command', () => {
    const set = helmSet().parse(
      'podinfo/templates/secret.yaml',
      'data:\n  password: {{ required "A valid .Values.password entry required!" .Values.password | quote }}\n',
    );
    expect(() => set.execute('podinfo/templates/secret.yaml', chartData)).toThrow(
      'template: podinfo/templates/secret.yaml:2:15: executing "podinfo/templates/secret.yaml" at <required "A valid .Values.password entry required!" .Values.password>: error calling required: A valid .Values.password entry required!',
    );
  });

  it('names the define and its file when an included template fails', () => {
    const set = helmSet()
      .parse(
        'podinfo/templates/_helpers.tpl',
        '{{- define "podinfo.image" -}}\n{{ .Values.image.name.first }}\n{{- end -}}',
      )
      .parse('podinfo/templates/deployment.yaml', 'image: {{ include "podinfo.image" . }}');
    expect(() => set.execute('podinfo/templates/deployment.yaml', chartData)).toThrow(
      'template: podinfo/templates/deployment.yaml:1:10: executing "podinfo/templates/deployment.yaml" at <include "podinfo.image" .>: error calling include: template: podinfo/templates/_helpers.tpl:2:10: executing "podinfo.image" at <.Values.image.name.first>: nil pointer evaluating interface {}.first',
    );
  });

  it('compares a float64 value with an int literal as Go does: an error', () => {
    const set = helmSet().parse(
      't.yaml',
      '{{ if eq .Values.replicaCount 1 }}one{{ end }}|{{ if eq (int .Values.replicaCount) 1 }}one{{ end }}',
    );
    expect(() => set.execute('t.yaml', chartData)).toThrow(
      'template: t.yaml:1:6: executing "t.yaml" at <eq .Values.replicaCount 1>: error calling eq: incompatible types for comparison',
    );
    const ok = helmSet().parse(
      't.yaml',
      '{{ if eq (int .Values.replicaCount) 1 }}one{{ end }}|{{ if eq .Values.replicaCount 1.0 }}float{{ end }}',
    );
    expect(ok.execute('t.yaml', chartData)).toBe('one|float');
  });

  it('fails on a missing key under missingkey=error (helm --strict, lint)', () => {
    const set = helmSet('error').parse(
      't.yaml',
      'a: {{ .Values.image.tag }}\nb: {{ .Values.nope }}',
    );
    expect(() => set.execute('t.yaml', chartData)).toThrow(
      'template: t.yaml:2:13: executing "t.yaml" at <.Values.nope>: map has no entry for key "nope"',
    );
  });

  it('tpl renders a string that sees the set’s defines, and its own defines stay inside', () => {
    const set = helmSet()
      .parse(
        'podinfo/templates/_helpers.tpl',
        '{{ define "podinfo.fullname" }}{{ .Release.Name }}-podinfo{{ end }}',
      )
      .parse(
        'podinfo/templates/cm.yaml',
        '{{ tpl "name: {{ include \\"podinfo.fullname\\" . }} {{ .Values.missing }}" . }}|{{ tpl "{{ define \\"inner\\" }}i{{ end }}{{ template \\"inner\\" }}" . }}',
      );
    expect(set.execute('podinfo/templates/cm.yaml', chartData)).toBe('name: web-podinfo |i');
    expect(set.has('inner')).toBe(false);
    expect(set.has('podinfo/templates/tpl')).toBe(false);
  });

  it('clone gets its own functions bound to the clone', () => {
    const set = helmSet().parse('a', '{{ define "d" }}original{{ end }}{{ include "d" . }}');
    const copy = set.clone().parse('b', '{{ define "d" }}cloned{{ end }}');
    expect(copy.execute('a', null)).toBe('cloned');
    expect(set.execute('a', null)).toBe('original');
  });

  it('clone with other functions: parse once, render with per-render functions', () => {
    const parsed = new TemplateSet({ funcs: { secret: () => 'unused' } }).parse(
      't',
      '{{ secret }}',
    );
    const a = parsed.clone({ funcs: { secret: () => 'cluster-a' } });
    const b = parsed.clone({
      funcs: (set) => ({ secret: () => `cluster-b:${set.names().join()}` }),
    });
    expect(a.execute('t', null)).toBe('cluster-a');
    expect(b.execute('t', null)).toBe('cluster-b:t');
    expect(() => parsed.clone({ funcs: {} }).execute('t', null)).toThrow(
      'template: t:1:3: executing "t" at <secret>: "secret" is not a defined function',
    );
  });

  it('checks the argument count of a function that declares its Go signature', () => {
    const set = new TemplateSet({
      funcs: {
        twoArgs: withGoSignature((a: string, b: string) => a + b, 2),
        atLeastOne: withGoSignature((...xs: string[]) => xs.join('+'), 1, true),
      },
    }).parse('t', '{{ twoArgs "a" "b" }} {{ "b" | twoArgs "a" }} {{ atLeastOne "x" "y" }}');
    expect(set.execute('t', null)).toBe('ab ab x+y');
    expect(() =>
      new TemplateSet({ funcs: { twoArgs: withGoSignature((a: string) => a, 2) } })
        .parse('u', '{{ twoArgs "a" }}')
        .execute('u', null),
    ).toThrow(
      'template: u:1:3: executing "u" at <twoArgs>: wrong number of args for twoArgs: want 2 got 1',
    );
    expect(() =>
      new TemplateSet({ funcs: { atLeastOne: withGoSignature(() => '', 1, true) } })
        .parse('v', '{{ atLeastOne }}')
        .execute('v', null),
    ).toThrow(
      'template: v:1:3: executing "v" at <atLeastOne>: wrong number of args for atLeastOne: want at least 1 got 0',
    );
  });

  it('reports an unknown template as Go’s ExecuteTemplate does', () => {
    expect(() => helmSet().execute('podinfo/templates/nope.yaml', {})).toThrow(
      'template: no template "podinfo/templates/nope.yaml" associated with template "gotpl"',
    );
  });

  it('reports endless template recursion at the recursing {{template}}', () => {
    const set = helmSet().parse(
      't',
      '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}',
    );
    expect(() => set.execute('t', null)).toThrow(
      'template: t:1:28: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (100000)',
    );
  });

  it('executes one parsed set many times with different data', () => {
    const set = helmSet().parse('t', '{{ .Release.Name }}/{{ .Values.replicaCount }}');
    const out = Array.from({ length: 3 }, (_, i) =>
      set.execute('t', { ...chartData, Release: { Name: `r${i}` }, Values: { replicaCount: i } }),
    );
    expect(out).toEqual(['r0/0', 'r1/1', 'r2/2']);
  });
});
