import type { AssessedResource, ResourceCounts } from '@flotilla/engine';

/** One object of a deployment as the API and the dashboard show it (the engine's assessment). */
export type DeploymentResource = AssessedResource;

export type DeploymentCounts = ResourceCounts;

export function storedResources(value: unknown): DeploymentResource[] {
  return Array.isArray(value) ? (value as DeploymentResource[]) : [];
}
