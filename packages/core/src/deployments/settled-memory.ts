import type { BundleDeployment } from '@flotilla/db';
import type { KubeObject } from '@flotilla/engine';
import { BUNDLE_ID_LABEL } from '@flotilla/kube';
import type { WorkerContext } from '../worker-context.ts';
import { perContext } from './batching.ts';

/**
 * A fleet at rest looks the same monitor pass after pass. Assessing it again (health and drift
 * of every object) made the monitor's CPU grow with clusters x bundles every interval, so on a
 * large fleet it came to most of the worker's time: the per-deployment cost of a rollout grew
 * with the fleet. This remembers, per worker process, what a deployment found Ready was assessed
 * from: its row's inputs and the resourceVersion of each of its live objects. A pass that finds
 * the same is Ready still, with nothing to assess; any change (an edit, a status update, a new
 * revision, a bundle option) misses and is assessed in full.
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
}

interface Entry {
  key: string;
  message: string;
}

const memory = perContext((_ctx: WorkerContext) => new Map<string, Entry>());

/** The fingerprint of an assessment's inputs, or null when it cannot be trusted to repeat. */
export function settledKey({ deployment, bundleKey, live }: SettledInputs): string | null {
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
    ...versions,
  ].join('\n');
}

/** The part of a settled fingerprint that comes from the bundle: paused, and its options. */
export function settledBundleKey(bundle: { paused: boolean; options: unknown }): string {
  return `${bundle.paused}|${JSON.stringify(bundle.options)}`;
}

/** Whether a status row, as assessed, may be remembered as settled: Ready and not drifted. */
export function isSettledRow(row: { state: string; counts: unknown }): boolean {
  return row.state === 'Ready' && (row.counts as { modified?: number } | null)?.modified === 0;
}

/** Whether the deployment is Ready as last assessed, from the very same inputs. */
export function isStillSettled(ctx: WorkerContext, inputs: SettledInputs): boolean {
  const { deployment } = inputs;
  if (deployment.state !== 'Ready') return false;
  const entry = memory(ctx).get(deployment.id);
  if (!entry || entry.message !== deployment.message) return false;
  return entry.key === settledKey(inputs);
}

/**
 * Remembers a deployment assessed Ready, with no drift, from these inputs. The monitor remembers
 * what its pass found; an apply and the rollout tracker remember what they found Ready from the
 * objects the API server answered, so the first monitor pass after a rollout does not assess
 * again what did not change since (on a large fleet that pass came to a third of a rollout's
 * CPU).
 */
export function rememberSettled(ctx: WorkerContext, inputs: SettledInputs, message: string) {
  const key = settledKey(inputs);
  const entries = memory(ctx);
  entries.delete(inputs.deployment.id);
  if (key === null) return;
  entries.set(inputs.deployment.id, { key, message });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

/** Forgets a deployment (assessed other than Ready): the next pass assesses it in full. */
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
