import { randomUUID } from 'node:crypto';
import { ApiError, notFound, unsupportedMediaType } from './api-error.ts';
import type { ClusterState } from './cluster-state.ts';
import { applyConfiguration, decodeManagedFields } from './field-manager.ts';
import { objectAt, type JsonObject, type JsonValue } from './json.ts';
import { applyPruneAndDefaults } from './normalize.ts';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patches.ts';
import { groupVersionOf } from './resource-types.ts';
import { commit, existing, updateObject } from './write-object.ts';
import {
  checkIdentity,
  metadataString,
  requireLiveNamespace,
  requireObjectBody,
  setIdentity,
  withoutManagedFields,
  type WriteOptions,
  type WriteResult,
  type WriteTarget,
} from './write-support.ts';

/** PATCH in its four flavours: JSON merge, JSON patch, strategic merge and server-side apply. */

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string): PatchType {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  switch (mediaType) {
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/json-patch+json':
      return 'json';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
      return 'apply';
    default:
      throw unsupportedMediaType();
  }
}

export interface PatchOptions extends WriteOptions {
  isForced: boolean;
  /** The fieldManager query parameter itself: server-side apply requires it. */
  fieldManager: string | undefined;
}

export function patchObject(
  cluster: ClusterState,
  target: WriteTarget,
  patchType: PatchType,
  patch: JsonValue,
  options: PatchOptions,
): WriteResult {
  if (patchType === 'apply') return applyObject(cluster, target, patch, options);
  if (patchType === 'strategic' && target.type.isCustom) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  }
  const previous = existing(cluster, target);
  if (!previous) throw notFound(target.type, target.name);
  const patched =
    patchType === 'merge'
      ? applyMergePatch(previous, patch)
      : patchType === 'json'
        ? applyJsonPatch(previous, patch)
        : applyStrategicMergePatch(previous, patch, target.type.schema);
  return updateObject(cluster, target, previous, requireObjectBody(patched), options);
}

function applyObject(
  cluster: ClusterState,
  target: WriteTarget,
  patch: JsonValue,
  options: PatchOptions,
): WriteResult {
  if (!options.fieldManager) {
    throw new ApiError(
      422,
      'Invalid',
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
    );
  }
  const config = structuredClone(requireObjectBody(patch));
  checkIdentity(target, config);
  const configMetadata = objectAt(config, ['metadata']);
  delete configMetadata.managedFields;
  if (target.type.isNamespaced) configMetadata.namespace = target.namespace;
  const previous = existing(cluster, target);
  if (!previous) {
    if (target.subresource === 'status') throw notFound(target.type, target.name);
    requireLiveNamespace(cluster, target, target.name);
  }
  const context = {
    schema: target.type.schema,
    apiVersion: groupVersionOf(target.type),
    now: options.now,
  };
  const live = previous ? withoutManagedFields(previous) : {};
  const before = decodeManagedFields(previous && (previous.metadata as JsonObject).managedFields);
  const result = applyConfiguration(
    live,
    config,
    before,
    options.fieldManager,
    options.isForced,
    context,
  );
  const uid = previous ? (metadataString(previous, 'uid') ?? '') : randomUUID();
  // A private copy: the merge shares nodes with the stored object, which is never mutated.
  const object = structuredClone(result.object);
  setIdentity(target, object, target.name);
  const defaulted = applyPruneAndDefaults(target.type, object, {
    isPruned: false,
  });
  return commit({
    cluster,
    target,
    previous,
    object: defaulted,
    managers: result.managers,
    options,
    uid,
  });
}
