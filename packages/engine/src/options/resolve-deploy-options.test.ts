import { describe, expect, it } from 'vitest';
import type { BundleOptions, DeployOptions, TargetCustomization } from './bundle-options.ts';
import { resolveDeployOptions } from './resolve-deploy-options.ts';

const bundle = (fields: Partial<BundleOptions>): BundleOptions => ({
  labels: {},
  paused: false,
  dependsOn: [],
  targetCustomizations: [],
  ...fields,
});

const customization = (fields: Partial<TargetCustomization>): TargetCustomization => ({
  name: 'custom',
  doNotDeploy: false,
  ...fields,
});

const DEFAULTS: DeployOptions = {
  overlays: [],
  comparePatches: [],
  correctDrift: { enabled: false, force: false, keepFailHistory: false },
  keepResources: false,
};

describe('resolveDeployOptions', () => {
  it('gives explicit defaults for a bundle without options', () => {
    expect(resolveDeployOptions(bundle({}))).toEqual(DEFAULTS);
  });

  it.each<[string, Partial<BundleOptions>, Partial<TargetCustomization>, Partial<DeployOptions>]>([
    [
      'a customization namespace replaces the bundle one',
      { namespace: 'a' },
      { namespace: 'b' },
      { namespace: 'b' },
    ],
    [
      'an empty customization namespace keeps the bundle one',
      { namespace: 'a' },
      { namespace: '' },
      { namespace: 'a' },
    ],
    ['"-" clears the bundle namespace', { namespace: 'a' }, { namespace: '-' }, {}],
    [
      '"-" clears the bundle defaultNamespace',
      { defaultNamespace: 'a' },
      { defaultNamespace: '-' },
      {},
    ],
    [
      'defaultNamespace and namespace are overridden separately',
      { defaultNamespace: 'a', namespace: 'n' },
      { defaultNamespace: 'b' },
      { defaultNamespace: 'b', namespace: 'n' },
    ],
    [
      'kustomize.dir is replaced',
      { kustomize: { dir: 'base' } },
      { kustomize: { dir: 'prod' } },
      { kustomizeDir: 'prod' },
    ],
    [
      'an empty kustomize.dir keeps the bundle one',
      { kustomize: { dir: 'base' } },
      { kustomize: {} },
      { kustomizeDir: 'base' },
    ],
    [
      'overlays are the bundle ones followed by the customization ones',
      { yaml: { overlays: ['common'] } },
      { yaml: { overlays: ['prod', 'lb'] } },
      { overlays: ['common', 'prod', 'lb'] },
    ],
    [
      'keepResources holds if the bundle sets it',
      { keepResources: true },
      { keepResources: false },
      { keepResources: true },
    ],
    [
      'keepResources holds if the customization sets it',
      {},
      { keepResources: true },
      { keepResources: true },
    ],
    [
      'correctDrift is replaced as a whole',
      { correctDrift: { enabled: true, force: true } },
      { correctDrift: { enabled: false } },
      { correctDrift: { enabled: false, force: false, keepFailHistory: false } },
    ],
    [
      'the bundle correctDrift applies when the customization gives none',
      { correctDrift: { enabled: true } },
      {},
      { correctDrift: { enabled: true, force: false, keepFailHistory: false } },
    ],
  ])('%s', (_rule, bundleFields, customFields, expected) => {
    expect(resolveDeployOptions(bundle(bundleFields), customization(customFields))).toEqual({
      ...DEFAULTS,
      ...expected,
    });
  });

  it('merges comparePatches by object identity, the customization entry winning', () => {
    const replicas = { op: 'remove', path: '/spec/replicas' };
    const image = { op: 'remove', path: '/spec/template/spec/containers/0/image' };
    const resolved = resolveDeployOptions(
      bundle({
        diff: {
          comparePatches: [
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', operations: [replicas] },
            { apiVersion: 'v1', kind: 'Service', name: 'web', operations: [{ op: 'ignore' }] },
          ],
        },
      }),
      customization({
        diff: {
          comparePatches: [
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', operations: [image] },
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', jsonPointers: ['/spec'] },
          ],
        },
      }),
    );
    expect(resolved.comparePatches).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', operations: [image] },
      { apiVersion: 'v1', kind: 'Service', name: 'web', operations: [{ op: 'ignore' }] },
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', jsonPointers: ['/spec'] },
    ]);
  });

  it('ignores the targeting fields of the customization', () => {
    const custom = customization({
      clusterName: 'x',
      clusterSelector: { matchLabels: { a: 'b' } },
    });
    expect(resolveDeployOptions(bundle({}), custom)).toEqual(DEFAULTS);
  });

  it("merges the customization's helm options over the bundle's as Fleet does", () => {
    const secret = (key: string) => ({ secretKeyRef: { name: 's', key } });
    const resolved = resolveDeployOptions(
      bundle({
        helm: {
          chart: 'web',
          repo: 'https://charts.example.com',
          version: '1.0.0',
          releaseName: 'web',
          values: { a: 1 },
          valuesFiles: ['base.yaml'],
          valuesFrom: [secret('a'), secret('b')],
          force: true,
          maxHistory: 5,
          skipSchemaValidation: true,
        },
      }),
      customization({
        helm: {
          version: '2.0.0',
          values: { b: 2 },
          valuesFrom: [secret('b'), secret('c')],
          takeOwnership: true,
          maxHistory: 9,
        },
      }),
    );
    expect(resolved.helm).toEqual({
      chart: 'web',
      repo: 'https://charts.example.com',
      version: '2.0.0',
      releaseName: 'web',
      valueLayers: [
        { valuesFiles: ['base.yaml'], values: { a: 1 } },
        { valuesFiles: [], values: { b: 2 } },
      ],
      valuesFrom: [secret('a'), secret('b'), secret('c')],
      takeOwnership: true,
      force: true,
      // Fleet's merge never copies these two from a customization.
      maxHistory: 5,
      skipSchemaValidation: true,
      atomic: false,
      waitForJobs: false,
      disablePreProcess: false,
      disableDNS: false,
      timeoutSeconds: 0,
    });
  });

  it.each<
    [string, Partial<BundleOptions>, Partial<TargetCustomization> | undefined, true | undefined]
  >([
    ['absent unless set, so other revisions hash as before', {}, undefined, undefined],
    ['false stays absent', { takeOwnership: false }, undefined, undefined],
    ['top-level takeOwnership', { takeOwnership: true }, undefined, true],
    ["Fleet's helm.takeOwnership", { helm: { takeOwnership: true } }, undefined, true],
    ['set by the customization', {}, { takeOwnership: true }, true],
    ['helm.takeOwnership of the customization', {}, { helm: { takeOwnership: true } }, true],
  ])('takeOwnership: %s', (_name, options, custom, expected) => {
    const resolved = resolveDeployOptions(
      bundle(options),
      custom ? customization(custom) : undefined,
    );
    expect(resolved.takeOwnership).toBe(expected);
    expect('takeOwnership' in resolved).toBe(expected === true);
  });

  it('gives helm options to a copy only when the bundle or its customization sets them', () => {
    expect(resolveDeployOptions(bundle({})).helm).toBeUndefined();
    expect(
      resolveDeployOptions(bundle({}), customization({ helm: { releaseName: 'x' } })).helm
        ?.releaseName,
    ).toBe('x');
  });
});
