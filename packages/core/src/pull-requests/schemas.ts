import { z } from 'zod';

const objectChange = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string(),
  name: z.string(),
  change: z.enum(['added', 'changed', 'removed']),
  diff: z.string(),
});

/** Clusters of one customization that have the same desired revision now, and what would change. */
const previewGroup = z.object({
  clusters: z.array(z.string()),
  changes: z.array(objectChange),
});

const previewCustomization = z.object({
  /** "" for the bundle's defaults. */
  name: z.string(),
  /** Every cluster of the bundle on this customization now. */
  clusters: z.array(z.string()),
  /** Why it would not render: these clusters would break (the check fails). */
  error: z.string().optional(),
  /** Why it was not previewed without being an error (its chart reads each cluster). */
  note: z.string().optional(),
  groups: z.array(previewGroup),
});

export const previewBundleResult = z.object({
  bundleId: z.string(),
  bundleName: z.string(),
  path: z.string(),
  /** Why the bundle's options file does not load at the head: every cluster would break. */
  error: z.string().optional(),
  customizations: z.array(previewCustomization),
});

export type PreviewBundleResult = z.infer<typeof previewBundleResult>;
export type PreviewCustomizationResult = z.infer<typeof previewCustomization>;

/** The stored results column, validated on the way out (no blind cast of a JSON column). */
export function previewResultsOf(value: unknown): PreviewBundleResult[] {
  const parsed = z.array(previewBundleResult).safeParse(value);
  return parsed.success ? parsed.data : [];
}

export type PreviewConclusion = 'success' | 'failure' | 'neutral';

/** Counts a reviewer reads first: bundles, clusters affected, objects by kind of change. */
export function previewTotals(results: readonly PreviewBundleResult[]) {
  const clusters = new Set<string>();
  let added = 0;
  let changed = 0;
  let removed = 0;
  let errors = 0;
  for (const bundle of results) {
    if (bundle.error) errors += 1;
    for (const customization of bundle.customizations) {
      if (customization.error) {
        errors += 1;
        for (const cluster of customization.clusters) clusters.add(cluster);
      }
      for (const group of customization.groups) {
        if (group.changes.length === 0) continue;
        for (const cluster of group.clusters) clusters.add(cluster);
        for (const { change } of group.changes) {
          if (change === 'added') added += 1;
          else if (change === 'changed') changed += 1;
          else removed += 1;
        }
      }
    }
  }
  return {
    bundles: results.length,
    clustersAffected: [...clusters].sort(),
    added,
    changed,
    removed,
    errors,
  };
}

/** Clusters whose objects would change (or break) under one customization. */
export function affectedClusters(customization: PreviewCustomizationResult): string[] {
  if (customization.error) return customization.clusters;
  return customization.groups
    .filter((group) => group.changes.length > 0)
    .flatMap((group) => group.clusters)
    .sort();
}
