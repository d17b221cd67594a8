import { INSTALL_ORDER } from '@flotilla/helm';
import type { KubeObject } from '../types.ts';

/*
 * A Helm hook stays in a stored revision as the chart rendered it: its `helm.sh/hook`
 * annotation is the phase marker. The deployer takes hooks out of the ordinary objects (they
 * are not inventory: never pruned, never drift) and runs them around the apply, as Helm does.
 */

export const HOOK_ANNOTATION = 'helm.sh/hook';
export const HOOK_WEIGHT_ANNOTATION = 'helm.sh/hook-weight';
export const HOOK_DELETE_POLICY_ANNOTATION = 'helm.sh/hook-delete-policy';

export type HookDeletePolicy = 'before-hook-creation' | 'hook-succeeded' | 'hook-failed';

export interface HelmHook {
  object: KubeObject;
  /** The events of the hook this run honours, e.g. ["pre-install"]. */
  events: string[];
  weight: number;
  /** Helm's default when the annotation is absent: before-hook-creation. */
  deletePolicies: HookDeletePolicy[];
}

/** The hooks of one weight, run together; the next weight waits for them. */
export interface HookGroup {
  weight: number;
  hooks: HelmHook[];
}

export interface HookRunPlan {
  /** "install" on a first deploy to the cluster, "upgrade" afterwards (Helm's own rule). */
  action: 'install' | 'upgrade';
  pre: HookGroup[];
  post: HookGroup[];
}

const HOOK_EVENTS: readonly string[] = [
  'pre-install',
  'post-install',
  'pre-delete',
  'post-delete',
  'pre-upgrade',
  'post-upgrade',
  'pre-rollback',
  'post-rollback',
  'test',
];

const DELETE_POLICIES: readonly string[] = [
  'before-hook-creation',
  'hook-succeeded',
  'hook-failed',
];

function annotationOf(object: KubeObject, key: string): string | undefined {
  const value = object.metadata.annotations?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** True for an object carrying `helm.sh/hook` (of any event, `test` included). */
export function isHelmHook(object: KubeObject): boolean {
  return annotationOf(object, HOOK_ANNOTATION) !== undefined;
}

/** A revision's objects apart: the ordinary ones (inventory) and the Helm hooks. */
export function splitHelmHooks(objects: readonly KubeObject[]): {
  objects: KubeObject[];
  hooks: KubeObject[];
} {
  const ordinary: KubeObject[] = [];
  const hooks: KubeObject[] = [];
  for (const object of objects) (isHelmHook(object) ? hooks : ordinary).push(object);
  return { objects: ordinary, hooks };
}

function eventsOf(object: KubeObject): string[] {
  return (annotationOf(object, HOOK_ANNOTATION) ?? '')
    .split(',')
    .map((event) =>
      event
        .trim()
        .toLowerCase()
        .replace(/^test-success$/, 'test'),
    )
    .filter((event) => event !== '');
}

function deletePoliciesOf(object: KubeObject): HookDeletePolicy[] {
  const policies = (annotationOf(object, HOOK_DELETE_POLICY_ANNOTATION) ?? '')
    .split(',')
    .map((policy) => policy.trim().toLowerCase())
    .filter((policy) => DELETE_POLICIES.includes(policy)) as HookDeletePolicy[];
  // Helm: "If no hook deletion policy annotation is specified, before-hook-creation applies."
  return policies.length > 0 ? [...new Set(policies)] : ['before-hook-creation'];
}

const kindRank = (kind: string): number => {
  const index = INSTALL_ORDER.indexOf(kind);
  return index < 0 ? INSTALL_ORDER.length : index;
};

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function groupByWeight(hooks: HelmHook[]): HookGroup[] {
  // Helm's execHook order: weight, then kind (install order, unknown kinds by name), then name.
  const sorted = [...hooks].sort(
    (a, b) =>
      a.weight - b.weight ||
      kindRank(a.object.kind) - kindRank(b.object.kind) ||
      compareText(a.object.kind, b.object.kind) ||
      compareText(a.object.metadata.name, b.object.metadata.name),
  );
  const groups: HookGroup[] = [];
  for (const hook of sorted) {
    const last = groups.at(-1);
    if (last && last.weight === hook.weight) last.hooks.push(hook);
    else groups.push({ weight: hook.weight, hooks: [hook] });
  }
  return groups;
}

/**
 * Which hooks a deploy runs, in Helm's order: on a first deploy (install) the pre-install and
 * post-install hooks, on a later revision (upgrade) the pre-upgrade and post-upgrade ones.
 * `test`, delete and rollback hooks are never run; a hook with an unknown event is skipped, as
 * Helm skips it.
 */
export function planHelmHooks(
  hooks: readonly KubeObject[],
  { isInstall }: { isInstall: boolean },
): HookRunPlan {
  const action = isInstall ? 'install' : 'upgrade';
  const pre: HelmHook[] = [];
  const post: HelmHook[] = [];
  for (const object of hooks) {
    const events = eventsOf(object);
    // Helm skips a hook naming an unknown event entirely ("skipping unknown hook").
    if (events.length === 0 || events.some((event) => !HOOK_EVENTS.includes(event))) continue;
    const weight = Number.parseInt(annotationOf(object, HOOK_WEIGHT_ANNOTATION) ?? '', 10) || 0;
    const hook = { object, weight, deletePolicies: deletePoliciesOf(object) };
    if (events.includes(`pre-${action}`)) pre.push({ ...hook, events: [`pre-${action}`] });
    if (events.includes(`post-${action}`)) post.push({ ...hook, events: [`post-${action}`] });
  }
  return { action, pre: groupByWeight(pre), post: groupByWeight(post) };
}
