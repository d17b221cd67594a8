/** A file of a chart, named by its slash-separated path inside the chart. */
export interface ChartFile {
  name: string;
  data: Buffer;
}

/** One entry of Chart.yaml's `dependencies:`. */
export interface ChartDependency {
  name: string;
  version: string;
  repository: string;
  condition: string;
  tags: string[];
  alias: string;
  enabled: boolean;
  importValues: unknown[];
}

/** Chart.yaml, with the fields Helm's chart.Metadata knows. */
export interface ChartMetadata {
  apiVersion: string;
  name: string;
  version: string;
  appVersion: string;
  description: string;
  type: string;
  kubeVersion: string;
  home: string;
  icon: string;
  keywords: string[];
  sources: string[];
  maintainers: { name: string; email: string; url: string }[];
  annotations: Record<string, string>;
  deprecated: boolean;
  condition: string;
  tags: string;
  dependencies: ChartDependency[];
}

/** A loaded chart: what Helm's loader makes of a folder or a .tgz. */
export interface Chart {
  metadata: ChartMetadata;
  /** values.yaml, in Helm's value model (numbers are float64). */
  values: Record<string, unknown>;
  /** values.schema.json, parsed, when present. */
  schema: unknown;
  templates: ChartFile[];
  /** Every other file (what `.Files` sees), crds/ included. */
  files: ChartFile[];
  dependencies: Chart[];
  /** Set while rendering: the chart this one is a dependency of. */
  parent: Chart | null;
}

export function isLibraryChart(chart: Chart): boolean {
  return chart.metadata.type === 'library';
}

/** Helm's ChartFullPath: parent/charts/child for a dependency. */
export function chartFullPath(chart: Chart): string {
  return chart.parent
    ? `${chartFullPath(chart.parent)}/charts/${chart.metadata.name}`
    : chart.metadata.name;
}

/** The chart's crds/ objects (Helm's CRDObjects): YAML and JSON files right under crds/. */
export function crdFiles(chart: Chart): ChartFile[] {
  return chart.files.filter((f) => f.name.startsWith('crds/') && /\.(ya?ml|json)$/.test(f.name));
}
