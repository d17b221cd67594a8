import type { Chart } from '@flotilla/helm';
import type { DeployOptions } from '../options/index.ts';
import { isPlainObject } from './parse-yaml.ts';
import { joinPath } from './paths.ts';
import type { HelmChartSource } from './render-helm.ts';

/** Where a rendered chart came from, as the dashboard shows it (never with credentials). */
export type HelmChartOrigin =
  /** A chart folder in the repository. */
  | { kind: 'folder'; path: string }
  /** Fleet's generated chart over a raw-YAML bundle's templates/ folder. */
  | { kind: 'generated'; path: string }
  /** A `.tgz` committed to the repository. */
  | { kind: 'archive'; path: string }
  /** A chart of an HTTP Helm repository (`helm.repo` + `helm.chart`). */
  | { kind: 'repository'; url: string; chart: string; version: string }
  /** A chart in an OCI registry. */
  | { kind: 'oci'; ref: string; version: string }
  /** A `.tgz` at a URL. */
  | { kind: 'url'; url: string };

/** The chart and values one copy of a Helm bundle rendered with. */
export interface HelmRenderSummary {
  chart: { name: string; version: string; appVersion: string; origin: HelmChartOrigin };
  /**
   * The values given over the chart's defaults, merged in Helm's order (valuesFiles < values <
   * the customization's < valuesFrom), with secrets masked: every value under a key that looks
   * like a password, token, secret or key, and everything read from a Secret (`secretKeyRef`).
   * Null when the masked values are larger than MAX_SHOWN_VALUES_BYTES.
   */
  values: Record<string, unknown> | null;
}

/** What a masked value reads as. */
export const MASKED_VALUE = '*****';

/** Values shown are bounded: a 10 MB values file belongs in Git, not in every render row. */
export const MAX_SHOWN_VALUES_BYTES = 64 * 1024;

/*
 * Key names that hold secrets in real charts: password, adminPassword, auth.token, apiKey,
 * tls.key, clientSecret, existingSecret, credentials. A few non-secrets (a toleration's
 * `key`) are masked too: showing one secret is worse than hiding a label key.
 */
const SECRET_KEY = /password|passwd|passphrase|pwd|token|secret|credential|key$|^key|auth$/i;

export function isSecretLookingKey(key: string): boolean {
  return SECRET_KEY.test(key.replace(/[^a-z0-9]/gi, ''));
}

/** Every scalar of `value` masked (null stays null: an unset value reveals nothing). */
function maskAll(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(maskAll);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskAll(item)]));
  }
  return MASKED_VALUE;
}

/** Values under secret-looking keys masked, at any depth. */
export function maskSecretValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecretValues);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      isSecretLookingKey(key) ? maskAll(item) : maskSecretValues(item),
    ]),
  );
}

/** Values read from the cluster, with those read from a Secret masked whole. */
export function maskedValuesFrom(
  deployOptions: DeployOptions,
  valuesFrom: readonly Record<string, unknown>[] | undefined,
): Record<string, unknown>[] | undefined {
  const refs = deployOptions.helm?.valuesFrom ?? [];
  return valuesFrom?.map((values, index) =>
    refs[index]?.configMapKeyRef ? values : (maskAll(values) as Record<string, unknown>),
  );
}

function withoutUserInfo(location: string): string {
  try {
    const url = new URL(location);
    if (!url.username && !url.password) return location;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return location;
  }
}

export function chartOriginOf(source: HelmChartSource, bundlePath: string): HelmChartOrigin {
  switch (source.kind) {
    case 'folder':
      return { kind: 'folder', path: joinPath(bundlePath, source.dir) || '.' };
    case 'templates':
      return { kind: 'generated', path: joinPath(bundlePath, 'templates') };
    case 'external': {
      const { repo, chart, version, isInRepository } = source.request;
      if (isInRepository) return { kind: 'archive', path: chart };
      if (/^oci:\/\//i.test(repo || chart)) {
        const ref = repo ? `${repo.replace(/\/+$/, '')}/${chart}` : chart;
        return { kind: 'oci', ref: withoutUserInfo(ref), version };
      }
      if (repo) return { kind: 'repository', url: withoutUserInfo(repo), chart, version };
      return { kind: 'url', url: withoutUserInfo(chart) };
    }
  }
}

/**
 * The chart and the (masked) values of one rendered copy. `values` are the merged user values
 * the renderer used, computed from the same inputs with Secret-sourced values masked first so
 * that no secret is ever part of the summary.
 */
export function describeHelmRender({
  chart,
  source,
  bundlePath,
  values,
}: {
  chart: Chart;
  source: HelmChartSource;
  bundlePath: string;
  values: Record<string, unknown>;
}): HelmRenderSummary {
  const masked = maskSecretValues(values) as Record<string, unknown>;
  const isShown = shownSize(masked) <= MAX_SHOWN_VALUES_BYTES;
  return {
    chart: {
      name: chart.metadata.name,
      version: chart.metadata.version,
      appVersion: chart.metadata.appVersion,
      origin: chartOriginOf(source, bundlePath),
    },
    values: isShown ? masked : null,
  };
}

function shownSize(values: Record<string, unknown>): number {
  try {
    return Buffer.byteLength(JSON.stringify(values), 'utf8');
  } catch {
    // A value with no JSON form (a bigint) cannot be stored or shown.
    return Number.POSITIVE_INFINITY;
  }
}
