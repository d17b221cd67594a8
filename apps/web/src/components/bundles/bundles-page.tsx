'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { shortSha } from '@/client/format.ts';
import { keys } from '@/client/query-keys.ts';
import { DEPLOYMENT_STATES, deploymentStateLook } from '@/client/states.ts';
import type { BundleDto } from '@/client/types.ts';
import { StateBadge, Tag } from '@/components/ui/badges.tsx';
import { ButtonLink } from '@/components/ui/button.tsx';
import { EmptyState, Loading, PageHeader } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { LINK_CLASS, Table, Td, Th } from '@/components/ui/table.tsx';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';

function Counts({ summary }: { summary: BundleDto['summary'] }) {
  const parts = DEPLOYMENT_STATES.filter((state) => (summary[state] ?? 0) > 0).map((state) => {
    const look = deploymentStateLook(state);
    return `${look.icon} ${summary[state]} ${look.label}`;
  });
  return (
    <span className="text-xs text-slate-700 dark:text-slate-300">{parts.join(' · ') || '—'}</span>
  );
}

export function BundlesPage() {
  const bundles = useQuery({
    queryKey: keys.bundles,
    queryFn: () => apiFetch<Page<BundleDto>>('/bundles'),
  });
  return (
    <>
      <PageHeader
        title="Bundles"
        description="Each folder of a connected repository is a bundle, deployed to the clusters its targets select."
      />
      {bundles.isPending ? <Loading what="Loading bundles" /> : null}
      {bundles.error ? <ProblemAlert error={bundles.error} /> : null}
      {bundles.data && bundles.data.items.length === 0 ? (
        <EmptyState
          title="No bundles yet"
          actions={
            <ButtonLink href="/gitrepos?connect=1" variant="primary">
              Connect a repository
            </ButtonLink>
          }
        >
          Bundles appear once a connected repository has been fetched.
        </EmptyState>
      ) : null}
      {bundles.data && bundles.data.items.length > 0 ? (
        <Table label="Bundles">
          <thead>
            <tr>
              <Th>Bundle</Th>
              <Th>Repository / path</Th>
              <Th>Commit</Th>
              <Th>State</Th>
              <Th>Clusters</Th>
            </tr>
          </thead>
          <tbody>
            {bundles.data.items.map((bundle) => (
              <tr key={bundle.id}>
                <Td>
                  <Link href={`/bundles/${bundle.id}`} className={`${LINK_CLASS} break-all`}>
                    {bundle.name}
                  </Link>
                  <div className="mt-1 flex flex-wrap gap-1">
                    {bundle.isPaused ? <Tag tone="warning">‖ paused</Tag> : null}
                    {bundle.hasOwnTargets ? <Tag>own targets</Tag> : null}
                    {bundle.renderError ? <Tag tone="warning">⚠ render failed</Tag> : null}
                    {bundle.dependencyError ? <Tag tone="warning">⚠ dependsOn unmet</Tag> : null}
                  </div>
                </Td>
                <Td>
                  <Link href={`/gitrepos/${bundle.gitRepo.id}`} className={LINK_CLASS}>
                    {bundle.gitRepo.name}
                  </Link>
                  <code className="block font-mono text-xs text-slate-700 dark:text-slate-300">
                    {bundle.path || '/'}
                  </code>
                </Td>
                <Td>
                  <code className="font-mono text-xs" title={bundle.commit ?? ''}>
                    {shortSha(bundle.commit)}
                  </code>
                </Td>
                <Td>
                  {bundle.state ? (
                    <StateBadge state={bundle.state} />
                  ) : (
                    <span className="text-xs text-slate-600 dark:text-slate-400">not deployed</span>
                  )}
                </Td>
                <Td>
                  <span className="mr-2 tabular-nums">{bundle.deployments}</span>
                  <Counts summary={bundle.summary} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </>
  );
}
