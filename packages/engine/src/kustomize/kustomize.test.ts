import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject, RepoFiles } from '../types.ts';
import { kustomizeBuild } from './index.ts';

/**
 * kustomizeBuild against what real `kubectl kustomize` printed for the same input
 * (test/kustomize/golden, recorded by test/kustomize/record-golden.sh): the same objects in
 * the same order.
 */
const TEST_DIR = resolve(import.meta.dirname, '../../test/kustomize');
const FLEET_EXAMPLES = resolve(
  process.env.FLOTILLA_SHARED_DIR ?? resolve(import.meta.dirname, '../../../../../shared'),
  'fixtures/fleet-examples',
);

function readRepo(root: string): RepoFiles {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

function golden(name: string): KubeObject[] {
  const text = readFileSync(join(TEST_DIR, 'golden', `${name}.yaml`), 'utf8');
  return parseAllDocuments(text)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

const CASES = readdirSync(join(TEST_DIR, 'cases'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('kustomizeBuild renders what kubectl kustomize renders', () => {
  it('has golden output for every case', () => {
    expect(CASES.length).toBeGreaterThan(10);
    for (const name of CASES) expect(golden(name).length, name).toBeGreaterThan(0);
  });

  it.each(CASES)('case %s', (name) => {
    const files = readRepo(join(TEST_DIR, 'cases', name));
    expect(kustomizeBuild(files, '')).toEqual(golden(name));
  });

  const fleetRepo = readRepo(FLEET_EXAMPLES);
  it.each([
    'single-cluster/kustomize',
    'single-cluster/kustomize/base',
    'single-cluster/kustomize/overlays/dev',
    'multi-cluster/kustomize/base',
    'multi-cluster/kustomize/overlays/dev',
    'multi-cluster/kustomize/overlays/test',
    'multi-cluster/kustomize/overlays/prod',
  ])('fleet example %s', (dir) => {
    expect(kustomizeBuild(fleetRepo, dir)).toEqual(golden(`fleet-${dir.replaceAll('/', '-')}`));
  });
});
