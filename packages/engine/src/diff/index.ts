export { compareFields } from './compare-fields.ts';
export type { FieldComparison, FieldDrift } from './compare-fields.ts';
export { computeDrift } from './compute-drift.ts';
export type { Drift, DriftInput } from './compute-drift.ts';
export { formatFieldPath } from './field-path.ts';
export type { PathSegment } from './field-path.ts';
export { quantityValue } from './quantity.ts';
export { diffRevisions } from './diff-revisions.ts';
export type { ObjectChange, ObjectChangeKind } from './diff-revisions.ts';
