import { expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import type { HealthStatus } from './health-status.ts';
import { resourceHealth } from './resource-health.ts';

// Shared by the health tables: a namespaced object named "web" and a runner asserting the
// status and a fragment of the message a user would read.

export function object(
  apiVersion: string,
  kind: string,
  fields: Record<string, unknown>,
  generation = 1,
): KubeObject {
  return { apiVersion, kind, metadata: { name: 'web', namespace: 'shop', generation }, ...fields };
}

export type HealthCase = [string, KubeObject | undefined, HealthStatus, string];

export function runHealthCases(cases: HealthCase[]): void {
  it.each(cases)('%s', (_name, live, status, message) => {
    const result = resourceHealth(live);
    expect(result.status).toBe(status);
    if (message === '') expect(result.message).toBe('');
    else expect(result.message).toContain(message);
  });
}
