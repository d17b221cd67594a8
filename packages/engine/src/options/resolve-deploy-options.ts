import type {
  BundleOptions,
  ComparePatch,
  CorrectDrift,
  DeployOptionOverrides,
  DeployOptions,
  TargetCustomization,
} from './bundle-options.ts';

/**
 * The options of one cluster's copy of a bundle: the bundle's options with the chosen
 * customization laid over them, by the rules of Fleet's options.Merge:
 * - a namespace, defaultNamespace or kustomize.dir the customization gives replaces the
 *   bundle's; "-" clears it (Fleet means to, though its Go code never reaches that branch);
 * - overlays are the bundle's followed by the customization's;
 * - comparePatches merge by apiVersion/kind/namespace/name, the customization's entry winning;
 * - correctDrift is replaced as a whole; keepResources holds if either sets it.
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
  return resolved;
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
