import type { LabelSelector } from '../types.ts';

/** Fleet's diff.comparePatches entry: fields (or whole objects) drift detection ignores. */
export interface ComparePatch {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** `remove` a JSON pointer path, or `ignore` the whole object. */
  operations?: { op: string; path?: string; value?: string }[];
  jsonPointers?: string[];
}

export interface CorrectDrift {
  enabled: boolean;
  force: boolean;
  keepFailHistory: boolean;
}

/** A ConfigMap or Secret key on the target cluster (Fleet's ValuesFrom). */
export interface ValuesKeyRef {
  name: string;
  /** The release namespace when absent, as in Fleet. */
  namespace?: string;
  /** `values.yaml` when absent, as in Fleet. */
  key?: string;
}

export interface ValuesFrom {
  configMapKeyRef?: ValuesKeyRef;
  secretKeyRef?: ValuesKeyRef;
}

/** fleet.yaml's `helm:`, as written (Fleet's HelmOptions). */
export interface HelmOptions {
  chart?: string;
  repo?: string;
  version?: string;
  releaseName?: string;
  values?: Record<string, unknown> | null;
  valuesFiles?: string[];
  valuesFrom?: ValuesFrom[];
  takeOwnership?: boolean;
  force?: boolean;
  maxHistory?: number;
  atomic?: boolean;
  waitForJobs?: boolean;
  disablePreProcess?: boolean;
  disableDNS?: boolean;
  skipSchemaValidation?: boolean;
  timeoutSeconds?: number;
  [field: string]: unknown;
}

/**
 * The `helm:` options of one cluster's copy, the customization's merged over the bundle's as
 * Fleet's options.Merge does. Values files are listed with the entry (bundle or customization)
 * that named them, because each entry's files sit under its own `values` in Helm's order.
 */
export interface ResolvedHelmOptions {
  chart: string;
  repo: string;
  version: string;
  /** As written; the default (the bundle name) is filled in by the renderer. */
  releaseName: string;
  /** Layers in Helm's order, each values files first, then that entry's `values`. */
  valueLayers: { valuesFiles: string[]; values: Record<string, unknown> }[];
  valuesFrom: ValuesFrom[];
  takeOwnership: boolean;
  force: boolean;
  maxHistory: number;
  atomic: boolean;
  waitForJobs: boolean;
  disablePreProcess: boolean;
  disableDNS: boolean;
  skipSchemaValidation: boolean;
  timeoutSeconds: number;
}

/** The options a targetCustomization may override, as written in the file. */
export interface DeployOptionOverrides {
  defaultNamespace?: string;
  namespace?: string;
  kustomize?: { dir?: string };
  yaml?: { overlays?: string[] };
  diff?: { comparePatches?: ComparePatch[] };
  correctDrift?: Partial<CorrectDrift>;
  keepResources?: boolean;
  /**
   * Adopt objects that exist on the cluster without this bundle's labels (made by hand, or by
   * another bundle): Fleet's `helm.takeOwnership`, also accepted at the top level.
   */
  takeOwnership?: boolean;
  helm?: HelmOptions;
}

/** Which clusters an entry applies to; every field given must hold (see targeting). */
export interface TargetSelection {
  name?: string;
  clusterName?: string;
  clusterSelector?: LabelSelector;
  clusterGroup?: string;
  clusterGroupSelector?: LabelSelector;
}

/**
 * One entry of `targetCustomizations` (or its alias `targets`): how the copy of a matching
 * cluster differs. The first matching entry wins; `doNotDeploy` matches and deploys nothing.
 */
export interface TargetCustomization extends TargetSelection, DeployOptionOverrides {
  /** As written, else Fleet's default `target000`, `target001`, ... by position. */
  name: string;
  doNotDeploy: boolean;
}

export interface BundleRef {
  name?: string;
  selector?: LabelSelector;
  acceptedStates?: string[];
}

export type IntOrPercent = number | string;

export interface RolloutPartition extends TargetSelection {
  maxUnavailable?: IntOrPercent;
}

export interface RolloutStrategy {
  maxUnavailable?: IntOrPercent;
  maxUnavailablePartitions?: IntOrPercent;
  autoPartitionSize?: IntOrPercent;
  autoPartitionThreshold?: number;
  maxNew?: number;
  /**
   * A released cluster not Ready this long after its state last changed counts as failing (it
   * may halt the rollout); default 600.
   */
  progressDeadlineSeconds?: number;
  partitions?: RolloutPartition[];
}

/** A bundle's options file, parsed and normalized. */
export interface BundleOptions extends DeployOptionOverrides {
  /** Repository path of the file they came from; absent when the bundle has none. */
  file?: string;
  /** Fleet's `name`: overrides the bundle name derived from its path. */
  name?: string;
  labels: Record<string, string>;
  paused: boolean;
  /**
   * Argo CD's allowEmpty: a revision with no objects may prune everything a deployment put on
   * its cluster without an operator's confirmation. Off by default.
   */
  allowEmpty?: boolean;
  dependsOn: BundleRef[];
  rolloutStrategy?: RolloutStrategy;
  /** `targets` entries first, then `targetCustomizations`, as Fleet concatenates them. */
  targetCustomizations: TargetCustomization[];
  /** Fleet's `overrideTargets`: the bundle's own targets, replacing the GitRepo's. */
  overrideTargets?: TargetSelection[];
}

/** The resolved options of one cluster's copy of a bundle. */
export interface DeployOptions {
  /** Fills namespaced objects that name no namespace. */
  defaultNamespace?: string;
  /** Forced on every object; cluster-scoped objects are then refused. */
  namespace?: string;
  /** Folder (relative to the bundle) holding the kustomization to build. */
  kustomizeDir?: string;
  /** Names of `overlays/<name>` folders, applied in order. */
  overlays: string[];
  comparePatches: ComparePatch[];
  correctDrift: CorrectDrift;
  keepResources: boolean;
  /**
   * `takeOwnership` or `helm.takeOwnership`, of the bundle or its customization: present only
   * when set, so the revisions of bundles that do not set it hash as before.
   */
  takeOwnership?: true;
  /** Present only for bundles that set `helm:` (so plain bundles hash as before). */
  helm?: ResolvedHelmOptions;
}
