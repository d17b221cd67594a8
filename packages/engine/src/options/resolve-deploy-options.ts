import type {
  BundleOptions,
  ComparePatch,
  CorrectDrift,
  DeployOptionOverrides,
  DeployOptions,
  HelmOptions,
  ResolvedHelmOptions,
  TargetCustomization,
  ValuesFrom,
} from './bundle-options.ts';

/**
 * The options of one cluster's copy of a bundle: the bundle's options with the chosen
 * customization laid over them, by the rules of Fleet's options.Merge:
 * - a namespace, defaultNamespace or kustomize.dir the customization gives replaces the
 *   bundle's; "-" clears it (Fleet means to, though its Go code never reaches that branch);
 * - overlays are the bundle's followed by the customization's;
 * - comparePatches merge by apiVersion/kind/namespace/name, the customization's entry winning;
 * - correctDrift is replaced as a whole; keepResources holds if either sets it;
 * - takeOwnership holds if either sets it, at the top level or under `helm:`;
 * - helm: see mergeHelm.
 */
export function resolveDeployOptions(
  options: BundleOptions,
  customization?: TargetCustomization,
): DeployOptions {
  const custom: DeployOptionOverrides = customization ?? {};
  const resolved: DeployOptions = {
    overlays: [...(options.yaml?.overlays ?? []), ...(custom.yaml?.overlays ?? [])],
    comparePatches: mergeComparePatches(
      options.diff?.comparePatches ?? [],
      custom.diff?.comparePatches ?? [],
    ),
    correctDrift: toCorrectDrift(custom.correctDrift ?? options.correctDrift),
    keepResources: Boolean(options.keepResources) || Boolean(custom.keepResources),
  };
  const namespace = override(options.namespace, custom.namespace);
  if (namespace) resolved.namespace = namespace;
  const defaultNamespace = override(options.defaultNamespace, custom.defaultNamespace);
  if (defaultNamespace) resolved.defaultNamespace = defaultNamespace;
  const kustomizeDir = override(options.kustomize?.dir, custom.kustomize?.dir);
  if (kustomizeDir) resolved.kustomizeDir = kustomizeDir;
  const helm = mergeHelm(options.helm, custom.helm);
  if (helm) resolved.helm = helm;
  if (options.takeOwnership || custom.takeOwnership || helm?.takeOwnership)
    resolved.takeOwnership = true;
  return resolved;
}

/**
 * Fleet's options.Merge for `helm:`: chart, repo, version and releaseName given by the
 * customization replace the bundle's; its values merge over the bundle's; valuesFrom entries
 * merge by ConfigMap/Secret and key; force, atomic, takeOwnership, disablePreProcess,
 * waitForJobs and disableDNS hold if either sets them. maxHistory and skipSchemaValidation are
 * the bundle's only, as Fleet's merge never copies them from a customization.
 */
function mergeHelm(
  base: HelmOptions | undefined,
  custom: HelmOptions | undefined,
): ResolvedHelmOptions | undefined {
  if (!base && !custom) return undefined;
  const either = (field: keyof HelmOptions): boolean =>
    base?.[field] === true || custom?.[field] === true;
  const layer = (options: HelmOptions | undefined) =>
    options && ((options.valuesFiles?.length ?? 0) > 0 || options.values)
      ? [{ valuesFiles: options.valuesFiles ?? [], values: options.values ?? {} }]
      : [];
  const timeout = custom?.timeoutSeconds ?? 0;
  return {
    chart: custom?.chart || base?.chart || '',
    repo: custom?.repo || base?.repo || '',
    version: custom?.version || base?.version || '',
    releaseName: custom?.releaseName || base?.releaseName || '',
    valueLayers: [...layer(base), ...layer(custom)],
    valuesFrom: mergeValuesFrom(base?.valuesFrom ?? [], custom?.valuesFrom ?? []),
    takeOwnership: either('takeOwnership'),
    force: either('force'),
    maxHistory: base?.maxHistory ?? 0,
    atomic: either('atomic'),
    waitForJobs: either('waitForJobs'),
    disablePreProcess: either('disablePreProcess'),
    disableDNS: either('disableDNS'),
    skipSchemaValidation: base?.skipSchemaValidation ?? false,
    timeoutSeconds: timeout > 0 ? timeout : timeout < 0 ? 0 : (base?.timeoutSeconds ?? 0),
  };
}

function valuesFromKey(ref: ValuesFrom): string | undefined {
  const [kind, key] = ref.configMapKeyRef
    ? ['configmap', ref.configMapKeyRef]
    : ['secret', ref.secretKeyRef];
  return key ? [kind, key.namespace ?? '', key.name, key.key ?? ''].join('|') : undefined;
}

function mergeValuesFrom(base: ValuesFrom[], custom: ValuesFrom[]): ValuesFrom[] {
  const merged = [...base];
  for (const ref of custom) {
    const key = valuesFromKey(ref);
    const index = merged.findIndex((existing) => valuesFromKey(existing) === key);
    if (key === undefined || index === -1) merged.push(ref);
    else merged[index] = ref;
  }
  return merged;
}

function override(base: string | undefined, custom: string | undefined): string | undefined {
  const value = custom || base;
  return value === '-' ? undefined : value;
}

function toCorrectDrift(value: Partial<CorrectDrift> | undefined): CorrectDrift {
  return {
    enabled: value?.enabled ?? false,
    force: value?.force ?? false,
    keepFailHistory: value?.keepFailHistory ?? false,
  };
}

function comparePatchKey(patch: ComparePatch): string {
  return [patch.apiVersion, patch.kind, patch.namespace, patch.name]
    .map((part) => part ?? '')
    .join('|');
}

function mergeComparePatches(base: ComparePatch[], custom: ComparePatch[]): ComparePatch[] {
  const merged = [...base];
  const seen = new Set<string>();
  for (const patch of custom) {
    const key = comparePatchKey(patch);
    if (seen.has(key)) continue;
    seen.add(key);
    const index = merged.findIndex((existing) => comparePatchKey(existing) === key);
    if (index === -1) merged.push(patch);
    else merged[index] = patch;
  }
  return merged;
}
