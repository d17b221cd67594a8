import { health, type ResourceHealth } from './health-status.ts';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * Kinds without a rule of their own (custom resources above all): a `Stalled` condition
 * (kstatus) that is True is Degraded; otherwise a `Ready` condition, or failing that
 * `Available`, decides: True is Healthy, False or Unknown is Progressing, because a controller
 * that reports readiness is usually still working towards it. No such condition: Healthy, as
 * for ConfigMaps and other kinds that have no status to wait for.
 */
export function conditionHealth(status: unknown): ResourceHealth {
  const conditions = readConditions(status);
  const stalled = conditions.find(
    (condition) => condition.type === 'Stalled' && condition.status === 'True',
  );
  if (stalled) return health('Degraded', describe(stalled));
  const decisive =
    conditions.find((condition) => condition.type === 'Ready') ??
    conditions.find((condition) => condition.type === 'Available');
  if (!decisive) return health('Healthy');
  return health(decisive.status === 'True' ? 'Healthy' : 'Progressing', describe(decisive));
}

function describe(condition: Condition): string {
  const detail = [condition.reason, condition.message].filter(Boolean).join(': ');
  return detail === '' ? `${condition.type} is ${condition.status}` : detail;
}

function readConditions(status: unknown): Condition[] {
  if (typeof status !== 'object' || status === null) return [];
  const conditions: unknown = (status as { conditions?: unknown }).conditions;
  if (!Array.isArray(conditions)) return [];
  return conditions.flatMap((entry: unknown): Condition[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { type, status: value, reason, message } = entry as Record<string, unknown>;
    if (typeof type !== 'string' || typeof value !== 'string') return [];
    return [
      {
        type,
        status: value,
        reason: typeof reason === 'string' ? reason : undefined,
        message: typeof message === 'string' ? message : undefined,
      },
    ];
  });
}
