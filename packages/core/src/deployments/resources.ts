import type { HealthStatus } from '@flotilla/engine';

/** One object of a deployment as the API and the dashboard show it. */
export interface DeploymentResource {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  health: HealthStatus;
  healthMessage: string;
  modified: boolean;
  missing: boolean;
  /** Fields that differ from Git, e.g. spec.replicas, data.key. */
  driftPaths: string[];
  /** Unified diff of Git against live for the fields Flotilla manages; only when modified. */
  diff?: string;
}

export interface DeploymentCounts {
  total: number;
  ready: number;
  notReady: number;
  modified: number;
  missing: number;
}

export function countResources(resources: readonly DeploymentResource[]): DeploymentCounts {
  return {
    total: resources.length,
    ready: resources.filter((resource) => resource.health === 'Healthy' && !resource.modified)
      .length,
    notReady: resources.filter((resource) => resource.health !== 'Healthy' && !resource.missing)
      .length,
    modified: resources.filter((resource) => resource.modified && !resource.missing).length,
    missing: resources.filter((resource) => resource.missing).length,
  };
}

export function storedResources(value: unknown): DeploymentResource[] {
  return Array.isArray(value) ? (value as DeploymentResource[]) : [];
}
