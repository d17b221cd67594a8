import { createHash } from 'node:crypto';
import type { BundleDeployment } from '@flotilla/db';
import type { KubeObject } from '@flotilla/engine';
import { BUNDLE_ID_LABEL } from '@flotilla/kube';
import type { WorkerContext } from '../worker-context.ts';
import { perContext } from './batching.ts';

/**
 * A fleet at rest looks the same monitor pass after pass. Assessing it again (health and drift
 * of every object) made the monitor's CPU grow with clusters x bundles every interval, so on a
 * large fleet it came to most of the worker's time: the per-deployment cost of a rollout grew
 * with the fleet. This remembers, per worker process, what a deployment's last assessment was
 * made from: its row's inputs, its bundle's options, the sync window's hold, and the uid and
 * resourceVersion of each of its live objects. A pass that finds the very same inputs, and the
 * row still holding the state and message that assessment wrote, has nothing to assess: the
 * same inputs give the same answer. Any change (an edit, a status update, a new revision, a
 * bundle option, a window opening) misses and is assessed in full.
 *
 * The monitor remembers any state but drift (a drifted deployment is looked at every pass, so a
 * correction that failed is queued again). An apply and the rollout tracker remember only Ready:
 * they assess without the facts the monitor adds (sync windows, an empty target revision), which
 * cannot change a Ready deployment's state but can change another's.
 */
const MAX_ENTRIES = 200_000;

export interface SettledInputs {
  deployment: Pick<
    BundleDeployment,
    | 'id'
    | 'bundleId'
    | 'appliedHash'
    | 'desiredHash'
    | 'targetHash'
    | 'lastError'
    | 'pruneConfirmedHash'
    | 'state'
    | 'message'
  >;
  /** The bundle's paused flag and options, as read for this pass. */
  bundleKey: string;
  /** The deployment's live objects (by bundle label); undefined if a kind could not be read. */
  live: readonly KubeObject[] | undefined;
  /** When a sync window holds changes to the cluster: until when ('' when none holds them). */
  holdKey?: string;
}

/** What an assessment wrote: the row must still hold it for the memory to count. */
export interface AssessedState {
  state: string;
  message: string;
}

interface Entry extends AssessedState {
  /** The fingerprint's SHA-1: 27 characters kept instead of a line per live object. */
  digest: string;
}

const memory = perContext((_ctx: WorkerContext) => new Map<string, Entry>());

/** The fingerprint of an assessment's inputs, or null when it cannot be trusted to repeat. */
export function settledKey({
  deployment,
  bundleKey,
  live,
  holdKey = '',
}: SettledInputs): string | null {
  if (live === undefined) return null;
  const versions: string[] = [];
  for (const object of live) {
    const { resourceVersion, uid } = object.metadata as {
      resourceVersion?: unknown;
      uid?: unknown;
    };
    if (typeof resourceVersion !== 'string' || resourceVersion === '') return null;
    versions.push(
      `${object.apiVersion}|${object.kind}|${object.metadata.namespace ?? ''}|${object.metadata.name}|${String(uid)}|${resourceVersion}`,
    );
  }
  versions.sort();
  return [
    deployment.appliedHash,
    deployment.desiredHash,
    deployment.targetHash,
    deployment.lastError,
    deployment.pruneConfirmedHash,
    bundleKey,
    holdKey,
    ...versions,
  ].join('\n');
}

/** The part of a settled fingerprint that comes from the bundle: paused, and its options. */
export function settledBundleKey(bundle: { paused: boolean; options: unknown }): string {
  return `${bundle.paused}|${JSON.stringify(bundle.options)}`;
}

/** Whether an apply's or a rollout check's row may be remembered: Ready and not drifted. */
export function isSettledRow(row: { state: string; counts: unknown }): boolean {
  return row.state === 'Ready' && !isDrifted(row);
}

/** Whether a monitor pass's row may be remembered: any state but drift. */
export function isRememberedByMonitor(row: { state: string; counts: unknown }): boolean {
  return row.state !== 'Modified' && !isDrifted(row);
}

function isDrifted(row: { counts: unknown }): boolean {
  const counts = row.counts as { modified?: number; missing?: number } | null;
  if (counts === null) return true;
  return counts.modified !== 0 || (counts.missing ?? 0) !== 0;
}

/** Whether the deployment is as last assessed, from the very same inputs. */
export function isStillSettled(ctx: WorkerContext, inputs: SettledInputs): boolean {
  const { deployment } = inputs;
  const entry = memory(ctx).get(deployment.id);
  if (!entry || entry.state !== deployment.state || entry.message !== deployment.message)
    return false;
  return entry.digest === digestOf(settledKey(inputs));
}

function digestOf(key: string | null): string | null {
  return key === null ? null : createHash('sha1').update(key).digest('base64url');
}

/**
 * Remembers what a deployment was assessed to be from these inputs. The monitor remembers what
 * its pass found; an apply and the rollout tracker remember what they found Ready from the
 * objects the API server answered, so the first monitor pass after a rollout does not assess
 * again what did not change since.
 */
export function rememberSettled(ctx: WorkerContext, inputs: SettledInputs, row: AssessedState) {
  const digest = digestOf(settledKey(inputs));
  const entries = memory(ctx);
  entries.delete(inputs.deployment.id);
  if (digest === null) return;
  entries.set(inputs.deployment.id, { digest, state: row.state, message: row.message });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

/** Forgets a deployment (found drifted): the next pass assesses it in full. */
export function forgetSettled(ctx: WorkerContext, deploymentId: string) {
  memory(ctx).delete(deploymentId);
}

/** A deployment's live objects, by the bundle label every applied object carries. */
export function liveByBundle(objects: readonly KubeObject[]): Map<string, KubeObject[]> {
  const byBundle = new Map<string, KubeObject[]>();
  for (const object of objects) {
    const bundleId = object.metadata.labels?.[BUNDLE_ID_LABEL];
    if (!bundleId) continue;
    const list = byBundle.get(bundleId) ?? [];
    list.push(object);
    byBundle.set(bundleId, list);
  }
  return byBundle;
}
