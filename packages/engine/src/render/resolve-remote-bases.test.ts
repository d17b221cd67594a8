import { describe, expect, it } from 'vitest';
import type { RemoteReference } from '../kustomize/index.ts';
import { loadBundleOptions } from '../options/index.ts';
import type { RepoFiles } from '../types.ts';
import { renderBundle } from './render-bundle.ts';
import { resolveRemoteBases } from './resolve-remote-bases.ts';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const kustomization = (...resources: string[]) =>
  `resources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;

/** A fake remote host: repositories by URL, each one ref. */
function host(repos: Record<string, Record<string, string>>) {
  const calls: string[] = [];
  const fetchRepository = (reference: RemoteReference): Promise<RepoFiles> => {
    calls.push(`${reference.repoUrl}@${reference.ref}`);
    const files = repos[reference.repoUrl];
    return files
      ? Promise.resolve(new Map(Object.entries(files)))
      : Promise.reject(new Error('repository not found'));
  };
  return { calls, fetchRepository };
}

function bundle(files: Record<string, string>) {
  const repo = new Map(Object.entries(files));
  return { files: repo, bundlePath: 'app', options: loadBundleOptions(repo, 'app') };
}

describe('resolveRemoteBases', () => {
  it('follows remotes that name remotes, reads each repository once, and renders with them', async () => {
    const { calls, fetchRepository } = host({
      'https://git.example.com/a': {
        'base/kustomization.yaml': kustomization('cm.yaml', 'https://git.example.com/b//x?ref=v2'),
        'base/cm.yaml': cm('from-a'),
        'other/kustomization.yaml': kustomization('cm.yaml'),
        'other/cm.yaml': cm('other-from-a'),
      },
      'https://git.example.com/b': {
        'x/kustomization.yaml': kustomization('cm.yaml'),
        'x/cm.yaml': cm('from-b'),
      },
    });
    const input = bundle({
      'app/kustomization.yaml': kustomization(
        'https://git.example.com/a//base?ref=v1',
        'https://git.example.com/a//other?ref=v1',
      ),
    });
    const fetched = new Map<string, RepoFiles>();
    const remoteBases = await resolveRemoteBases({ ...input, fetchRepository, fetched });
    expect(calls).toEqual(['https://git.example.com/a@v1', 'https://git.example.com/b@v2']);
    const { objects } = renderBundle({ ...input, remoteBases });
    expect(objects.map((o) => o.metadata.name)).toEqual(['from-a', 'from-b', 'other-from-a']);

    // Another copy of the bundle reuses what was read.
    await resolveRemoteBases({ ...input, fetchRepository, fetched });
    expect(calls).toHaveLength(2);
  });

  it('is undefined for a bundle without remote bases', async () => {
    const { calls, fetchRepository } = host({});
    const input = bundle({
      'app/kustomization.yaml': kustomization('cm.yaml'),
      'app/cm.yaml': cm('a'),
    });
    expect(await resolveRemoteBases({ ...input, fetchRepository })).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('names the kustomization file and the URL (without credentials) when a fetch fails', async () => {
    const { fetchRepository } = host({});
    const input = bundle({
      'app/kustomization.yaml': kustomization(
        'https://user:secret@git.example.com/gone//base?ref=v1',
      ),
    });
    await expect(resolveRemoteBases({ ...input, fetchRepository })).rejects.toMatchObject({
      code: 'KustomizeFailed',
      message:
        'app/kustomization.yaml: remote base "https://git.example.com/gone//base?ref=v1" cannot be fetched: repository not found',
    });
  });

  it('stops remotes nested more than 3 deep', async () => {
    const chain: Record<string, Record<string, string>> = {};
    for (let i = 0; i < 5; i++) {
      chain[`https://git.example.com/r${i}.git`] = {
        'kustomization.yaml': kustomization(`https://git.example.com/r${i + 1}.git`),
      };
    }
    const { fetchRepository } = host(chain);
    const input = bundle({
      'app/kustomization.yaml': kustomization('https://git.example.com/r0.git'),
    });
    await expect(resolveRemoteBases({ ...input, fetchRepository })).rejects.toMatchObject({
      code: 'LimitExceeded',
      message: expect.stringMatching(
        /remote base "https:\/\/git\.example\.com\/r3\.git" is nested more than 3 remotes deep$/,
      ),
    });
  });

  it('reads at most 10 remote repositories for one copy', async () => {
    const repos: Record<string, Record<string, string>> = {};
    const refs: string[] = [];
    for (let i = 0; i < 11; i++) {
      repos[`https://git.example.com/r${i}.git`] = { 'kustomization.yaml': kustomization() };
      refs.push(`https://git.example.com/r${i}.git`);
    }
    const { fetchRepository } = host(repos);
    const input = bundle({ 'app/kustomization.yaml': kustomization(...refs) });
    await expect(resolveRemoteBases({ ...input, fetchRepository })).rejects.toMatchObject({
      code: 'LimitExceeded',
      message: expect.stringMatching(
        /^app\/kustomization\.yaml: remote base ".*r10\.git" would be remote repository number 11; at most 10 are read$/,
      ),
    });
  });
});
