import { Prisma, type ConnectivityState } from '@flotilla/db';
import type { ProbeResult } from '@flotilla/kube';

/*
 * The one answer to "is this cluster reachable?". The connectivity probe, the deployer, the
 * monitor, the planner and the sweeper all decide through these functions, so a cluster can
 * never be Offline for one of them and worth a request for another.
 */

/** Failures that another probe will not fix: no point waiting before saying Offline. */
const DEFINITE_FAILURES: ReadonlySet<string> = new Set([
  'CredentialsRejected',
  'Forbidden',
  'TlsError',
]);

/** Failures that say the cluster, not one object, is the problem. */
const CLUSTER_FAILURES: ReadonlySet<string> = new Set([
  'Unreachable',
  'Timeout',
  ...DEFINITE_FAILURES,
]);

/**
 * Whether work (plan a deploy, apply, monitor, sweep) may go to the cluster. Unknown counts as
 * reachable: a new cluster is tried, and a failure sends it to the probe.
 */
export function isClusterReachable(connectivity: ConnectivityState): boolean {
  return connectivity !== 'Offline';
}

/**
 * Whether the worker itself talks to the cluster (deploy, prune, monitor, probe). An agent
 * cluster is reached by no one: its agent pulls its work and reports back.
 */
export function isWorkerDriven(cluster: { connectionKind: 'direct' | 'agent' }): boolean {
  return cluster.connectionKind === 'direct';
}

/**
 * The SQL form of isClusterReachable for the worker's own work (deploys and prunes the sweeper
 * queues), over clusters aliased `c`: agent clusters get no deploy jobs.
 */
export const REACHABLE_CLUSTER_SQL = Prisma.raw(
  `c.connectivity <> 'Offline' AND c."connectionKind" = 'direct'`,
);

/**
 * Clusters (aliased `c`) that get the periodic monitor pass: only those known to answer. An
 * Unknown cluster gets its first pass when the probe finds it Online. An agent monitors its
 * own cluster.
 */
export const MONITORED_CLUSTER_SQL = Prisma.raw(
  `c.connectivity = 'Online' AND c."connectionKind" = 'direct'`,
);

/** Clusters (aliased `c`) the scheduler probes: only those the worker connects to. */
export const PROBED_CLUSTER_SQL = Prisma.raw(`c."connectionKind" = 'direct'`);

/** An agent silent for this many of its heartbeat intervals is Offline. */
export const AGENT_SILENCE_INTERVALS = 3;

/** A failed probe says the cluster is down (not that one object or one request failed). */
export function isClusterFailure(result: ProbeResult): boolean {
  return !result.ok && CLUSTER_FAILURES.has(result.reason);
}

/**
 * The connectivity after a failed probe: Offline at once for a failure another probe will not
 * fix, else after `offlineAfterFailures` failures in a row; until then what it was.
 */
export function connectivityAfterFailure({
  current,
  failures,
  reason,
  offlineAfterFailures,
}: {
  current: ConnectivityState;
  /** Failures in a row, this one included. */
  failures: number;
  reason: string;
  offlineAfterFailures: number;
}): ConnectivityState {
  return DEFINITE_FAILURES.has(reason) || failures >= offlineAfterFailures ? 'Offline' : current;
}

/** When to probe again after `failures` failures in a row: doubling from 1 s, capped. */
export function probeBackoffMs(failures: number, capMs: number): number {
  return Math.min(capMs, 1000 * 2 ** Math.min(failures - 1, 20));
}
