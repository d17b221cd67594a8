/** Argo CD's health values, minus Suspended (see resource-health.ts for where it went). */
export const HEALTH_STATUSES = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Missing',
  'Unknown',
] as const;

export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export interface ResourceHealth {
  status: HealthStatus;
  /** Why, in Argo CD's words ("Waiting for rollout to finish: ..."); "" when there is nothing to say. */
  message: string;
}

export function health(status: HealthStatus, message = ''): ResourceHealth {
  return { status, message };
}
