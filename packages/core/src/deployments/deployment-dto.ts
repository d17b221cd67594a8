import type { BundleDeployment } from '@flotilla/db';
import { githubCommitUrlTemplate } from '../gitrepos/serialize.ts';
import {
  storedCounts,
  storedResources,
  type DeploymentCounts,
  type DeploymentResource,
} from './resources.ts';

export interface DeploymentDto {
  id: string;
  bundleId: string;
  bundleName: string;
  clusterId: string;
  clusterName: string;
  state: BundleDeployment['state'];
  message: string;
  customization: string;
  /** What Git says now (the bundle's latest revision for this cluster). */
  desiredRevision: string | null;
  desiredCommit: string | null;
  appliedRevision: string | null;
  appliedCommit: string | null;
  commitUrlTemplate: string | null;
  counts: Partial<DeploymentCounts>;
  resources: DeploymentResource[];
  lastError: string | null;
  lastAppliedAt: string | null;
  lastCheckedAt: string | null;
  stateChangedAt: string;
}

type Row = BundleDeployment & {
  bundle: { name: string; gitRepo: { url: string } };
  cluster: { name: string };
};

export function toDeploymentDto(row: Row): DeploymentDto {
  return {
    id: row.id,
    bundleId: row.bundleId,
    bundleName: row.bundle.name,
    clusterId: row.clusterId,
    clusterName: row.cluster.name,
    state: row.state,
    message: row.message,
    customization: row.customization,
    desiredRevision: row.targetHash ?? row.desiredHash,
    desiredCommit: row.targetCommit ?? row.desiredCommit,
    appliedRevision: row.appliedHash,
    appliedCommit: row.appliedCommit,
    commitUrlTemplate: githubCommitUrlTemplate(row.bundle.gitRepo.url),
    counts: storedCounts(row.counts),
    resources: storedResources(row.resources),
    lastError: row.lastError,
    lastAppliedAt: row.lastAppliedAt?.toISOString() ?? null,
    lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
    stateChangedAt: row.stateChangedAt.toISOString(),
  };
}

/** What a DeploymentDto needs beside the row itself. */
export const deploymentDtoInclude = {
  bundle: { select: { name: true, gitRepo: { select: { url: true } } } },
  cluster: { select: { name: true, connectionKind: true, labels: true } },
} as const;
