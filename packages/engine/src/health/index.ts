export { HEALTH_STATUSES } from './health-status.ts';
export type { HealthStatus, ResourceHealth } from './health-status.ts';
export { resourceHealth } from './resource-health.ts';
