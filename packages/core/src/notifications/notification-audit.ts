import type { AuditedChange } from '../audit/audited-write.ts';

/** The audit row of a change to a notification rule: which one and where it sends (host only). */
export function audited(
  action: string,
  rule: {
    id: string;
    name: string;
    events: string[];
    destinationKind: string;
    destinationHint: string;
  },
): AuditedChange {
  return {
    action,
    objectType: 'notification-rule',
    objectId: rule.id,
    details: {
      name: rule.name,
      events: rule.events,
      destination: `${rule.destinationKind} ${rule.destinationHint}`,
    },
  };
}
