import { setTimeout as sleep } from 'node:timers/promises';
import type { BundleDeployment } from '@flotilla/db';
import {
  planHelmHooks,
  resourceHealth,
  type HelmHook,
  type HookGroup,
  type HookRunPlan,
  type KubeObject,
  type ObjectRef,
} from '@flotilla/engine';
import {
  applyObjects,
  describeFailure,
  FIELD_MANAGER,
  getLive,
  isHttpStatus,
  resourcePath,
  withOwnership,
  type ClusterClient,
  type Ownership,
} from '@flotilla/kube';
import type { Revision } from './revision-cache.ts';

/** Helm's default `--timeout` (5m0s); fleet.yaml's `helm.timeoutSeconds` overrides it. */
const DEFAULT_HOOK_TIMEOUT_MS = 5 * 60_000;
const POLL_MS = { first: 250, max: 2000 };

export interface HookRun {
  plan: HookRunPlan;
  /** Every hook object this run may apply, with the ownership labels (for checks beforehand). */
  objects: KubeObject[];
  /** How long one weight group may take to complete (and an old hook object to go). */
  timeoutMs: number;
  ownership: Ownership;
}

/**
 * The hooks a deploy runs: only when the deployment moves to a revision it has not applied
 * (Helm runs hooks once per install or upgrade; a re-render of the same revision, a retry after
 * success or a drift correction runs none). A first deploy to the cluster is Helm's install,
 * any later one its upgrade. Undefined when there is nothing to run.
 */
export function planHookRun({
  deployment,
  revision,
  ownership,
}: {
  deployment: Pick<BundleDeployment, 'appliedHash'>;
  revision: Revision;
  ownership: Ownership;
}): HookRun | undefined {
  if (revision.hooks.length === 0 || deployment.appliedHash === revision.hash) return undefined;
  const plan = planHelmHooks(
    revision.hooks.map((hook) => withOwnership(hook, ownership)),
    { isInstall: deployment.appliedHash === null },
  );
  const objects = [...plan.pre, ...plan.post].flatMap((group) =>
    group.hooks.map((hook) => hook.object),
  );
  if (objects.length === 0) return undefined;
  const seconds = revision.deployOptions.helm?.timeoutSeconds ?? 0;
  return {
    plan,
    objects,
    timeoutMs: seconds > 0 ? seconds * 1000 : DEFAULT_HOOK_TIMEOUT_MS,
    ownership,
  };
}

/**
 * The revision's hooks as refs, to keep out of a prune: an inventory recorded before hooks were
 * run apart may list them, and a prune must not delete a hook this deploy has just run.
 */
export function hookRefs(revision: Revision): ObjectRef[] {
  return revision.hooks.map(refOf);
}

export interface HookPhaseResult {
  /** Why the phase failed (naming the hook), or undefined when every hook completed. */
  failure?: string | undefined;
  /** Whether anything was written to the cluster (a failure before that may be the cluster). */
  hasWritten: boolean;
}

/**
 * Pre hooks: CRDs of the revision first (a hook may be one of their resources), then each
 * weight group of pre-install/pre-upgrade hooks, waiting for each to complete.
 */
export async function runPreHooks(
  client: ClusterClient,
  run: HookRun,
  objects: readonly KubeObject[],
  onRunning?: OnRunning,
): Promise<HookPhaseResult> {
  if (run.plan.pre.length === 0) return { hasWritten: false };
  const crds = objects.filter(
    (object) =>
      object.kind === 'CustomResourceDefinition' &&
      object.apiVersion.startsWith('apiextensions.k8s.io/'),
  );
  if (crds.length > 0) {
    const applied = await applyObjects(client, crds, { fieldManager: FIELD_MANAGER, force: true });
    if (applied.failed.length > 0) {
      return {
        failure: applied.failed.map((failed) => failed.reason).join('; '),
        hasWritten: applied.applied.length > 0,
      };
    }
  }
  return runGroups(client, run, run.plan.pre, crds.length > 0, onRunning);
}

/** Post hooks: each weight group of post-install/post-upgrade hooks, after the manifests. */
export async function runPostHooks(
  client: ClusterClient,
  run: HookRun,
  onRunning?: OnRunning,
): Promise<HookPhaseResult> {
  return runGroups(client, run, run.plan.post, true, onRunning);
}

/** Told the hooks a group waits for (e.g. "pre-install hook Job web/migrate"), for the state. */
export type OnRunning = (hooks: string) => Promise<void>;

async function runGroups(
  client: ClusterClient,
  run: HookRun,
  groups: readonly HookGroup[],
  hasWritten: boolean,
  onRunning: OnRunning | undefined,
): Promise<HookPhaseResult> {
  let written = hasWritten;
  for (const group of groups) {
    const awaited = group.hooks.filter((hook) => isAwaited(hook.object));
    if (onRunning && awaited.length > 0) await onRunning(awaited.map(nameOf).join(', '));
    const deadline = Date.now() + run.timeoutMs;
    const results = await Promise.all(
      group.hooks.map((hook) => runHook(client, hook, deadline, run.timeoutMs)),
    );
    written ||= results.some((result) => result.hasWritten);
    const failures = results.flatMap((result) => result.failure ?? []);
    if (failures.length > 0) return { failure: failures.join('; '), hasWritten: written };
  }
  return { hasWritten: written };
}

function nameOf(hook: HelmHook): string {
  const { kind, metadata } = hook.object;
  const where = metadata.namespace ? `${metadata.namespace}/` : '';
  return `${hook.events.join(',')} hook ${kind} ${where}${metadata.name}`;
}

/** Helm waits for Jobs to complete and Pods to succeed; any other kind is done once applied. */
function isAwaited(object: KubeObject): boolean {
  return (
    (object.kind === 'Job' && object.apiVersion.startsWith('batch/')) ||
    (object.kind === 'Pod' && object.apiVersion === 'v1')
  );
}

async function runHook(
  client: ClusterClient,
  hook: HelmHook,
  deadline: number,
  timeoutMs: number,
): Promise<HookPhaseResult> {
  const seconds = `${Math.round(timeoutMs / 1000)}s`;
  const policies = new Set(hook.deletePolicies);
  let hasWritten = false;
  try {
    if (policies.has('before-hook-creation')) {
      hasWritten = await deleteObject(client, hook.object);
      if (hasWritten && !(await waitUntilGone(client, hook.object, deadline))) {
        return {
          failure: `${nameOf(hook)}: the previous one was not deleted within ${seconds}`,
          hasWritten,
        };
      }
    }
    const applied = await applyObjects(client, [hook.object], {
      fieldManager: FIELD_MANAGER,
      force: true,
    });
    const applyFailure = applied.failed[0];
    if (applyFailure) return { failure: `${nameOf(hook)}: ${applyFailure.reason}`, hasWritten };
    hasWritten = true;
    const failure = isAwaited(hook.object)
      ? await waitForCompletion(client, hook, applied.live[0], deadline, seconds)
      : undefined;
    if (policies.has(failure === undefined ? 'hook-succeeded' : 'hook-failed')) {
      await deleteObject(client, hook.object);
    }
    return { failure, hasWritten };
  } catch (error) {
    return { failure: `${nameOf(hook)}: ${describeFailure(error)}`, hasWritten };
  }
}

async function waitForCompletion(
  client: ClusterClient,
  hook: HelmHook,
  answered: KubeObject | undefined,
  deadline: number,
  seconds: string,
): Promise<string | undefined> {
  let live = answered;
  let pause = POLL_MS.first;
  for (;;) {
    const health = resourceHealth(live);
    if (live && health.status === 'Healthy') return undefined;
    if (health.status === 'Degraded') {
      return `${nameOf(hook)} failed${health.message ? `: ${health.message}` : ''}`;
    }
    if (Date.now() >= deadline) {
      const why = live ? (health.message ? ` (${health.message})` : '') : ' (it is gone)';
      return `${nameOf(hook)} did not complete within ${seconds}${why}`;
    }
    await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
    pause = Math.min(pause * 2, POLL_MS.max);
    live = await getLive(client, refOf(hook.object));
  }
}

function refOf(object: KubeObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
  };
}

/** Deletes the object when it exists (dependents in the background); true if it existed. */
async function deleteObject(client: ClusterClient, object: KubeObject): Promise<boolean> {
  const resource = await client.discovery.resolve(object.apiVersion, object.kind);
  const namespace = resource.isNamespaced ? (object.metadata.namespace ?? '') : '';
  try {
    await client.request({
      method: 'DELETE',
      path: resourcePath(resource, namespace, object.metadata.name),
      body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' },
    });
    return true;
  } catch (error) {
    if (isHttpStatus(error, 404)) return false;
    throw error;
  }
}

async function waitUntilGone(
  client: ClusterClient,
  object: KubeObject,
  deadline: number,
): Promise<boolean> {
  let pause = POLL_MS.first;
  for (;;) {
    if ((await getLive(client, refOf(object))) === undefined) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
    pause = Math.min(pause * 2, POLL_MS.max);
  }
}
