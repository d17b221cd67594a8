import type { Bundle, BundleDeployment } from '@flotilla/db';
import { aggregateStates, type DeploymentState } from '@flotilla/engine';
import { githubCommitUrlTemplate } from '../gitrepos/serialize.ts';
import { bundleOptionsOf } from './bundle-options-column.ts';
import { bundlePinOf, type BundlePinDto } from './bundle-pin.ts';

export interface BundleDto {
  id: string;
  name: string;
  path: string;
  gitRepo: { id: string; name: string; url: string; commit: string | null };
  commit: string | null;
  /** The repository's web page for a commit (`{commit}` to replace), when it is on GitHub. */
  commitUrlTemplate: string | null;
  renderError: string;
  failedCommit: string | null;
  /** Why its dependsOn cannot be met (missing bundle, selector matching none, cycle); "" if it can. */
  dependencyError: string;
  isPaused: boolean;
  /** Paused in Git (options file) rather than in Flotilla. */
  isPausedInGit: boolean;
  hasOwnTargets: boolean;
  /**
   * An operator's rollback: deployments target `commit` here rather than the bundle's latest,
   * and newer commits are held back (`isHoldingBack` once Git moved past it); null when free.
   */
  pin: BundlePinDto | null;
  options: {
    namespace: string | null;
    defaultNamespace: string | null;
    kustomizeDir: string | null;
    correctDrift: boolean;
    keepResources: boolean;
    customizations: string[];
  };
  summary: Partial<Record<DeploymentState, number>>;
  state: DeploymentState | null;
  deployments: number;
}

export function toBundleDto(
  bundle: Bundle & { gitRepo: { id: string; name: string; url: string; commit: string | null } },
  deployments: Pick<BundleDeployment, 'state'>[],
): BundleDto {
  const options = bundleOptionsOf(bundle.options);
  const { state, counts } = aggregateStates(deployments.map((deployment) => deployment.state));
  return {
    id: bundle.id,
    name: bundle.name,
    path: bundle.path,
    gitRepo: {
      id: bundle.gitRepo.id,
      name: bundle.gitRepo.name,
      url: bundle.gitRepo.url,
      commit: bundle.gitRepo.commit,
    },
    commit: bundle.commit,
    commitUrlTemplate: githubCommitUrlTemplate(bundle.gitRepo.url),
    renderError: bundle.renderError,
    failedCommit: bundle.failedCommit,
    dependencyError: bundle.dependencyError,
    isPaused: bundle.paused || options.paused,
    isPausedInGit: options.paused,
    hasOwnTargets: bundle.targets !== null,
    pin: bundlePinOf(bundle),
    options: {
      namespace: options.namespace ?? null,
      defaultNamespace: options.defaultNamespace ?? null,
      kustomizeDir: options.kustomize?.dir ?? null,
      correctDrift: options.correctDrift?.enabled ?? false,
      keepResources: options.keepResources ?? false,
      customizations: options.targetCustomizations.map(
        (customization, index) => customization.name || `#${index}`,
      ),
    },
    summary: Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0)),
    state: state ?? null,
    deployments: deployments.length,
  };
}
