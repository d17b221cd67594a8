import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { findRemoteBases, kustomizeBuild, remoteRepoKey } from './index.ts';

/**
 * Remote git bases and components: the engine reads what the worker fetched (by URL and ref),
 * and gives what `kubectl kustomize` printed when it cloned the same repository itself
 * (test/kustomize/remote-cases, recorded by record-golden.sh over file://).
 */
const TEST_DIR = resolve(import.meta.dirname, '../../test/kustomize');
const REMOTE = 'https://git.example.com/org/remote.git';

function readFolder(root: string, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(`${prefix}${relative(root, path)}`, readFileSync(path, 'utf8'));
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

function remoteCase(name: string) {
  const dir = join(TEST_DIR, 'remote-cases', name);
  const local = readFolder(join(dir, 'local'), 'app/');
  local.set(
    'app/kustomization.yaml',
    local.get('app/kustomization.yaml')!.replaceAll('REMOTE', REMOTE),
  );
  return { local, remote: readFolder(join(dir, 'remote')) };
}

const key = remoteRepoKey({ repoUrl: REMOTE, ref: 'v1' });

describe('remote kustomize bases', () => {
  it('builds a remote base and a remote component as kubectl kustomize does', () => {
    const { local, remote } = remoteCase('git-base');
    const objects = kustomizeBuild(local, 'app', { remotes: new Map([[key, remote]]) });
    expect(objects).toEqual(golden('remote-git-base'));
  });

  it('names each remote repository once, with the kustomization that names it', () => {
    const { local } = remoteCase('git-base');
    expect(findRemoteBases(local, 'app')).toEqual([
      {
        reference: { raw: `${REMOTE}//base?ref=v1`, repoUrl: REMOTE, ref: 'v1', path: 'base' },
        file: 'app/kustomization.yaml',
        depth: 0,
      },
    ]);
  });

  it('finds the remotes a fetched remote names in turn, one level deeper', () => {
    const other = 'https://git.example.com/org/other';
    const remote = new Map([['base/kustomization.yaml', `resources:\n  - ${other}//x?ref=v2\n`]]);
    const local = new Map([['app/kustomization.yaml', `resources:\n  - ${REMOTE}//base?ref=v1\n`]]);
    expect(findRemoteBases(local, 'app', new Map([[key, remote]]))).toEqual([
      {
        reference: { raw: `${other}//x?ref=v2`, repoUrl: other, ref: 'v2', path: 'x' },
        file: `${REMOTE}//base/kustomization.yaml?ref=v1`,
        depth: 1,
      },
    ]);
  });

  it('keeps a remote kustomization inside its own repository', () => {
    const remote = new Map([['base/kustomization.yaml', 'resources:\n  - ../../outside\n']]);
    const local = new Map([
      ['app/kustomization.yaml', `resources:\n  - ${REMOTE}//base?ref=v1\n`],
      ['outside/kustomization.yaml', 'resources: []\n'],
    ]);
    expect(() => kustomizeBuild(local, 'app', { remotes: new Map([[key, remote]]) })).toThrow(
      expect.objectContaining({
        code: 'PathEscapes',
        message: `${REMOTE}//base/kustomization.yaml?ref=v1: resources[0]: "../../outside" resolves outside the remote repository`,
      }),
    );
  });

  it('says which folder a fetched remote lacks', () => {
    const local = new Map([['app/kustomization.yaml', `resources:\n  - ${REMOTE}//nope?ref=v1\n`]]);
    expect(() =>
      kustomizeBuild(local, 'app', { remotes: new Map([[key, new Map([['x.yaml', '']])]]) }),
    ).toThrow(
      expect.objectContaining({
        code: 'KustomizeFailed',
        message: `app/kustomization.yaml: resources[0]: "${REMOTE}//nope?ref=v1": the repository has no folder "nope"`,
      }),
    );
  });

  it('refuses a remote file URL with a clear error', () => {
    const url = 'https://raw.example.com/org/repo/main/all.yaml';
    const local = new Map([['app/kustomization.yaml', `resources:\n  - ${url}\n`]]);
    expect(() => kustomizeBuild(local, 'app')).toThrow(
      expect.objectContaining({
        code: 'Unsupported',
        message: expect.stringMatching(
          /^app\/kustomization\.yaml: resources\[0\]: remote file ".*all\.yaml" is not supported/,
        ),
      }),
    );
  });
});
