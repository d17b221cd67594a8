import { describe, expect, it } from 'vitest';
import { parseRemoteReference } from './remote-reference.ts';

/** kustomize v5's RepoSpec cases (api/internal/git/repospec_test.go), as kustomize clones them. */
describe('parseRemoteReference', () => {
  it.each<[string, { repoUrl: string; ref: string; path: string }]>([
    [
      'github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v1.0.6',
      {
        repoUrl: 'https://github.com/kubernetes-sigs/kustomize',
        ref: 'v1.0.6',
        path: 'examples/multibases',
      },
    ],
    [
      'https://github.com/org/repo//deploy/base?ref=v1',
      { repoUrl: 'https://github.com/org/repo', ref: 'v1', path: 'deploy/base' },
    ],
    [
      'git::https://gitlab.com/org/repo.git//overlays/prod?ref=main',
      { repoUrl: 'https://gitlab.com/org/repo.git', ref: 'main', path: 'overlays/prod' },
    ],
    [
      'https://git.example.com/team/apps.git/web?version=v2',
      { repoUrl: 'https://git.example.com/team/apps.git', ref: 'v2', path: 'web' },
    ],
    [
      'https://dev.azure.com/org/project/_git/repo/path/to/base',
      { repoUrl: 'https://dev.azure.com/org/project/_git/repo', ref: '', path: 'path/to/base' },
    ],
    [
      'git@github.com:org/repo.git//base?ref=v3',
      { repoUrl: 'git@github.com:org/repo.git', ref: 'v3', path: 'base' },
    ],
    [
      'ssh://git@example.com/org/repo//base',
      { repoUrl: 'ssh://git@example.com/org/repo', ref: '', path: 'base' },
    ],
    [
      'file:///srv/git/remote.git//base?ref=v1',
      { repoUrl: 'file:///srv/git/remote.git', ref: 'v1', path: 'base' },
    ],
    ['file:///srv/git/remote', { repoUrl: 'file:///srv/git/remote', ref: '', path: '' }],
    [
      'http://127.0.0.1:8080/remote.git//base?ref=v1&timeout=30s',
      { repoUrl: 'http://127.0.0.1:8080/remote.git', ref: 'v1', path: 'base' },
    ],
  ])('%s', (raw, expected) => {
    expect(parseRemoteReference(raw)).toEqual({ kind: 'git', reference: { raw, ...expected } });
  });

  it('reads an http(s) URL of a YAML file as a remote file, not a repository', () => {
    const url = 'https://raw.githubusercontent.com/org/repo/v1/deploy/all.yaml';
    expect(parseRemoteReference(url)).toEqual({ kind: 'file', url });
  });

  it.each([
    ['github.com/org', 'no repository path'],
    ['https://github.com/org/repo//../../etc?ref=v1', 'the path leaves the repository'],
    ['example.com/org/repo', 'no scheme'],
  ])('refuses %s (%s)', (raw, reason) => {
    expect(parseRemoteReference(raw)).toEqual({ kind: 'invalid', reason });
  });
});
