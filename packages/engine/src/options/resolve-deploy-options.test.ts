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
});
