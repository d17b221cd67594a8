import type { BundleOptions } from '@flotilla/engine';

/** The bundle's options as stored by the render (always written by loadBundleOptions). */
export function bundleOptionsOf(value: unknown): BundleOptions {
  const options = (value ?? {}) as Partial<BundleOptions>;
  return {
    labels: {},
    paused: false,
    dependsOn: [],
    targetCustomizations: [],
    ...options,
  } as BundleOptions;
}
