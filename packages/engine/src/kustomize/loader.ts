import { EngineError } from '../errors.ts';
import type { RepoFiles } from '../types.ts';
import type { Chart } from '@flotilla/helm';
import { remoteRepoKey, type RemoteBases } from './remote-reference.ts';

export interface BuildLimits {
  /** Bytes of files read (a base read twice counts twice), and bytes of the output. */
  maxBytes: number;
  /** Objects read or generated, over all kustomizations. */
  maxDocuments: number;
}

export const KUSTOMIZATION_FILE_NAMES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/** `a/b` + `../c` → `a/c`; PathEscapes when the result leaves the repository. */
export function resolveRepoPath(dir: string, relative: string, where: string): string {
  if (relative.startsWith('/')) {
    throw new EngineError(
      'PathEscapes',
      `${where}: "${relative}" is an absolute path; paths must stay inside the repository`,
      where,
    );
  }
  const parts: string[] = [];
  for (const part of `${dir}/${relative}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') {
      parts.push(part);
      continue;
    }
    if (parts.length === 0) {
      throw new EngineError(
        'PathEscapes',
        `${where}: "${relative}" resolves outside the repository`,
        where,
      );
    }
    parts.pop();
  }
  return parts.join('/');
}

/** Is `path` the folder `dir` or inside it? ("" is the repository root.) */
export function isInside(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/**
 * kustomize's remote targets (git repositories, HTTP files): go-getter URLs, scp-like git
 * addresses and host/org/repo shorthands.
 */
export function isRemoteReference(reference: string): boolean {
  return (
    /^[a-zA-Z][a-zA-Z0-9+.-]*::/.test(reference) ||
    /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(reference) ||
    /^[\w.-]+@[\w.-]+:/.test(reference) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(reference) ||
    /[?&]ref=/.test(reference)
  );
}

// Git tree paths cannot hold a NUL byte, so no file of the repository can be confused with a
// fetched remote's, mounted under this prefix.
const REMOTE_MOUNT = '\0remote-';

/**
 * The repository as the build reads it: files by path, and the limits on what is read. Remote
 * bases (fetched by the caller) are mounted beside it, each under a root of its own that
 * `mountOf` names.
 */
export class RepoReader {
  private readonly directories = new Set<string>(['']);
  private readonly files: Map<string, string>;
  private readonly mounts = new Map<string, string>();
  private readonly labels = new Map<string, string>();
  private bytes = 0;
  private documents = 0;

  constructor(
    files: RepoFiles,
    readonly limits: BuildLimits,
    remotes: RemoteBases = new Map(),
    /** The charts of `helmCharts:` entries, by chart folder (the caller loads them). */
    readonly charts: ReadonlyMap<string, Chart> = new Map(),
  ) {
    this.files = new Map(files);
    [...remotes].forEach(([key, remoteFiles], index) => {
      const root = `${REMOTE_MOUNT}${index}`;
      this.mounts.set(key, root);
      // The key is `<url>?ref=<ref>`: messages show kustomize's `<url>//<path>?ref=<ref>`.
      this.labels.set(root, key);
      for (const [path, text] of remoteFiles) this.files.set(`${root}/${path}`, text);
    });
    for (const path of this.files.keys()) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) this.directories.add(parts.slice(0, i).join('/'));
    }
  }

  /** The root a remote repository is mounted at, if the caller fetched it. */
  mountOf(reference: { repoUrl: string; ref: string }): string | undefined {
    return this.mounts.get(remoteRepoKey(reference));
  }

  /** A path as messages show it: a remote's files as `<url>//<path>?ref=<ref>`. */
  display(path: string): string {
    if (!path.startsWith(REMOTE_MOUNT)) return path;
    const slash = path.indexOf('/');
    const root = slash < 0 ? path : path.slice(0, slash);
    const label = this.labels.get(root) ?? 'remote';
    const at = label.lastIndexOf('?ref=');
    const [url, ref] = at < 0 ? [label, ''] : [label.slice(0, at), label.slice(at + 5)];
    const inside = slash < 0 ? '' : `//${path.slice(slash + 1)}`;
    return `${url}${inside}${ref ? `?ref=${ref}` : ''}`;
  }

  isFile(path: string): boolean {
    return this.files.has(path);
  }

  isDirectory(path: string): boolean {
    return this.directories.has(path);
  }

  read(path: string, where: string): string {
    const text = this.files.get(path);
    if (text === undefined) {
      throw new EngineError('KustomizeFailed', `${where}: file "${path}" does not exist`, where);
    }
    this.countBytes(Buffer.byteLength(text, 'utf8'), where);
    return text;
  }

  countBytes(bytes: number, where: string): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.maxBytes) {
      throw new EngineError(
        'LimitExceeded',
        `${where}: kustomize build reads more than maxBytes (${this.limits.maxBytes} bytes)`,
        where,
      );
    }
  }

  checkOutputBytes(bytes: number, where: string): void {
    if (bytes > this.limits.maxBytes) {
      throw new EngineError(
        'LimitExceeded',
        `${where}: kustomize build output exceeds maxBytes (${this.limits.maxBytes} bytes)`,
        where,
      );
    }
  }

  countDocuments(count: number, where: string): void {
    this.documents += count;
    if (this.documents > this.limits.maxDocuments) {
      throw new EngineError(
        'LimitExceeded',
        `${where}: kustomize build makes more than maxDocuments (${this.limits.maxDocuments}) objects`,
        where,
      );
    }
  }
}

/**
 * File access for one kustomization: like kustomize's default load restrictor, it reads only
 * files in or below the kustomization's folder, and it refuses a folder that contains one
 * already being built (a cycle).
 */
export class KustLoader {
  constructor(
    readonly reader: RepoReader,
    /** The kustomization's folder, repository-relative ("" for the root). */
    readonly root: string,
    /** The kustomization file, repository-relative, as messages name it. */
    readonly file: string,
    private readonly referrer?: KustLoader,
    /** The root of the repository this kustomization is in: "" or a remote's mount. */
    readonly boundary = '',
  ) {}

  /** `<file>: <field>`, the place messages point at. */
  where(field: string): string {
    return `${this.reader.display(this.file)}: ${field}`;
  }

  resolve(relative: string, field: string): string {
    const where = this.where(field);
    const path = resolveRepoPath(this.root, relative, where);
    // A remote's kustomization reads only its own repository, and ours only ours.
    const isOutside =
      this.boundary === '' ? path.startsWith(REMOTE_MOUNT) : !isInside(path, this.boundary);
    if (isOutside) {
      throw new EngineError(
        'PathEscapes',
        `${where}: "${relative}" resolves outside the ${this.boundary === '' ? '' : 'remote '}repository`,
        where,
      );
    }
    return path;
  }

  readFile(relative: string, field: string): { path: string; text: string } {
    const where = this.where(field);
    const path = this.resolve(relative, field);
    if (!this.reader.isFile(path)) {
      const what = this.reader.isDirectory(path) ? 'is a folder, not a file' : 'does not exist';
      const shown = this.reader.display(path);
      throw new EngineError('KustomizeFailed', `${where}: "${relative}" (${shown}) ${what}`, where);
    }
    if (!isInside(path, this.root)) {
      throw new EngineError(
        'KustomizeFailed',
        `${where}: security; file "${this.reader.display(path)}" is not in or below "${this.reader.display(this.root) || '.'}"`,
        where,
      );
    }
    return { path, text: this.reader.read(path, where) };
  }

  /** The root of each kustomization on the way here, this one first. */
  private roots(): string[] {
    return [this.root, ...(this.referrer?.roots() ?? [])];
  }

  /** A loader for the kustomization in folder `dir` (already resolved). */
  enter(dir: string, file: string, field: string): KustLoader {
    const visited = this.roots().find((root) => isInside(root, dir));
    if (visited !== undefined) {
      const where = this.where(field);
      throw new EngineError(
        'KustomizeFailed',
        `${where}: cycle detected: "${dir || '.'}" contains "${visited || '.'}", which is being built`,
        where,
      );
    }
    return new KustLoader(this.reader, dir, file, this, this.boundary);
  }

  /** A loader for a remote's kustomization in `dir`, confined to the remote at `mount`. */
  enterRemote(dir: string, file: string, field: string, mount: string): KustLoader {
    const loader = this.enter(dir, file, field);
    return new KustLoader(this.reader, loader.root, loader.file, this, mount);
  }
}
