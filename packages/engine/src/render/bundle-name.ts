import { createHash } from 'node:crypto';

const DISALLOWED = /[^a-zA-Z0-9-]+/g;
const HELM_RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Helm's limit on release names, which Fleet applies to bundle names. */
const MAX_NAME_LENGTH = 53;

/**
 * The bundle name Fleet derives from a bundle's path (names.HelmReleaseName), without Fleet's
 * GitRepo-name prefix: "multi-cluster/manifests" -> "multi-cluster-manifests". Names that had
 * to change case or characters get a hash suffix so two paths cannot collapse into one name.
 * The repository root, which Fleet names after the GitRepo alone, is "root".
 */
export function bundleNameOf(path: string): string {
  return path === '' ? 'root' : helmReleaseName(path);
}

/** Fleet's names.HelmReleaseName: a valid Helm release name of at most 53 characters. */
export function helmReleaseName(input: string): string {
  let name = input.replaceAll('/', '-');
  if (name !== name.toLowerCase() || new RegExp(DISALLOWED.source).test(name)) {
    name = `${name}-${md5Hex(name, 8)}`;
  }
  name = name
    .toLowerCase()
    .replace(DISALLOWED, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (HELM_RELEASE_NAME.test(name) && DNS_LABEL.test(name)) return limit(name, MAX_NAME_LENGTH);
  return md5Hex(input, 24);
}

/** Fleet's names.Limit: cut long names and end them with a short hash of the whole. */
function limit(name: string, count: number): string {
  if (name.length <= count) return name;
  const hashLength = 5;
  const kept = count - hashLength - 1;
  const separator = name[kept - 1] === '-' ? '' : '-';
  return `${name.slice(0, kept)}${separator}${md5Hex(name, hashLength)}`;
}

function md5Hex(text: string, length: number): string {
  // MD5 because Fleet uses it here: names must match Fleet's, this is not a security boundary.
  return createHash('md5').update(text).digest('hex').slice(0, length);
}
