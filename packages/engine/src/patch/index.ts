export { jsonMergePatch } from './json-merge.ts';
export { applyJsonPatch, type JsonPatchOptions } from './json-patch.ts';
export {
  applyStrategicMergePatch,
  strategicMergePatch,
  type StrategicMergeOptions,
} from './strategic-merge.ts';
