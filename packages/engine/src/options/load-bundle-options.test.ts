import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.ts';
import { loadBundleOptions, parseOptionsFile } from './load-bundle-options.ts';

const repo = (files: Record<string, string>) => new Map(Object.entries(files));

function optionsError(text: string, file = 'app/fleet.yaml'): EngineError {
  try {
    loadBundleOptions(repo({ [file]: text }), 'app');
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected loadBundleOptions to throw');
}

describe('loadBundleOptions', () => {
  it('reads a Fleet file, keeping the fields we use and dropping the ones we do not', () => {
    const options = loadBundleOptions(
      repo({
        'app/fleet.yaml': `
defaultNamespace: web
namespaceLabels: { team: a }   # a Fleet field we ignore
imageScans: []
kustomize: { dir: overlays/prod }
yaml: { overlays: [big, lb] }
dependsOn: [{ name: db }, { selector: { matchLabels: { tier: data } } }]
diff:
  comparePatches:
    - { apiVersion: apps/v1, kind: Deployment, name: web, operations: [{ op: remove, path: /spec/replicas }] }
paused: true
keepResources: true
labels: { team: payments }
rolloutStrategy:
  maxUnavailable: 10%
  autoPartitionSize: 5
  partitions: [{ name: canary, clusterSelector: { matchLabels: { canary: "true" } }, maxUnavailable: 0 }]
`,
      }),
      'app',
    );
    expect(options).toEqual({
      file: 'app/fleet.yaml',
      defaultNamespace: 'web',
      kustomize: { dir: 'overlays/prod' },
      yaml: { overlays: ['big', 'lb'] },
      dependsOn: [{ name: 'db' }, { selector: { matchLabels: { tier: 'data' } } }],
      diff: {
        comparePatches: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'web',
            operations: [{ op: 'remove', path: '/spec/replicas' }],
          },
        ],
      },
      paused: true,
      keepResources: true,
      labels: { team: 'payments' },
      rolloutStrategy: {
        maxUnavailable: '10%',
        autoPartitionSize: 5,
        partitions: [
          {
            name: 'canary',
            clusterSelector: { matchLabels: { canary: 'true' } },
            maxUnavailable: 0,
          },
        ],
      },
      targetCustomizations: [],
    });
  });

  it('prefers flotilla.yaml over fleet.yaml in the same folder', () => {
    const files = repo({
      'app/fleet.yaml': 'namespace: fleet',
      'app/flotilla.yaml': 'namespace: ours',
    });
    expect(loadBundleOptions(files, 'app')).toMatchObject({
      file: 'app/flotilla.yaml',
      namespace: 'ours',
    });
  });

  it('reads fleet.yml when there is no fleet.yaml, and gives defaults when there is no file', () => {
    expect(loadBundleOptions(repo({ 'app/fleet.yml': 'namespace: yml' }), 'app').namespace).toBe(
      'yml',
    );
    expect(loadBundleOptions(repo({ 'app/x.yaml': '' }), 'app')).toEqual({
      labels: {},
      paused: false,
      dependsOn: [],
      targetCustomizations: [],
    });
  });

  it('puts `targets` before `targetCustomizations` and names unnamed entries by position', () => {
    const options = loadBundleOptions(
      repo({
        'fleet.yaml': `
targetCustomizations:
  - clusterSelector: { matchLabels: { env: prod } }
    namespace: prod
targets:
  - name: eu
    clusterGroup: europe
    doNotDeploy: true
`,
      }),
      '',
    );
    expect(options.targetCustomizations).toEqual([
      { name: 'eu', clusterGroup: 'europe', doNotDeploy: true },
      {
        name: 'target001',
        clusterSelector: { matchLabels: { env: 'prod' } },
        namespace: 'prod',
        doNotDeploy: false,
      },
    ]);
  });

  it('accepts correctDrift as a bare boolean or as an object', () => {
    const files = repo({
      'fleet.yaml': `
correctDrift: true
targetCustomizations: [{ name: a, clusterName: a, correctDrift: { enabled: true, force: true } }]
`,
    });
    const options = loadBundleOptions(files, '');
    expect(options.correctDrift).toEqual({ enabled: true });
    expect(options.targetCustomizations[0]?.correctDrift).toEqual({ enabled: true, force: true });
  });

  it('reads `key:` with no value as absent, but keeps nulls in helm values', () => {
    const options = loadBundleOptions(
      repo({
        'fleet.yaml': `
namespace:
helm: { releaseName: web, chart: "", values: { replicas: null } }
targetCustomizations:
  - name: all
    clusterSelector:
`,
      }),
      '',
    );
    expect(options.namespace).toBeUndefined();
    expect(options.helm).toEqual({ releaseName: 'web', chart: '', values: { replicas: null } });
    expect(options.targetCustomizations[0]).toEqual({ name: 'all', doNotDeploy: false });
  });

  it.each([
    [
      'a label value that is not a string',
      'targetCustomizations:\n  - name: a\n  - clusterSelector: { matchLabels: { env: 1 } }',
      'app/fleet.yaml: targetCustomizations[1].clusterSelector.matchLabels.env: expected string',
    ],
    ['a namespace that is a number', 'namespace: 42', 'app/fleet.yaml: namespace: expected string'],
    [
      'a namespace that is no DNS label',
      'defaultNamespace: My_App',
      'app/fleet.yaml: defaultNamespace: must be a namespace name',
    ],
    [
      'correctDrift that is neither boolean nor object',
      'correctDrift: yes please',
      'app/fleet.yaml: correctDrift: expected boolean or object',
    ],
    [
      'a correctDrift object with a wrong field',
      'correctDrift: { enabled: 1 }',
      'app/fleet.yaml: correctDrift.enabled: expected boolean',
    ],
    [
      'a typo inside a selector, which would otherwise match every cluster',
      'targets: [{ clusterSelector: { matchLabel: { env: dev } } }]',
      'app/fleet.yaml: targets[0].clusterSelector: unknown field matchLabel',
    ],
    [
      'an In expression without values',
      'targets: [{ clusterSelector: { matchExpressions: [{ key: env, operator: In }] } }]',
      'app/fleet.yaml: targets[0].clusterSelector.matchExpressions[0].values: must list at least one value',
    ],
    [
      'an unknown operator',
      'targets: [{ clusterSelector: { matchExpressions: [{ key: env, operator: Like, values: [a] }] } }]',
      'targets[0].clusterSelector.matchExpressions[0].operator: must be one of In, NotIn, Exists, DoesNotExist',
    ],
    [
      'a dependsOn entry with neither name nor selector',
      'dependsOn: [{}]',
      "dependsOn[0]: must specify either 'name' or 'selector'",
    ],
    [
      'a rollout size that is neither a number nor a percentage',
      'rolloutStrategy: { maxUnavailable: ten }',
      'rolloutStrategy.maxUnavailable: must be a whole number or a percentage',
    ],
    ['overlays that are not a list', 'yaml: { overlays: big }', 'yaml.overlays: expected array'],
    ['a label key Kubernetes refuses', 'labels: { "bad key": x }', 'labels["bad key"]'],
    ['a file that is a list', '- a\n- b', 'app/fleet.yaml: expected a mapping of options'],
    ['two documents', 'namespace: a\n---\nnamespace: b', 'app/fleet.yaml: holds 2 YAML documents'],
  ])('refuses %s, naming the file and the field', (_case, text, message) => {
    const error = optionsError(text);
    expect(error.code).toBe('OptionsInvalid');
    expect(error.message).toContain(message);
    expect(error.where).toBe('app/fleet.yaml');
  });

  it('reports broken YAML as YamlInvalid with its position', () => {
    const error = optionsError('namespace: [a\n');
    expect(error.code).toBe('YamlInvalid');
    expect(error.message).toMatch(/^app\/fleet\.yaml: document 1: .*line \d+, column \d+/);
  });

  it('refuses a bundle path that leaves the repository', () => {
    expect(() => loadBundleOptions(repo({}), '../elsewhere')).toThrow(
      expect.objectContaining({ code: 'PathEscapes' }),
    );
  });

  it("reads Fleet's helm options and refuses a release name Helm would refuse", () => {
    const options = parseOptionsFile(
      [
        'helm:',
        '  releaseName: web',
        '  valuesFrom: [ { configMapKeyRef: { name: cm, namespace: ns, key: values.yaml } } ]',
        '  takeOwnership: true',
        '  force: true',
        '  maxHistory: 3',
        '  atomic: true',
        '  waitForJobs: true',
        '  disablePreProcess: true',
        '  disableDNS: true',
        '  skipSchemaValidation: true',
        '  timeoutSeconds: 30',
      ].join('\n'),
      'app/fleet.yaml',
    );
    expect(options.helm).toMatchObject({
      releaseName: 'web',
      valuesFrom: [{ configMapKeyRef: { name: 'cm', namespace: 'ns', key: 'values.yaml' } }],
      takeOwnership: true,
      maxHistory: 3,
      skipSchemaValidation: true,
    });
    expect(parseOptionsFile('takeOwnership: true', 'app/fleet.yaml').takeOwnership).toBe(true);
    expect(() => parseOptionsFile('takeOwnership: yes please', 'app/fleet.yaml')).toThrow(
      'app/fleet.yaml: takeOwnership: expected boolean',
    );
    expect(() => parseOptionsFile('helm: { releaseName: Web_1 }', 'app/fleet.yaml')).toThrow(
      'app/fleet.yaml: helm.releaseName: must be a Helm release name',
    );
    expect(() => parseOptionsFile('helm: { valuesFrom: [ {} ] }', 'app/fleet.yaml')).toThrow(
      'helm.valuesFrom[0]: must name exactly one of configMapKeyRef and secretKeyRef',
    );
  });
});
