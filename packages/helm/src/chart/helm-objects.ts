import { compareGoStrings } from '../template/values.ts';
import { toYaml } from '../sprig/serialize.ts';
import type { Chart, ChartFile } from './types.ts';

/** filepath.Match-style glob with `**` for any depth, as gobwas/glob does for `.Files.Glob`. */
function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*' && pattern[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '{') out += '(?:';
    else if (ch === '}') out += ')';
    else if (ch === ',' && out.includes('(?:')) out += '|';
    else if (ch === '[' || ch === ']') out += ch;
    else out += ch.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * `.Files`: the chart's non-template files, with Helm's methods. Methods are own function
 * properties, which the template engine calls as Go methods.
 */
export class Files {
  readonly Get: (name: unknown) => string;
  readonly GetBytes: (name: unknown) => Uint8Array;
  readonly Glob: (pattern: unknown) => Files;
  readonly Lines: (name: unknown) => string[];
  readonly AsConfig: () => string;
  readonly AsSecrets: () => string;

  constructor(files: readonly ChartFile[]) {
    const byName = new Map(files.map((f) => [f.name, f.data]));
    this.Get = (name) => byName.get(String(name))?.toString('utf8') ?? '';
    this.GetBytes = (name) => new Uint8Array(byName.get(String(name)) ?? []);
    this.Glob = (pattern) => {
      const re = globToRegExp(String(pattern));
      return new Files(files.filter((f) => re.test(f.name)));
    };
    this.Lines = (name) => {
      const text = byName.get(String(name))?.toString('utf8');
      if (text === undefined) return [];
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      return lines;
    };
    const byBase = (encode: (data: Buffer) => string): string => {
      const out: Record<string, string> = {};
      for (const f of files) out[f.name.split('/').pop() ?? f.name] = encode(f.data);
      return Object.keys(out).length === 0 ? '' : toYaml(out);
    };
    this.AsConfig = () => byBase((d) => d.toString('utf8'));
    this.AsSecrets = () => byBase((d) => d.toString('base64'));
  }
}

/** `.Capabilities.KubeVersion`. */
export class KubeVersion {
  readonly Version: string;
  readonly Major: string;
  readonly Minor: string;
  readonly GitVersion: string;
  constructor(version: string) {
    const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(version.trim());
    if (!match) throw new Error(`invalid kube version "${version}"`);
    const [, major = '0', minor = '0', patch = '0', rest = ''] = match;
    this.Version = `v${Number(major)}.${Number(minor)}.${Number(patch)}${rest}`;
    this.Major = String(Number(major));
    this.Minor = String(Number(minor));
    this.GitVersion = this.Version;
  }
  toString(): string {
    return this.Version;
  }
}

/** `.Capabilities.APIVersions`: a list of group/versions with Has. */
export class VersionSet {
  readonly Has: (version: unknown) => boolean;
  constructor(readonly versions: readonly string[]) {
    const set = new Set(versions);
    this.Has = (version) => set.has(String(version));
  }
}

/**
 * The API versions Helm knows without a cluster (chartutil.DefaultVersionSet: every group/version
 * of client-go's scheme at Helm v3.17, Kubernetes 1.32, plus apiextensions).
 */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1',
  'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/v1alpha1',
  'admissionregistration.k8s.io/v1beta1',
  'internal.apiserver.k8s.io/v1alpha1',
  'apps/v1',
  'apps/v1beta1',
  'apps/v1beta2',
  'authentication.k8s.io/v1',
  'authentication.k8s.io/v1alpha1',
  'authentication.k8s.io/v1beta1',
  'authorization.k8s.io/v1',
  'authorization.k8s.io/v1beta1',
  'autoscaling/v1',
  'autoscaling/v2',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'batch/v1',
  'batch/v1beta1',
  'certificates.k8s.io/v1',
  'certificates.k8s.io/v1alpha1',
  'certificates.k8s.io/v1beta1',
  'coordination.k8s.io/v1',
  'coordination.k8s.io/v1alpha2',
  'coordination.k8s.io/v1beta1',
  'discovery.k8s.io/v1',
  'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1',
  'events.k8s.io/v1beta1',
  'extensions/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'flowcontrol.apiserver.k8s.io/v1beta3',
  'networking.k8s.io/v1',
  'networking.k8s.io/v1alpha1',
  'networking.k8s.io/v1beta1',
  'node.k8s.io/v1',
  'node.k8s.io/v1alpha1',
  'node.k8s.io/v1beta1',
  'policy/v1',
  'policy/v1beta1',
  'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/v1alpha1',
  'rbac.authorization.k8s.io/v1beta1',
  'resource.k8s.io/v1alpha3',
  'resource.k8s.io/v1beta1',
  'scheduling.k8s.io/v1',
  'scheduling.k8s.io/v1alpha1',
  'scheduling.k8s.io/v1beta1',
  'storage.k8s.io/v1',
  'storage.k8s.io/v1alpha1',
  'storage.k8s.io/v1beta1',
  'storagemigration.k8s.io/v1alpha1',
  'apiextensions.k8s.io/v1',
  'apiextensions.k8s.io/v1beta1',
];

/** Helm v3.17's default Kubernetes version for `helm template` without --kube-version. */
export const DEFAULT_KUBE_VERSION = 'v1.32.0';
export const HELM_VERSION = 'v3.17.1';

/** `.Capabilities`. */
export class Capabilities {
  declare readonly KubeVersion: KubeVersion;
  declare readonly APIVersions: VersionSet;
  readonly HelmVersion: Record<string, string>;
  /**
   * `onClusterRead` is told when a template reads KubeVersion or APIVersions, the two fields
   * that describe the target cluster: a render that read neither is the same for every cluster.
   */
  constructor(kubeVersion: string, apiVersions: readonly string[], onClusterRead?: () => void) {
    const kube = new KubeVersion(kubeVersion);
    const versions = new VersionSet(apiVersions);
    // Own enumerable getters, so that `toYaml .Capabilities` still sees both fields.
    Object.defineProperty(this, 'KubeVersion', {
      enumerable: true,
      get: () => (onClusterRead?.(), kube),
    });
    Object.defineProperty(this, 'APIVersions', {
      enumerable: true,
      get: () => (onClusterRead?.(), versions),
    });
    // helmversion.BuildInfo, read by its Go field names (traefik checks .Version).
    this.HelmVersion = {
      Version: HELM_VERSION,
      GitCommit: '',
      GitTreeState: 'clean',
      GoVersion: 'go1.23',
    };
  }
}

/** `.Chart`: chart.Metadata with Helm's Go field names, and IsRoot. */
export class ChartObject {
  readonly Name: string;
  readonly Home: string;
  readonly Sources: string[];
  readonly Version: string;
  readonly Description: string;
  readonly Keywords: string[];
  readonly Maintainers: Record<string, string>[];
  readonly Icon: string;
  readonly APIVersion: string;
  readonly Condition: string;
  readonly Tags: string;
  readonly AppVersion: string;
  readonly Deprecated: boolean;
  readonly Annotations: Record<string, string>;
  readonly KubeVersion: string;
  readonly Dependencies: Record<string, unknown>[];
  readonly Type: string;
  readonly IsRoot: boolean;
  constructor(chart: Chart) {
    const m = chart.metadata;
    this.Name = m.name;
    this.Home = m.home;
    this.Sources = m.sources;
    this.Version = m.version;
    this.Description = m.description;
    this.Keywords = m.keywords;
    this.Maintainers = m.maintainers.map((x) => ({ name: x.name, email: x.email, url: x.url }));
    this.Icon = m.icon;
    this.APIVersion = m.apiVersion;
    this.Condition = m.condition;
    this.Tags = m.tags;
    this.AppVersion = m.appVersion;
    this.Deprecated = m.deprecated;
    this.Annotations = m.annotations;
    this.KubeVersion = m.kubeVersion;
    this.Dependencies = m.dependencies.map((d) => ({
      name: d.name,
      version: d.version,
      repository: d.repository,
      condition: d.condition,
      tags: d.tags,
      enabled: d.enabled,
      alias: d.alias,
    }));
    this.Type = m.type;
    this.IsRoot = chart.parent === null;
  }
}

export function sortedFileNames(files: readonly ChartFile[]): string[] {
  return files.map((f) => f.name).sort(compareGoStrings);
}
