export { canonicalJson } from './canonical-json.ts';
export { revisionHash } from './revision-hash.ts';
export type { RevisionContent } from './revision-hash.ts';
