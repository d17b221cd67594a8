import { posix } from 'node:path';
import { EngineError, isEngineError } from '../errors.ts';
import { jsonMergePatch } from '../patch/json-merge.ts';
import { isJsonObject } from '../patch/json-value.ts';
import type { JsonObject } from '../patch/json-value.ts';
import { applyStrategicMergePatch } from '../patch/strategic-merge.ts';
import { applyBoundedJsonPatch } from './bounded-json-patch.ts';
import { hasStrategicMergeSchema } from './kinds.ts';
import { RenderBudget, limitExceeded } from './limits.ts';
import { parseYamlDocuments } from './parse-yaml.ts';
import { joinPath, resolveInside } from './paths.ts';

export const OVERLAYS_FOLDER = 'overlays';

/**
 * Fleet's `yaml.overlays` for raw-YAML bundles. For each overlay, in the listed order, the files
 * of `overlays/<name>/` are laid over the bundle: `sub/x_patch.yaml` patches `sub/x.yaml`, any
 * other file replaces or adds the file at the same relative path (an empty file thus removes
 * its objects). The `overlays/` folder itself is never deployed.
 *
 * Fleet visits an overlay's files in map order; we replace and add first, then patch, each in
 * path order, so the same repository always renders the same way.
 */
export function applyOverlays(
  files: ReadonlyMap<string, string>,
  overlays: readonly string[],
  { bundlePath, budget }: { bundlePath: string; budget: RenderBudget },
): Map<string, string> {
  const result = new Map(files);
  for (const overlay of overlays) {
    const folder = resolveInside(OVERLAYS_FOLDER, overlay, 'overlay');
    if (folder === OVERLAYS_FOLDER) {
      throw new EngineError(
        'OverlayFailed',
        `overlay "${overlay}" names no folder`,
        OVERLAYS_FOLDER,
      );
    }
    const prefix = `${folder}/`;
    const layer = [...files].filter(([path]) => path.startsWith(prefix));
    const patches = layer.filter(([path]) => patchTargetOf(path) !== undefined);
    for (const [path, content] of layer) {
      if (patchTargetOf(path) === undefined) result.set(path.slice(prefix.length), content);
    }
    for (const [path, patch] of patches) {
      const target = patchTargetOf(path.slice(prefix.length)) ?? '';
      const original = result.get(target);
      const patchFile = joinPath(bundlePath, path);
      const targetFile = joinPath(bundlePath, target);
      if (original === undefined) {
        const message = `${patchFile}: there is no file ${targetFile} to patch`;
        throw new EngineError('OverlayFailed', message, patchFile);
      }
      const patchInput = { target: targetFile, original, path: patchFile, patch };
      result.set(target, applyPatchFile(patchInput, budget));
    }
  }
  for (const path of result.keys()) {
    if (path.startsWith(`${OVERLAYS_FOLDER}/`)) result.delete(path);
  }
  return result;
}

/** "sub/x_patch.yaml" patches "sub/x.yaml" (Fleet's rule: the first "_patch." becomes "."). */
function patchTargetOf(path: string): string | undefined {
  const name = posix.basename(path);
  if (!name.includes('_patch.')) return undefined;
  return posix.join(posix.dirname(path), name.replace('_patch.', '.'));
}

interface PatchFile {
  target: string;
  original: string;
  path: string;
  patch: string;
}

/**
 * Applies one patch file as Fleet (wrangler) does: a list is a JSON patch; otherwise a built-in
 * kind gets a strategic merge patch and anything else (custom resources, CRDs) a JSON merge
 * patch. The result is written back as JSON, which is YAML too.
 */
function applyPatchFile(
  { target, original, path, patch }: PatchFile,
  budget: RenderBudget,
): string {
  // Parsing here must not spend the bundle's document budget: the patched file is parsed again
  // with everything else. The depth and alias limits still apply.
  const scratch = new RenderBudget(budget.limits);
  const originalValue = firstDocument(parseYamlDocuments(original, target, scratch));
  const patchValue = firstDocument(parseYamlDocuments(patch, path, scratch));

  let patched: unknown;
  try {
    patched =
      patchValue === null
        ? originalValue
        : patchWith(originalValue, patchValue, { maxBytes: budget.limits.maxBytes, file: path });
  } catch (cause) {
    if (isEngineError(cause) && cause.code === 'LimitExceeded') throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new EngineError('OverlayFailed', `${path}: cannot patch ${target}: ${message}`, path);
  }
  // `$patch: delete` removes the object; Fleet then finds no kind in the file and skips it.
  const text = patched === null ? '' : JSON.stringify(patched);
  // Merge patches only bring what the patch file holds, but the whole must still fit.
  if (Buffer.byteLength(text, 'utf8') > budget.limits.maxBytes) {
    throw limitExceeded(
      path,
      `patching ${target} exceeds maxBytes (${budget.limits.maxBytes} bytes)`,
    );
  }
  return text;
}

function patchWith(
  original: unknown,
  patch: unknown,
  bound: { maxBytes: number; file: string },
): unknown {
  if (Array.isArray(patch)) return applyBoundedJsonPatch(original, patch, bound);
  if (isBuiltInObject(original)) {
    return applyStrategicMergePatch(original, patch, { code: 'OverlayFailed' });
  }
  return jsonMergePatch(original, patch);
}

function isBuiltInObject(value: unknown): value is JsonObject {
  if (!isJsonObject(value)) return false;
  const { apiVersion, kind } = value;
  return (
    typeof apiVersion === 'string' &&
    typeof kind === 'string' &&
    kind !== 'CustomResourceDefinition' &&
    hasStrategicMergeSchema(apiVersion)
  );
}

/**
 * Fleet decodes a patched file and its patch with go-yaml's Unmarshal, which reads the first
 * document only, and writes the patched object back as the whole file: the file's other
 * documents are dropped, and so are the patch's. We do the same, so that a repository renders
 * the same objects here as in Fleet (a patch meant for a later document patches the first).
 * An empty file counts as one empty document.
 */
function firstDocument(documents: unknown[]): unknown {
  return documents.find((document) => document !== null) ?? null;
}
