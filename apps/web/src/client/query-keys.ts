import type { LiveUpdate } from '@flotilla/jobs';

/**
 * Query keys, hierarchical so that one prefix refreshes a whole area: ['bundle', id] covers the
 * bundle, its targets and its deployments.
 */
export const keys = {
  session: ['session'] as const,
  workspaces: ['workspaces'] as const,
  matrix: (filters: { selector: string; bundle: string }) => ['matrix', filters] as const,
  clusters: (selector: string) => ['clusters', { selector }] as const,
  clusterPicker: ['clusters', 'picker'] as const,
  cluster: (id: string) => ['cluster', id] as const,
  clusterDeployments: (id: string) => ['cluster', id, 'deployments'] as const,
  clusterGroups: ['cluster-groups'] as const,
  clusterGroup: (id: string) => ['cluster-groups', id] as const,
  selectorPreview: (selector: unknown) => ['preview', 'selector', selector] as const,
  targetsPreview: (targets: unknown) => ['preview', 'targets', targets] as const,
  gitRepos: ['gitrepos'] as const,
  gitRepo: (id: string) => ['gitrepo', id] as const,
  bundles: ['bundles'] as const,
  bundle: (id: string) => ['bundle', id] as const,
  bundleTargets: (id: string) => ['bundle', id, 'targets'] as const,
  bundleDeployments: (id: string) => ['bundle', id, 'deployments'] as const,
  deployment: (id: string) => ['deployment', id] as const,
  deploymentHistory: (id: string) => ['deployment', id, 'history'] as const,
  events: (filters: Record<string, string>) => ['events', filters] as const,
  tokens: ['tokens'] as const,
  members: ['members'] as const,
  audit: (filters: Record<string, string>) => ['audit', filters] as const,
};

/**
 * Which cached queries a live update makes stale. Returned as key prefixes; the caller
 * de-duplicates them over a short window, since one monitor pass can report hundreds.
 */
export function keysToRefresh(update: LiveUpdate): (readonly unknown[])[] {
  switch (update.type) {
    case 'deployment':
      return [
        ['matrix'],
        ['deployment', update.deploymentId],
        ['bundle', update.bundleId],
        ['bundles'],
        ['cluster', update.clusterId],
        ['events'],
      ];
    case 'cluster':
      return [
        ['clusters'],
        ['cluster', update.clusterId],
        ['matrix'],
        ['preview'],
        ['cluster-groups'],
      ];
    case 'gitrepo':
      return [['gitrepos'], ['gitrepo', update.gitRepoId], ['bundles'], ['matrix']];
    case 'bundle':
      return [['bundles'], ['bundle', update.bundleId], ['matrix'], ['gitrepo'], ['gitrepos']];
    case 'event':
      return [['events']];
  }
}
