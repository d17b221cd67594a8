import {
  resolveDependencies,
  type BundleOptions,
  type DependencyBundle,
  type DependencyFacts,
} from '@flotilla/engine';
import type { CoreContext } from '../context.ts';
import { bundleOptionsOf } from './bundle-options-column.ts';

/** The bundles of a workspace that dependsOn may name: present, in a GitRepo not deleted. */
export async function loadDependencyBundles(
  ctx: Pick<CoreContext, 'db'>,
  workspaceId: string,
): Promise<DependencyBundle[]> {
  const rows = await ctx.db.bundle.findMany({
    where: { workspaceId, isPresent: true, gitRepo: { deletedAt: null } },
    select: {
      id: true,
      name: true,
      path: true,
      options: true,
      gitRepo: { select: { name: true } },
    },
  });
  return rows.map((row) => {
    const options = bundleOptionsOf(row.options);
    return {
      id: row.id,
      name: row.name,
      gitRepoName: row.gitRepo.name,
      path: row.path,
      labels: options.labels,
      dependsOn: options.dependsOn,
    };
  });
}

/**
 * What the plan of one bundle needs of its dependsOn: each dependency and the clusters where it
 * is in an accepted state (Ready unless acceptedStates says otherwise), or why they cannot be
 * met. Records that reason on the bundle (dependencyError) when it changed. Reads nothing for
 * a bundle without dependsOn.
 */
export async function loadDependencies({
  ctx,
  bundle,
  options,
}: {
  ctx: Pick<CoreContext, 'db'>;
  bundle: { id: string; workspaceId: string; dependencyError: string };
  options: Pick<BundleOptions, 'dependsOn'>;
}): Promise<DependencyFacts | undefined> {
  let facts: DependencyFacts | undefined;
  if (options.dependsOn.length > 0) {
    const resolution = resolveDependencies(
      bundle.id,
      await loadDependencyBundles(ctx, bundle.workspaceId),
    );
    const rows =
      resolution.error === null && resolution.dependencies.length > 0
        ? await ctx.db.bundleDeployment.findMany({
            where: { bundleId: { in: resolution.dependencies.map((dependency) => dependency.id) } },
            select: { bundleId: true, clusterId: true, state: true },
          })
        : [];
    facts = {
      error: resolution.error,
      dependencies: resolution.dependencies.map((dependency) => ({
        name: dependency.name,
        doneOn: new Set(
          rows
            .filter(
              (row) =>
                row.bundleId === dependency.id && dependency.acceptedStates.includes(row.state),
            )
            .map((row) => row.clusterId),
        ),
      })),
    };
  }
  const error = facts?.error ?? '';
  if (error !== bundle.dependencyError)
    await ctx.db.bundle.update({ where: { id: bundle.id }, data: { dependencyError: error } });
  return facts;
}
