/**
 * A remote base or resource as kustomize v5 reads it (api/internal/git/repospec.go): a git
 * repository, the ref to check out and the kustomization folder inside it.
 */
export interface RemoteReference {
  /** As written in the kustomization. */
  raw: string;
  /** What is cloned: `https://github.com/org/repo`, `file:///srv/repo.git`, `git@host:org/repo`. */
  repoUrl: string;
  /** `?ref=` (or `?version=`); "" for the remote's default branch. */
  ref: string;
  /** The folder inside the repository ("" for its root). */
  path: string;
}

/** One fetched repository per (URL, ref): references to other folders of it share it. */
export function remoteRepoKey(reference: Pick<RemoteReference, 'repoUrl' | 'ref'>): string {
  return `${reference.repoUrl}?ref=${reference.ref}`;
}

/** The files of each remote repository a build may read, by `remoteRepoKey`. */
export type RemoteBases = ReadonlyMap<string, ReadonlyMap<string, string>>;

export type ParsedRemote =
  | { kind: 'git'; reference: RemoteReference }
  | { kind: 'file'; url: string }
  | { kind: 'invalid'; reason: string };

const SCHEMES = ['https://', 'http://', 'ssh://', 'file://'] as const;

/**
 * kustomize's RepoSpec: `git::` is dropped; github.com shorthands become https (or scp-style with
 * a user); the repository ends at `_git/<name>`, at `//`, after `.git`, or after two path
 * segments (`org/repo`; file:// takes the whole path). An http(s) URL of a YAML or JSON file
 * is a remote file, which kustomize downloads rather than clones.
 */
export function parseRemoteReference(raw: string): ParsedRemote {
  const [beforeQuery = '', query = ''] = splitOnce(raw, '?');
  const params = new URLSearchParams(query);
  const ref = params.get('ref') || params.get('version') || '';
  let rest = beforeQuery.startsWith('git::') ? beforeQuery.slice(5) : beforeQuery;
  const scheme = SCHEMES.find((prefix) => rest.toLowerCase().startsWith(prefix)) ?? '';
  rest = rest.slice(scheme.length);

  if (
    (scheme === 'https://' || scheme === 'http://') &&
    /\.(ya?ml|json)$/i.test(rest) &&
    !rest.includes('//') &&
    !/\.git(\/|$)/.test(rest) &&
    !rest.includes('_git/') &&
    !params.has('ref')
  ) {
    return { kind: 'file', url: raw };
  }

  let host: string;
  if (scheme === 'file://') {
    host = scheme;
  } else {
    const userMatch = /^[\w.-]+@/.exec(rest);
    const user = userMatch?.[0] ?? '';
    rest = rest.slice(user.length);
    const isGithub = rest.startsWith('github.com/') || rest.startsWith('github.com:');
    const isScp = scheme === '' && (user !== '' || isGithub);
    if (scheme === '' && !isScp) return { kind: 'invalid', reason: 'no scheme' };
    // scp-style `host:org/repo` ends the host at ":"; URLs at the first "/".
    const separator = isScp ? rest.search(/[:/]/) : rest.indexOf('/');
    if (separator <= 0) return { kind: 'invalid', reason: 'no host' };
    host = rest.slice(0, separator + 1);
    rest = rest.slice(separator + 1);
    if (isGithub) {
      host = scheme === 'ssh://' || user !== '' ? `${user}github.com:` : 'https://github.com/';
    } else {
      host = `${scheme}${user}${host}`;
    }
  }

  const split = splitRepoPath(rest, scheme === 'file://' ? -1 : 2);
  if (!split || split.repoPath === '') return { kind: 'invalid', reason: 'no repository path' };
  const path = split.path.replace(/^\/+|\/+$/g, '');
  if (path.split('/').includes('..'))
    return { kind: 'invalid', reason: 'the path leaves the repository' };
  return { kind: 'git', reference: { raw, repoUrl: `${host}${split.repoPath}`, ref, path } };
}

function splitRepoPath(
  rest: string,
  defaultSegments: number,
): { repoPath: string; path: string } | undefined {
  const gitRoot = rest.indexOf('_git/');
  if (gitRoot >= 0) {
    const [name = '', ...sub] = rest.slice(gitRoot + 5).split('/');
    return { repoPath: rest.slice(0, gitRoot + 5) + name, path: sub.join('/') };
  }
  const doubleSlash = rest.indexOf('//');
  if (doubleSlash >= 0) {
    return { repoPath: rest.slice(0, doubleSlash), path: rest.slice(doubleSlash + 2) };
  }
  const gitSuffix = rest.indexOf('.git');
  if (gitSuffix >= 0) {
    return { repoPath: rest.slice(0, gitSuffix + 4), path: rest.slice(gitSuffix + 4) };
  }
  if (defaultSegments === -1) return { repoPath: rest, path: '' };
  const segments = rest.split('/');
  if (segments.length < defaultSegments) return undefined;
  return {
    repoPath: segments.slice(0, defaultSegments).join('/'),
    path: segments.slice(defaultSegments).join('/'),
  };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
