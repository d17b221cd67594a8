import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { mergeMaps } from './coalesce-values.ts';
import { ChartError } from './errors.ts';
import { loadChart, readValuesFile } from './load-chart.ts';
import { parseSet } from './parse-set.ts';
import { formatHelmTemplate, renderChart } from './render-chart.ts';

export interface TemplateChartOptions {
  /** A chart folder or .tgz. */
  chart: string;
  releaseName: string;
  namespace: string;
  /** -f files, in order. */
  valuesFiles?: readonly string[];
  /** --set arguments, in order. */
  set?: readonly string[];
  /** --set-string arguments, in order. */
  setString?: readonly string[];
  kubeVersion?: string;
  apiVersions?: readonly string[];
  skipTests?: boolean;
  includeCrds?: boolean;
  /** Seed of the random functions; random when absent, as Helm's output is. */
  seed?: string;
}

/** Helm's value precedence for `helm template`: -f files in order, then --set, then --set-string. */
export async function readUserValues(
  options: Pick<TemplateChartOptions, 'valuesFiles' | 'set' | 'setString'>,
) {
  let values: Record<string, unknown> = {};
  for (const file of options.valuesFiles ?? []) {
    const data = await readFile(file).catch((error: Error) => {
      throw new ChartError(`cannot read values file ${file}: ${error.message}`, file);
    });
    values = mergeMaps(values, readValuesFile({ name: file, data }, file));
  }
  for (const arg of options.set ?? []) parseSet(arg, values);
  for (const arg of options.setString ?? []) parseSet(arg, values, true);
  return values;
}

/** `helm template`: loads a chart, renders it and prints what Helm prints. */
export async function templateChart(options: TemplateChartOptions): Promise<string> {
  const [chart, values] = await Promise.all([loadChart(options.chart), readUserValues(options)]);
  const rendered = renderChart(chart, {
    releaseName: options.releaseName,
    namespace: options.namespace,
    values,
    kubeVersion: options.kubeVersion,
    apiVersions: options.apiVersions,
    seed: options.seed ?? randomBytes(16).toString('hex'),
  });
  return formatHelmTemplate(rendered, {
    skipTests: options.skipTests,
    includeCrds: options.includeCrds,
  });
}
