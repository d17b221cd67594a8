import { isPlainObject } from '../template/values.ts';
import { parseYaml } from '../sprig/serialize.ts';
import { ChartError } from './errors.ts';

/** releaseutil.InstallOrder at Helm v3.17.1: the order in which Helm creates kinds. */
export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  // Helm v3.17 stops here: webhook configurations are "unknown" kinds, sorted by name after
  // the rest (later Helm versions list Mutating/ValidatingWebhookConfiguration last).
];

const ORDER = new Map(INSTALL_ORDER.map((kind, i) => [kind, i]));

/** The hook events Helm knows (`helm.sh/hook`). */
export const HOOK_EVENTS = [
  'pre-install',
  'post-install',
  'pre-delete',
  'post-delete',
  'pre-upgrade',
  'post-upgrade',
  'pre-rollback',
  'post-rollback',
  'test',
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** A rendered document that is not a hook. */
export interface Manifest {
  /** The template that made it, e.g. `podinfo/templates/deployment.yaml`. */
  path: string;
  content: string;
  kind: string;
  name: string;
}

/** A rendered document with a `helm.sh/hook` annotation. */
export interface Hook extends Manifest {
  events: HookEvent[];
  weight: number;
  deletePolicies: string[];
}

/**
 * releaseutil.SplitManifests: a stream cut at `---` lines, each document trimmed, empty ones
 * dropped (a document of comments only is kept, as Helm keeps it).
 */
export function splitManifests(text: string): string[] {
  return text
    .trim()
    .split(/(?:^|\s*\n)---\s*/)
    .filter((d) => d !== '')
    .map((d) => d.trim());
}

/** Helm's lessByKind: known kinds in install order, unknown kinds after them by name. */
function compareKinds(a: string, b: string): number {
  const ia = ORDER.get(a);
  const ib = ORDER.get(b);
  if (ia === undefined && ib === undefined) return a === b ? 0 : a < b ? -1 : 1;
  if (ia === undefined) return 1;
  if (ib === undefined) return -1;
  return ia - ib;
}

export function sortByKind<T extends { kind: string }>(items: T[]): T[] {
  // Array.prototype.sort is stable, as Go's sort.SliceStable that Helm uses.
  return [...items].sort((x, y) => compareKinds(x.kind, y.kind));
}

/**
 * releaseutil.SortManifests: rendered files in path order, partials and empty files skipped,
 * split into documents, hooks apart; both sorted by kind, documents of a kind kept in order.
 */
export function sortManifests(rendered: Map<string, string>): {
  hooks: Hook[];
  manifests: Manifest[];
} {
  const hooks: Hook[] = [];
  const manifests: Manifest[] = [];
  const paths = [...rendered.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const path of paths) {
    const content = rendered.get(path) ?? '';
    if ((path.split('/').pop() ?? '').startsWith('_')) continue;
    if (content.trim() === '') continue;
    for (const doc of splitManifests(content)) {
      let head: unknown;
      try {
        head = parseYaml(doc);
      } catch (error) {
        throw new ChartError(
          `YAML parse error on ${path}: error converting YAML to JSON: ${(error as Error).message}`,
          path,
        );
      }
      const object = isPlainObject(head) ? head : {};
      const metadata = isPlainObject(object.metadata) ? object.metadata : {};
      const annotations = isPlainObject(metadata.annotations) ? metadata.annotations : null;
      const kind = typeof object.kind === 'string' ? object.kind : '';
      const name = typeof metadata.name === 'string' ? metadata.name : '';
      const hookTypes = annotations?.['helm.sh/hook'];
      if (annotations === null || typeof hookTypes !== 'string') {
        manifests.push({ path, content: doc, kind, name });
        continue;
      }
      const events: HookEvent[] = [];
      let isUnknown = false;
      for (const raw of hookTypes.split(',')) {
        // Helm reads the old `test-success` as `test`.
        const event = raw
          .trim()
          .toLowerCase()
          .replace(/^test-success$/, 'test');
        if ((HOOK_EVENTS as readonly string[]).includes(event)) events.push(event as HookEvent);
        else isUnknown = true;
      }
      // Helm skips a hook with an unknown event entirely ("skipping unknown hook").
      if (isUnknown) continue;
      const weightText = annotations['helm.sh/hook-weight'];
      const weight = typeof weightText === 'string' ? Number.parseInt(weightText, 10) || 0 : 0;
      const policies = annotations['helm.sh/hook-delete-policy'];
      const deletePolicies =
        typeof policies === 'string'
          ? policies
              .split(',')
              .map((p) => p.trim().toLowerCase())
              .filter((p) => p !== '')
          : [];
      hooks.push({ path, content: doc, kind, name, events, weight, deletePolicies });
    }
  }
  return { hooks: sortByKind(hooks), manifests: sortByKind(manifests) };
}
