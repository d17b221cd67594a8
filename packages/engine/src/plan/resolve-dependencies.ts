import type { BundleRef } from '../options/bundle-options.ts';
import { helmReleaseName } from '../render/bundle-name.ts';
import { matchesSelector } from '../selectors/match-selector.ts';
import { selectorToString } from '../selectors/selector-to-string.ts';
import { DEPLOYMENT_STATES, type DeploymentState } from '../state/deployment-states.ts';

/** The label Fleet puts on every bundle of a GitRepo; dependsOn selectors may use it. */
export const REPO_NAME_LABEL = 'fleet.cattle.io/repo-name';

/** A bundle of the workspace as dependsOn resolution sees it. */
export interface DependencyBundle {
  id: string;
  /** Flotilla's name: the path with dashes ("apps-web"), or the options file's name. */
  name: string;
  /** The GitRepo's name: with the path it makes Fleet's name ("<gitrepo>-apps-web"). */
  gitRepoName: string;
  path: string;
  /** The options file's labels (REPO_NAME_LABEL is added here). */
  labels: Readonly<Record<string, string>>;
  dependsOn: readonly BundleRef[];
}

/** A dependency found for a bundle, and the states in which it counts as done on a cluster. */
export interface ResolvedDependency {
  id: string;
  name: string;
  acceptedStates: DeploymentState[];
}

export interface DependencyResolution {
  dependencies: ResolvedDependency[];
  /** Why the dependencies cannot be met at all (missing bundle, empty selector, cycle). */
  error: string | null;
}

/** Fleet's name of a bundle: names.HelmReleaseName of "<gitrepo>/<path>" (the repo alone at its root). */
export function fleetBundleName(bundle: Pick<DependencyBundle, 'gitRepoName' | 'path'>): string {
  return helmReleaseName(bundle.path ? `${bundle.gitRepoName}/${bundle.path}` : bundle.gitRepoName);
}

/** The bundle's labels as a dependsOn selector reads them: its own plus Fleet's repo label. */
function labelsOf(bundle: DependencyBundle): Record<string, string> {
  return { [REPO_NAME_LABEL]: bundle.gitRepoName, ...bundle.labels };
}

type RefMatch = { ids: string[]; error: null } | { ids: []; error: string };

/**
 * The bundles one dependsOn entry means. A name is Fleet's ("<gitrepo>-<path-with-dashes>"), or
 * Flotilla's short name: first within the bundle's own GitRepo, else the one bundle of the
 * workspace that has it. A selector matches bundle labels; a bundle never matches its own.
 */
function matchRef(
  from: DependencyBundle,
  ref: BundleRef,
  all: readonly DependencyBundle[],
): RefMatch {
  if (ref.name) {
    const name = ref.name;
    const byFleetName = all.filter((bundle) => fleetBundleName(bundle) === name);
    if (byFleetName.length > 0) return { ids: byFleetName.map((bundle) => bundle.id), error: null };
    const sameRepo = all.filter(
      (bundle) => bundle.name === name && bundle.gitRepoName === from.gitRepoName,
    );
    if (sameRepo.length > 0) return { ids: sameRepo.map((bundle) => bundle.id), error: null };
    const anywhere = all.filter((bundle) => bundle.name === name);
    if (anywhere.length === 1) return { ids: [anywhere[0]?.id ?? ''], error: null };
    if (anywhere.length > 1) {
      const names = anywhere.map((bundle) => `"${fleetBundleName(bundle)}"`).join(', ');
      return { ids: [], error: `"${name}" names bundles of several GitRepos: use one of ${names}` };
    }
    return { ids: [], error: `no bundle named "${name}"` };
  }
  const selector = ref.selector ?? {};
  const matched = all.filter(
    (bundle) => bundle.id !== from.id && matchesSelector(selector, labelsOf(bundle)),
  );
  if (matched.length > 0) return { ids: matched.map((bundle) => bundle.id), error: null };
  const text = selectorToString(selector);
  return { ids: [], error: `selector "${text}" matches no bundle` };
}

function acceptedStatesOf(ref: BundleRef): DeploymentState[] {
  const states = (ref.acceptedStates ?? []).filter((state): state is DeploymentState =>
    (DEPLOYMENT_STATES as readonly string[]).includes(state),
  );
  return states.length > 0 ? states : ['Ready'];
}

/**
 * Resolves the dependsOn of one bundle over every bundle of its workspace: the bundles it waits
 * for on each cluster, or why it can never deploy (a name no bundle has, a selector matching
 * none, or a cycle through the bundle: A → B → A). Pure.
 */
export function resolveDependencies(
  bundleId: string,
  all: readonly DependencyBundle[],
): DependencyResolution {
  const byId = new Map(all.map((bundle) => [bundle.id, bundle]));
  const bundle = byId.get(bundleId);
  if (!bundle || bundle.dependsOn.length === 0) return { dependencies: [], error: null };

  const problems: string[] = [];
  const dependencies = new Map<string, ResolvedDependency>();
  for (const ref of bundle.dependsOn) {
    const match = matchRef(bundle, ref, all);
    if (match.error !== null) problems.push(match.error);
    for (const id of match.ids) {
      const dependency = byId.get(id);
      if (!dependency) continue;
      const accepted = acceptedStatesOf(ref);
      const known = dependencies.get(id);
      // Named twice: it must be in a state both entries accept.
      dependencies.set(id, {
        id,
        name: dependency.name,
        acceptedStates: known
          ? known.acceptedStates.filter((state) => accepted.includes(state))
          : accepted,
      });
    }
  }
  const cycle = cycleThrough(bundle, byId, all);
  if (cycle) problems.push(`cycle ${cycle.join(' → ')}`);
  return {
    dependencies: [...dependencies.values()],
    error: problems.length > 0 ? `dependsOn: ${problems.join('; ')}` : null,
  };
}

/** The shortest dependency path from the bundle back to itself, as names; null when none. */
function cycleThrough(
  start: DependencyBundle,
  byId: ReadonlyMap<string, DependencyBundle>,
  all: readonly DependencyBundle[],
): string[] | null {
  const edges = (bundle: DependencyBundle): string[] =>
    bundle.dependsOn.flatMap((ref) => matchRef(bundle, ref, all).ids);
  const parent = new Map<string, string>();
  const queue: string[] = [];
  for (const id of edges(start)) {
    if (id === start.id) return [start.name, start.name];
    if (!parent.has(id)) {
      parent.set(id, start.id);
      queue.push(id);
    }
  }
  while (queue.length > 0) {
    const id = queue.shift() ?? '';
    const bundle = byId.get(id);
    if (!bundle) continue;
    for (const next of edges(bundle)) {
      if (next === start.id) {
        const path = [start.name];
        for (let at: string | undefined = id; at && at !== start.id; at = parent.get(at))
          path.unshift(byId.get(at)?.name ?? at);
        path.unshift(start.name);
        return path;
      }
      if (!parent.has(next)) {
        parent.set(next, id);
        queue.push(next);
      }
    }
  }
  return null;
}

/** Each dependency and the clusters where it is in a state it is accepted in. */
export interface DependencyFacts {
  error: string | null;
  dependencies: readonly { name: string; doneOn: ReadonlySet<string> }[];
}

/** What keeps a bundle from moving on one cluster: an error, the dependency it waits for, or nothing. */
export type DependencyBlock = { error: string } | { waitingFor: string } | null;

export function dependencyBlock(
  facts: DependencyFacts | undefined,
  clusterId: string,
): DependencyBlock {
  if (!facts) return null;
  if (facts.error !== null) return { error: facts.error };
  const waiting = facts.dependencies.find((dependency) => !dependency.doneOn.has(clusterId));
  return waiting ? { waitingFor: waiting.name } : null;
}
