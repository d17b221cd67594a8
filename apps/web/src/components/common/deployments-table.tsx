import type { DeploymentDto } from '@/client/types.ts';
import { CommitLink } from '@/components/common/commit-link.tsx';
import { StateBadge } from '@/components/ui/badges.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { LINK_CLASS, Table, Td, Th } from '@/components/ui/table.tsx';
import Link from 'next/link';

/**
 * Deployments listed from one side: a cluster's (one row per bundle) or a bundle's (one row
 * per cluster). Each row opens the deployment view.
 */
export function DeploymentsTable({
  deployments,
  by,
}: {
  deployments: DeploymentDto[];
  by: 'bundle' | 'cluster';
}) {
  return (
    <Table label={by === 'bundle' ? 'Bundles on this cluster' : 'Clusters of this bundle'}>
      <thead>
        <tr>
          <Th>{by === 'bundle' ? 'Bundle' : 'Cluster'}</Th>
          <Th>State</Th>
          <Th>Message</Th>
          <Th>Applied commit</Th>
          <Th>Changed</Th>
        </tr>
      </thead>
      <tbody>
        {deployments.map((deployment) => (
          <tr key={deployment.id}>
            <Td>
              <Link href={`/deployments/${deployment.id}`} className={`${LINK_CLASS} break-all`}>
                {by === 'bundle' ? deployment.bundleName : deployment.clusterName}
              </Link>
            </Td>
            <Td>
              <StateBadge state={deployment.state} />
            </Td>
            <Td className="max-w-md text-xs break-words text-slate-700 dark:text-slate-300">
              {deployment.message || '—'}
            </Td>
            <Td>
              <CommitLink
                commit={deployment.appliedCommit}
                template={deployment.commitUrlTemplate}
              />
            </Td>
            <Td className="text-xs whitespace-nowrap">
              <RelativeTime iso={deployment.stateChangedAt} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
