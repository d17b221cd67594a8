import type { KubeObject, RepoFiles } from '../types.ts';
import { build } from './build.ts';

export interface KustomizeBuildOptions {
  /** Bound on the bytes of files read (default 64 MiB), and on the bytes of the output. */
  maxBytes?: number;
  /** Bound on the objects read or generated (default 10 000). */
  maxDocuments?: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_DOCUMENTS = 10_000;

/**
 * `kubectl kustomize <dir>` (kustomize v5.5) over an in-memory repository: same objects, same
 * order. `dir` is the repository-relative folder of the kustomization. Throws EngineError:
 * KustomizeFailed (message naming the kustomization file and field), PathEscapes (a path
 * outside the repository), Unsupported (remote bases, helm charts, external plugins, openapi,
 * crds, validators) or LimitExceeded.
 */
export function kustomizeBuild(
  files: RepoFiles,
  dir: string,
  options: KustomizeBuildOptions = {},
): KubeObject[] {
  return build(files, dir, {
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    maxDocuments: options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS,
  });
}
