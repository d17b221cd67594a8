'use client';

import { apiFetch } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { deploymentStateLook } from '@/client/states.ts';
import type { BundleDetailDto, DeploymentDto } from '@/client/types.ts';
import { Tag } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { LINK_CLASS, MUTED, Table, Td, Th } from '@/components/ui/table.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';

type Rollout = NonNullable<BundleDetailDto['rollout']>;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** "Halted: partition 2 of 4, 3 clusters failing", as the RolloutHalted event says it. */
export function haltTitle(halted: NonNullable<Rollout['halted']>): string {
  return `Halted: partition ${halted.partition} of ${halted.of}, ${plural(halted.failing.length, 'cluster')} failing`;
}

/** Cells drawn per partition; a larger partition says how many more it has. */
const MAX_CELLS = 200;

/**
 * One cell per cluster of a partition, in rollout order: its state (icon and colour) and the
 * commit it runs, linking to the deployment. Clusters whose deployment is not loaded (a long
 * list is paged) are not drawn.
 */
function PartitionCells({
  clusterIds,
  byCluster,
}: {
  clusterIds: readonly string[];
  byCluster: ReadonlyMap<string, DeploymentDto>;
}) {
  const shown = clusterIds.flatMap((clusterId) => byCluster.get(clusterId) ?? []);
  const rest = clusterIds.length - Math.min(shown.length, MAX_CELLS);
  return (
    <span className="flex max-w-xl flex-wrap gap-0.5">
      {shown.slice(0, MAX_CELLS).map((deployment) => {
        const look = deploymentStateLook(deployment.state);
        const on = deployment.appliedCommit ? deployment.appliedCommit.slice(0, 7) : 'nothing yet';
        const label = `${deployment.clusterName}: ${look.label}, runs ${on}`;
        return (
          <Link
            key={deployment.id}
            href={`/deployments/${deployment.id}`}
            aria-label={label}
            title={label}
            className={`inline-flex h-5 w-5 items-center justify-center rounded text-[10px] ring-1 ring-inset ${look.tone}`}
          >
            <span aria-hidden="true">{look.icon}</span>
          </Link>
        );
      })}
      {rest > 0 ? <span className={`${MUTED} text-xs`}>+{rest}</span> : null}
    </span>
  );
}

/** How far the partition is: clusters up to date out of all, as a bar and in words. */
function PartitionProgress({ upToDate, clusters }: { upToDate: number; clusters: number }) {
  const percent = clusters === 0 ? 100 : Math.round((upToDate / clusters) * 100);
  return (
    <span className="flex items-center gap-2">
      <span
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={clusters}
        aria-valuenow={upToDate}
        aria-label={`${upToDate} of ${clusters} up to date`}
        className="h-1.5 w-20 overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
      >
        <span
          className="block h-full bg-emerald-600 dark:bg-emerald-400"
          style={{ width: `${percent}%` }}
        />
      </span>
      {upToDate}/{clusters}
    </span>
  );
}

/**
 * The bundle's rollout: one row per partition (its clusters as cells, how far it is), and when
 * failures halted it, a banner naming the failing clusters with Promote (go on past the
 * partition) and Retry (deploy them again) for operators.
 */
export function RolloutPanel({
  bundleId,
  rollout,
  canOperate,
  deployments = [],
}: {
  bundleId: string;
  rollout: Rollout;
  canOperate: boolean;
  /** The bundle's deployments as loaded on the page, for the cells. */
  deployments?: readonly DeploymentDto[];
}) {
  const byCluster = new Map(deployments.map((deployment) => [deployment.clusterId, deployment]));
  const queryClient = useQueryClient();
  const action = useMutation({
    mutationFn: (what: 'promote' | 'retry') =>
      apiFetch<BundleDetailDto>(`/bundles/${bundleId}/rollout/${what}`, { method: 'POST' }),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.bundle(bundleId), updated);
      void queryClient.invalidateQueries({ queryKey: keys.bundleDeployments(bundleId) });
    },
  });
  const { halted } = rollout;
  return (
    <div className="space-y-3">
      {halted ? (
        <div
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100"
        >
          <p className="font-medium">
            <span aria-hidden="true">‖ </span>
            {haltTitle(halted)}
          </p>
          <p>
            The failing clusters of partition “{halted.name}” use up what it may have unavailable:
            the partitions after it get nothing new until the failures clear or the rollout is
            promoted.
          </p>
          <ul className="mt-1 list-disc pl-5" aria-label="Failing clusters">
            {halted.failing.map((cluster) => (
              <li key={cluster.clusterId}>
                <Link href={`/clusters/${cluster.clusterId}`} className={LINK_CLASS}>
                  {cluster.clusterName}
                </Link>
                {cluster.message ? <span>: {cluster.message}</span> : null}
              </li>
            ))}
          </ul>
          {canOperate ? (
            <div className="mt-2 flex flex-wrap gap-2">
              <Button
                variant="primary"
                disabled={action.isPending}
                onClick={() => action.mutate('promote')}
              >
                Promote past partition {halted.partition}
              </Button>
              <Button disabled={action.isPending} onClick={() => action.mutate('retry')}>
                Retry failing clusters
              </Button>
            </div>
          ) : null}
        </div>
      ) : null}
      <ProblemAlert error={action.error} />
      <Table label="Rollout partitions">
        <thead>
          <tr>
            <Th>Partition</Th>
            <Th>Clusters</Th>
            <Th>Up to date</Th>
            <Th>Ready</Th>
            <Th>Failing</Th>
            <Th>Waiting</Th>
          </tr>
        </thead>
        <tbody>
          {rollout.partitions.map((partition, index) => (
            <tr key={`${index}-${partition.name}`}>
              <Td>
                <span className="inline-flex flex-wrap items-center gap-2">
                  {partition.name}
                  {halted?.partition === index + 1 ? <Tag tone="warning">halted</Tag> : null}
                  {partition.isPromoted ? <Tag>promoted</Tag> : null}
                </span>
              </Td>
              <Td>
                <span className="flex flex-col gap-1">
                  {partition.clusters}
                  <PartitionCells clusterIds={partition.clusterIds} byCluster={byCluster} />
                </span>
              </Td>
              <Td>
                <PartitionProgress upToDate={partition.upToDate} clusters={partition.clusters} />
              </Td>
              <Td>{partition.ready}</Td>
              <Td
                className={
                  partition.failing > 0 ? 'font-medium text-red-800 dark:text-red-300' : ''
                }
              >
                {partition.failing}
              </Td>
              <Td className={MUTED}>
                {partition.isWaiting
                  ? 'whole partition waits'
                  : partition.waiting > 0
                    ? plural(partition.waiting, 'cluster')
                    : '—'}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
