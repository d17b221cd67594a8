import type { AuditedChange } from '../audit/audited-write.ts';

/** The audit row of a change to a sync window: which one, and what it now says. */
export function audited(
  action: string,
  window: { id: string; name: string; kind: string; schedule: string; duration: string },
): AuditedChange {
  return {
    action,
    objectType: 'sync-window',
    objectId: window.id,
    details: {
      name: window.name,
      kind: window.kind,
      schedule: window.schedule,
      duration: window.duration,
    },
  };
}
