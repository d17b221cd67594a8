import { DEPLOYMENT_STATES, type DeploymentState } from '@flotilla/engine';
import type { CoreContext } from '../context.ts';

export const CONNECTIVITY_STATES = ['Online', 'Offline', 'Unknown'] as const;
export type ConnectivityState = (typeof CONNECTIVITY_STATES)[number];

export interface FleetStateCounts {
  /** Every state present, zero included, so a gauge series drops to 0 instead of vanishing. */
  deploymentsByState: Record<DeploymentState, number>;
  clustersByConnectivity: Record<ConnectivityState, number>;
}

/**
 * Deployments per state and clusters per connectivity across every workspace, for the
 * /metrics gauges: one grouped count each, computed when Prometheus scrapes (no bookkeeping
 * that could drift from the rows).
 */
export async function countFleetStates({
  ctx,
}: {
  ctx: Pick<CoreContext, 'db'>;
}): Promise<FleetStateCounts> {
  const [deployments, clusters] = await Promise.all([
    ctx.db.bundleDeployment.groupBy({ by: ['state'], _count: { _all: true } }),
    ctx.db.cluster.groupBy({ by: ['connectivity'], _count: { _all: true } }),
  ]);
  const deploymentsByState = Object.fromEntries(
    DEPLOYMENT_STATES.map((state) => [state, 0]),
  ) as Record<DeploymentState, number>;
  for (const row of deployments) deploymentsByState[row.state] = row._count._all;
  const clustersByConnectivity = Object.fromEntries(
    CONNECTIVITY_STATES.map((state) => [state, 0]),
  ) as Record<ConnectivityState, number>;
  for (const row of clusters) clustersByConnectivity[row.connectivity] = row._count._all;
  return { deploymentsByState, clustersByConnectivity };
}
