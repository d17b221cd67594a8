import { describe, expect, it } from 'vitest';
import { EngineError, type EngineErrorCode } from '../errors.ts';
import type { RepoFiles } from '../types.ts';
import { kustomizeBuild, type KustomizeBuildOptions } from './index.ts';

const configMap = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  a: "1"
`;

function repo(files: Record<string, string>): RepoFiles {
  return new Map(Object.entries(files));
}

function failure(
  files: Record<string, string>,
  dir = 'app',
  options?: KustomizeBuildOptions,
): EngineError {
  try {
    kustomizeBuild(repo(files), dir, options);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('the build succeeded');
}

interface Case {
  name: string;
  files: Record<string, string>;
  dir?: string;
  options?: KustomizeBuildOptions;
  code: EngineErrorCode;
  message: RegExp;
}

const cases: Case[] = [
  {
    name: 'a resource path that leaves the repository',
    files: { 'app/kustomization.yaml': 'resources:\n  - ../../../../etc\n' },
    code: 'PathEscapes',
    message:
      /^app\/kustomization\.yaml: resources\[0\]: "\.\.\/\.\.\/\.\.\/\.\.\/etc" resolves outside the repository/,
  },
  {
    name: 'an absolute resource path',
    files: { 'app/kustomization.yaml': 'resources:\n  - /etc/passwd\n' },
    code: 'PathEscapes',
    message: /resources\[0\]: "\/etc\/passwd" is an absolute path/,
  },
  {
    name: 'a kustomization dir outside the repository',
    files: { 'app/kustomization.yaml': 'resources: []\nnamespace: x\n' },
    dir: '../outside',
    code: 'PathEscapes',
    message: /resolves outside the repository/,
  },
  {
    name: 'a patch file that leaves the repository',
    files: {
      'app/kustomization.yaml': 'resources: [cm.yaml]\npatches:\n  - path: ../../secret.yaml\n',
      'app/cm.yaml': configMap('a'),
    },
    code: 'PathEscapes',
    message: /patches\[0\]\.path: "\.\.\/\.\.\/secret\.yaml" resolves outside the repository/,
  },
  {
    name: 'a missing resource file',
    files: {
      'app/kustomization.yaml': 'resources:\n  - present.yaml\n  - missing.yaml\n',
      'app/present.yaml': configMap('a'),
    },
    code: 'KustomizeFailed',
    message:
      /^app\/kustomization\.yaml: resources\[1\]: "missing\.yaml" \(app\/missing\.yaml\) is neither a file nor a folder/,
  },
  {
    name: 'a missing patch file',
    files: {
      'app/kustomization.yaml': 'resources: [cm.yaml]\npatchesStrategicMerge:\n  - gone.yaml\n',
      'app/cm.yaml': configMap('a'),
    },
    code: 'KustomizeFailed',
    message: /patchesStrategicMerge\[0\]: "gone\.yaml" \(app\/gone\.yaml\) does not exist/,
  },
  {
    name: 'a remote git base',
    files: {
      'app/kustomization.yaml': 'resources:\n  - https://github.com/example/repo//deploy?ref=v1\n',
    },
    code: 'Unsupported',
    message:
      /resources\[0\]: remote reference "https:\/\/github\.com\/example\/repo\/\/deploy\?ref=v1" was not fetched/,
  },
  {
    name: 'a remote shorthand base',
    files: { 'app/kustomization.yaml': 'resources:\n  - github.com/example/repo/deploy?ref=v1\n' },
    code: 'Unsupported',
    message: /remote reference/,
  },
  {
    name: 'a cycle between two kustomizations',
    files: {
      'a/kustomization.yaml': 'resources:\n  - ../b\n',
      'b/kustomization.yaml': 'resources:\n  - ../a\n',
    },
    dir: 'a',
    code: 'KustomizeFailed',
    message: /^b\/kustomization\.yaml: resources\[0\]: cycle detected: "a" contains "a"/,
  },
  {
    name: 'a base that contains the kustomization itself',
    files: {
      'app/kustomization.yaml': 'resources:\n  - ..\n',
      'kustomization.yaml': 'resources: [app]\n',
    },
    code: 'KustomizeFailed',
    message: /cycle detected: "\." contains "app"/,
  },
  {
    name: 'a file outside the kustomization folder (kustomize loads only files below it)',
    files: {
      'app/kustomization.yaml': 'resources:\n  - ../shared/cm.yaml\n',
      'shared/cm.yaml': configMap('a'),
    },
    code: 'KustomizeFailed',
    message: /security; file "shared\/cm\.yaml" is not in or below "app"/,
  },
  {
    name: 'a folder without kustomization',
    files: {
      'app/kustomization.yaml': 'resources:\n  - ../plain\n',
      'plain/cm.yaml': configMap('a'),
    },
    code: 'KustomizeFailed',
    message:
      /unable to find one of 'kustomization\.yaml', 'kustomization\.yml', 'Kustomization' in directory "plain"/,
  },
  {
    name: 'a helm chart that is neither in the repository nor pulled',
    files: {
      'app/kustomization.yaml':
        'helmCharts:\n  - name: redis\n    repo: https://charts.example.com\n',
    },
    code: 'KustomizeFailed',
    message:
      /^app\/kustomization\.yaml: helmCharts\[0\]: no chart "redis" at "app\/charts\/redis" and it was not pulled from https:\/\/charts\.example\.com$/,
  },
  ...(['crds', 'validators', 'helmChartInflationGenerator'] as const).map((field): Case => ({
    name: `the unsupported field ${field}`,
    files: { 'app/kustomization.yaml': `resources: []\n${field}: {}\n` },
    code: 'Unsupported',
    message: new RegExp(
      `^app/kustomization\\.yaml: kustomization field "${field}" is not supported by Flotilla's kustomize$`,
    ),
  })),
  {
    name: 'an unknown field',
    files: { 'app/kustomization.yaml': 'resources: []\nnamePrefixx: a-\n' },
    code: 'KustomizeFailed',
    message: /invalid Kustomization: unknown field namePrefixx/,
  },
  {
    name: 'an unquoted number where kustomize wants a string',
    files: { 'app/kustomization.yaml': 'resources: []\nimages:\n  - name: app\n    newTag: 1.0\n' },
    code: 'KustomizeFailed',
    message: /images\.0\.newTag/,
  },
  {
    name: 'invalid YAML',
    files: {
      'app/kustomization.yaml': 'resources: [cm.yaml]\n',
      'app/cm.yaml': 'kind: ConfigMap\n  bad: [indent\n',
    },
    code: 'KustomizeFailed',
    message: /^app\/cm\.yaml:\d+: invalid YAML/,
  },
  {
    name: 'two objects with one id',
    files: {
      'app/kustomization.yaml': 'resources: [a.yaml, b.yaml]\n',
      'app/a.yaml': configMap('same'),
      'app/b.yaml': configMap('same'),
    },
    code: 'KustomizeFailed',
    message:
      /resources\[1\]: may not add resource with an already registered id: ConfigMap\.v1\.\[noGrp\]\/same\.\[noNs\]/,
  },
  {
    name: 'a patch whose target does not exist',
    files: {
      'app/kustomization.yaml': 'resources: [cm.yaml]\npatchesStrategicMerge:\n  - patch.yaml\n',
      'app/cm.yaml': configMap('a'),
      'app/patch.yaml': configMap('b'),
    },
    code: 'KustomizeFailed',
    message:
      /no matches for Id ConfigMap\.v1\.\[noGrp\]\/b\.\[noNs\]; failed to find unique target for patch/,
  },
  {
    name: 'a failing JSON patch operation',
    files: {
      'app/kustomization.yaml':
        'resources: [cm.yaml]\npatches:\n  - target: {kind: ConfigMap}\n    patch: |-\n      - op: replace\n        path: /data/missing\n        value: x\n',
      'app/cm.yaml': configMap('a'),
    },
    code: 'KustomizeFailed',
    message: /patches\[0\].*operation 0 \(replace \/data\/missing\) failed: path does not exist/,
  },
  {
    name: 'a resource without apiVersion (kubectl kustomize prints it; no API server takes it)',
    files: {
      'app/kustomization.yaml': 'resources: [cm.yaml]\nnamespace: x\n',
      'app/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: settings\n',
    },
    code: 'KustomizeFailed',
    message: /^app\/cm\.yaml: missing apiVersion in ConfigMap settings$/,
  },
  {
    name: 'a JSON patch that removes apiVersion',
    files: {
      'app/kustomization.yaml':
        'resources: [cm.yaml]\npatches:\n  - target: {kind: ConfigMap}\n    patch: \'[{"op": "remove", "path": "/apiVersion"}]\'\n',
      'app/cm.yaml': configMap('a'),
    },
    code: 'KustomizeFailed',
    message: /^app\/kustomization\.yaml: ConfigMap a has no apiVersion after the build$/,
  },
  {
    name: 'a replacement whose source selects nothing',
    files: {
      'app/kustomization.yaml':
        'resources: [cm.yaml]\nreplacements:\n  - source: {kind: Secret, name: s}\n    targets: [{select: {kind: ConfigMap}}]\n',
      'app/cm.yaml': configMap('a'),
    },
    code: 'KustomizeFailed',
    message:
      /^app\/kustomization\.yaml: replacements\[0\]: nothing selected by Secret\.\[noVer\]\.\[noGrp\]\/s\.\[noNs\]/,
  },
  {
    name: 'a replacement whose source selects two objects',
    files: {
      'app/kustomization.yaml':
        'resources: [cm.yaml]\nreplacements:\n  - source: {kind: ConfigMap}\n    targets: [{select: {kind: ConfigMap}}]\n',
      'app/cm.yaml': [configMap('a'), configMap('b')].join('---\n'),
    },
    code: 'KustomizeFailed',
    message: /replacements\[0\]: multiple matches for selector ConfigMap/,
  },
  {
    name: 'a replacement source field that is missing',
    files: {
      'app/kustomization.yaml':
        'resources: [cm.yaml]\nreplacements:\n  - source: {kind: ConfigMap, fieldPath: data.b}\n    targets: [{select: {kind: ConfigMap}}]\n',
      'app/cm.yaml': configMap('a'),
    },
    code: 'KustomizeFailed',
    message: /fieldPath `data\.b` is missing for replacement source ConfigMap/,
  },
  {
    name: 'a replacement target field that is missing (without create)',
    files: {
      'app/kustomization.yaml':
        'resources: [cm.yaml]\nreplacements:\n  - source: {kind: ConfigMap, fieldPath: data.a}\n    targets: [{select: {kind: ConfigMap}, fieldPaths: [data.b]}]\n',
      'app/cm.yaml': configMap('a'),
    },
    code: 'KustomizeFailed',
    message: /unable to find field "data\.b" in replacement target ConfigMap\.v1\.\[noGrp\]\/a/,
  },
  {
    name: 'a var whose object is not in the build',
    files: {
      'app/kustomization.yaml':
        'resources: [cm.yaml]\nvars:\n  - name: GONE\n    objref: {kind: Service, name: gone, apiVersion: v1}\n',
      'app/cm.yaml': configMap('a'),
    },
    code: 'KustomizeFailed',
    message:
      /^app\/kustomization\.yaml: vars: var 'GONE \(Service gone, metadata\.name\)' cannot be mapped to a field in the set of known resources/,
  },
  {
    name: 'a var defined twice',
    files: {
      'app/kustomization.yaml':
        'resources: [base]\nvars:\n  - name: A\n    objref: {kind: ConfigMap, name: a, apiVersion: v1}\n',
      'app/base/kustomization.yaml':
        'resources: [cm.yaml]\nvars:\n  - name: A\n    objref: {kind: ConfigMap, name: a, apiVersion: v1}\n',
      'app/base/cm.yaml': configMap('a'),
    },
    code: 'KustomizeFailed',
    message: /^app\/kustomization\.yaml: vars: var 'A' already encountered/,
  },
  {
    name: 'a transformer that is not a builtin plugin',
    files: {
      'app/kustomization.yaml': 'resources: [cm.yaml]\ntransformers: [plugin.yaml]\n',
      'app/cm.yaml': configMap('a'),
      'app/plugin.yaml': 'apiVersion: example.com/v1\nkind: Sops\nmetadata: {name: s}\n',
    },
    code: 'Unsupported',
    message:
      /^app\/kustomization\.yaml: transformers\[0\]: Sops s: only kustomize's builtin plugins \(apiVersion: builtin\) are supported/,
  },
  {
    name: 'a helm chart generator',
    files: {
      'app/kustomization.yaml':
        'generators:\n  - |-\n    apiVersion: builtin\n    kind: HelmChartInflationGenerator\n    metadata: {name: c}\n',
    },
    code: 'Unsupported',
    message: /generators\[0\]: HelmChartInflationGenerator: helm charts are not supported yet/,
  },
  {
    name: 'buildMetadata transformerAnnotations',
    files: {
      'app/kustomization.yaml': 'resources: [cm.yaml]\nbuildMetadata: [transformerAnnotations]\n',
      'app/cm.yaml': configMap('a'),
    },
    code: 'Unsupported',
    message: /^app\/kustomization\.yaml: buildMetadata transformerAnnotations is not supported/,
  },
  {
    name: 'configurations for a transformer whose field specs are fixed here',
    files: {
      'app/kustomization.yaml': 'resources: [cm.yaml]\nconfigurations: [config.yaml]\n',
      'app/cm.yaml': configMap('a'),
      'app/config.yaml': 'namePrefix:\n  - path: spec/name\n    kind: CronTab\n',
    },
    code: 'Unsupported',
    message: /configurations\[0\]: app\/config\.yaml: "namePrefix" field specs are not supported/,
  },
  {
    name: 'more bytes than maxBytes',
    files: { 'app/kustomization.yaml': 'resources: [cm.yaml]\n', 'app/cm.yaml': configMap('a') },
    options: { maxBytes: 60 },
    code: 'LimitExceeded',
    message: /maxBytes \(60 bytes\)/,
  },
  {
    name: 'more objects than maxDocuments',
    files: {
      'app/kustomization.yaml': 'resources: [cms.yaml]\n',
      'app/cms.yaml': [configMap('a'), configMap('b'), configMap('c')].join('---\n'),
    },
    options: { maxDocuments: 2 },
    code: 'LimitExceeded',
    message: /more than maxDocuments \(2\)/,
  },
];

describe('kustomizeBuild errors', () => {
  it.each(cases)('$name', ({ files, dir, options, code, message }) => {
    const error = failure(files, dir, options);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('expands YAML aliases only up to a bound', () => {
    const bomb = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: bomb}',
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghij'.split('').map((key, i) => {
        const previous = String.fromCharCode(97 + i);
        return `${key}: &${key} [${Array(9).fill(`*${previous}`).join(',')}]`;
      }),
    ].join('\n');
    const error = failure({
      'app/kustomization.yaml': 'resources: [bomb.yaml]\n',
      'app/bomb.yaml': bomb,
    });
    expect(error.code).toBe('KustomizeFailed');
    expect(error.message).toMatch(/^app\/bomb\.yaml: invalid YAML: .*alias/i);
  });
});

describe('kustomize and deeply nested YAML', () => {
  it('refuses a resource nested deeper than the limit before parsing it', () => {
    const error = failure({
      'app/kustomization.yaml': 'resources:\n- deep.yaml\n',
      'app/deep.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: deep }\ndata: ${'['.repeat(200_000)}`,
    });
    expect(error.code).toBe('LimitExceeded');
    expect(error.message).toMatch(/deeper than maxDepth/);
  });
});
