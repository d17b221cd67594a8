import type { KubeObject, RepoFiles } from '../types.ts';
import { build } from './build.ts';
import type { KustomizeCharts } from './helm-charts.ts';
import type { RemoteBases } from './remote-reference.ts';

export { findRemoteBases } from './find-remote-bases.ts';
export { findKustomizeCharts } from './helm-charts.ts';
export type { KustomizeChartRequest, KustomizeCharts } from './helm-charts.ts';
export type { MissingRemoteBase } from './find-remote-bases.ts';
export { parseRemoteReference, remoteRepoKey } from './remote-reference.ts';
export type { ParsedRemote, RemoteBases, RemoteReference } from './remote-reference.ts';

export interface KustomizeBuildOptions {
  /** Bound on the bytes of files read (default 64 MiB), and on the bytes of the output. */
  maxBytes?: number;
  /** Bound on the objects read or generated (default 10 000). */
  maxDocuments?: number;
  /**
   * The files of the remote bases and resources (git URLs) the build names, by remoteRepoKey:
   * the caller fetches them (findRemoteBases says which) and the build reads them like local
   * folders, each confined to its own repository.
   */
  remotes?: RemoteBases | undefined;
  /**
   * The charts `helmCharts:` entries inflate, by chart folder: findKustomizeCharts says which;
   * the caller loads them (from the repository, or pulled from the entry's repo).
   */
  charts?: KustomizeCharts | undefined;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_DOCUMENTS = 10_000;

/**
 * `kubectl kustomize <dir>` (kustomize v5.5) over an in-memory repository: same objects, same
 * order. `dir` is the repository-relative folder of the kustomization. Throws EngineError:
 * KustomizeFailed (message naming the kustomization file and field), PathEscapes (a path
 * outside the repository), Unsupported (a remote base not in `remotes`, external plugins,
 * crds, validators) or LimitExceeded. A `helmCharts:` chart missing from `charts` is
 * KustomizeFailed. A custom `openapi` schema gives custom resources strategic-merge keys.
 */
export function kustomizeBuild(
  files: RepoFiles,
  dir: string,
  options: KustomizeBuildOptions = {},
): KubeObject[] {
  return build(
    files,
    dir,
    {
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      maxDocuments: options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS,
    },
    options.remotes,
    options.charts,
  );
}
