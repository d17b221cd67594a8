import type { Bundle, BundleRender } from '@flotilla/db';
import type { HelmChartOrigin } from '@flotilla/engine';
import { z } from 'zod';
import { templateErrorLocations, type TemplateLocation } from './render-error-locations.ts';

/** A Helm copy's chart, as the dashboard shows it. */
export interface RenderChartDto {
  name: string;
  version: string;
  appVersion: string;
  /** Where it came from: a folder or archive of the repository, a Helm repository, OCI, a URL. */
  source: HelmChartOrigin;
}

/** How one copy (customization) of a bundle rendered at one commit. */
export interface RenderDto {
  commit: string;
  /** The targetCustomization's name; "" for the bundle's defaults. */
  customization: string;
  /** The revision it rendered to; null when it failed. */
  revision: string | null;
  /** Helm bundles only. */
  chart: RenderChartDto | null;
  /**
   * The values given over the chart's defaults, merged in Helm's order, secrets masked
   * (`*****`): values under keys that look like passwords, tokens, secrets or keys, and
   * everything read from a Secret. Null for a bundle that is no chart, a failed render, or
   * values too large to show.
   */
  values: Record<string, unknown> | null;
  error: { message: string; locations: TemplateLocation[] } | null;
  renderedAt: string;
  /**
   * How many rendered copies this entry stands for: 1, or the clusters of a customization
   * rendered per cluster (lookup, Capabilities, seeded random values, valuesFrom) that came out
   * with this chart, values and outcome. `revision` is null when those copies differ.
   */
  copies: number;
}

/*
 * BundleRender.helm as the worker wrote it (the engine's HelmRenderSummary). Validated rather
 * than cast: a row written by an older version shows no chart instead of a broken page.
 */
const originSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('folder'), path: z.string() }),
  z.object({ kind: z.literal('generated'), path: z.string() }),
  z.object({ kind: z.literal('archive'), path: z.string() }),
  z.object({
    kind: z.literal('repository'),
    url: z.string(),
    chart: z.string(),
    version: z.string(),
  }),
  z.object({ kind: z.literal('oci'), ref: z.string(), version: z.string() }),
  z.object({ kind: z.literal('url'), url: z.string() }),
]);

const helmColumnSchema = z.object({
  chart: z.object({
    name: z.string(),
    version: z.string(),
    appVersion: z.string(),
    origin: originSchema,
  }),
  values: z.record(z.string(), z.unknown()).nullable(),
});

export function toRenderDto(row: BundleRender): RenderDto {
  const helm = helmColumnSchema.safeParse(row.helm);
  const chart = helm.success ? helm.data.chart : null;
  return {
    commit: row.commit,
    customization: row.customization,
    revision: row.revisionHash,
    chart: chart
      ? {
          name: chart.name,
          version: chart.version,
          appVersion: chart.appVersion,
          source: chart.origin,
        }
      : null,
    values: helm.success ? helm.data.values : null,
    error: row.error ? { message: row.error, locations: templateErrorLocations(row.error) } : null,
    renderedAt: row.createdAt.toISOString(),
    copies: 1,
  };
}

/**
 * A customization rendered per cluster keeps a shared row that only says so (no revision, no
 * chart, no error): the clusters' own rows carry the outcomes.
 */
export function isOutcomeRow(row: Pick<BundleRender, 'isPerCluster' | 'revisionHash' | 'error'>) {
  return !row.isPerCluster || row.revisionHash !== null || row.error !== null;
}

/**
 * The commits whose renders matter for a bundle now: the one deploying and, when the newest
 * commit failed to render, that one (newest first).
 */
export function currentRenderCommits(bundle: Pick<Bundle, 'commit' | 'failedCommit'>): string[] {
  return [bundle.failedCommit, bundle.commit].filter(
    (commit, index, all): commit is string => !!commit && all.indexOf(commit) === index,
  );
}

/**
 * Renders as the pages show them: newest commit first (as `commits` lists them), then by
 * customization; copies of one customization rendered per cluster folded into one entry per
 * distinct outcome (chart and values, or error message), so a bundle on 500 clusters does not
 * list 500 identical charts.
 */
export function summarizeRenders(renders: RenderDto[], commits: readonly string[]): RenderDto[] {
  const groups = new Map<string, RenderDto>();
  for (const render of renders) {
    const outcome = render.error
      ? `error\0${render.error.message}`
      : `ok\0${JSON.stringify([render.chart, render.values])}`;
    const key = `${render.commit}\0${render.customization}\0${outcome}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { ...render });
      continue;
    }
    group.copies += render.copies;
    if (group.revision !== render.revision) group.revision = null;
    if (render.renderedAt > group.renderedAt) group.renderedAt = render.renderedAt;
  }
  return [...groups.values()].sort(
    (a, b) =>
      commits.indexOf(a.commit) - commits.indexOf(b.commit) ||
      (a.customization < b.customization ? -1 : a.customization > b.customization ? 1 : 0) ||
      Number(a.error !== null) - Number(b.error !== null),
  );
}
