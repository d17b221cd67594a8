import type { BundleDeployment, Cluster, DeploymentStatusRow, Prisma } from '@flotilla/db';
import { assessDeployments, type KubeObject } from '@flotilla/engine';
import { withOwnership } from '@flotilla/kube';
import { bundleOptionsOf } from '../bundles/bundle-options-column.ts';
import type { StateChange } from '../events/record-events.ts';
import type { Revision } from './revision-cache.ts';

/** What assessing needs to know of a deployment's bundle. */
export interface BundleFacts {
  id: string;
  paused: boolean;
  options: unknown;
}

/** What an assessment found: the rows to write and the state changes to record. */
export interface AppliedAssessment {
  rows: DeploymentStatusRow[];
  changes: StateChange[];
  toCorrect: string[];
  unsettled: number;
}

/**
 * Stored deployments, their revisions and what is live, through the engine's
 * assessDeployments: the objects as applied (with Flotilla's ownership labels) are what live is
 * compared with. Reads nothing, writes nothing.
 */
export function assessApplied({
  cluster,
  deployments,
  revisions,
  bundles,
  live,
  now,
  emptyRevisions = new Set(),
  syncWindowHold = null,
}: {
  cluster: Pick<Cluster, 'workspaceId'>;
  /** Applied, not orphaned. */
  deployments: readonly BundleDeployment[];
  revisions: ReadonlyMap<string, Revision>;
  bundles: readonly BundleFacts[];
  live: {
    objects: readonly KubeObject[];
    errors: readonly { apiVersion: string; kind: string }[];
  };
  now: Date;
  /** Target revisions with no objects: a deployment behind on one may be held (allowEmpty=false). */
  emptyRevisions?: ReadonlySet<string>;
  /** A sync window holds changes to the cluster now: no drift correction, behind reads as held. */
  syncWindowHold?: { until: Date | null } | null;
}): AppliedAssessment {
  const bundleById = new Map(bundles.map((bundle) => [bundle.id, bundle]));
  const applied = deployments.flatMap((deployment) => {
    const revision = deployment.appliedHash ? revisions.get(deployment.appliedHash) : undefined;
    if (!revision) return [];
    const bundle = bundleById.get(deployment.bundleId);
    const ownership = { workspaceId: cluster.workspaceId, bundleId: deployment.bundleId };
    const options = bundleOptionsOf(bundle?.options);
    const { targetHash } = deployment;
    return [
      {
        ...deployment,
        isPaused: (bundle?.paused ?? false) || options.paused,
        isPruneHeld:
          targetHash !== null &&
          targetHash !== deployment.appliedHash &&
          emptyRevisions.has(targetHash) &&
          deployment.pruneConfirmedHash !== targetHash &&
          options.allowEmpty !== true,
        desired: revision.objects.map((object) => withOwnership(object, ownership)),
        comparePatches: revision.deployOptions.comparePatches ?? [],
        isDriftCorrected: revision.deployOptions.correctDrift?.enabled === true,
        syncWindowHold,
      },
    ];
  });
  const workspaceOf = new Map(deployments.map((deployment) => [deployment.id, deployment]));
  const assessment = assessDeployments({ deployments: applied, live, now });
  return {
    rows: assessment.rows.map((row) => ({
      ...row,
      counts: { ...row.counts },
      resources: row.resources as unknown as Prisma.InputJsonValue,
    })),
    changes: assessment.changes.map((change) => ({
      ...change,
      workspaceId: workspaceOf.get(change.deploymentId)?.workspaceId ?? cluster.workspaceId,
    })),
    toCorrect: assessment.toCorrect,
    unsettled: assessment.unsettled,
  };
}
