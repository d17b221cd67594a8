import type { AuditedChange } from '../audit/audited-write.ts';

/** The audit row of a change to a cluster group: which one, by id and name. */
export function audited(action: string, group: { id: string; name: string }): AuditedChange {
  return { action, objectType: 'cluster-group', objectId: group.id, details: { name: group.name } };
}
