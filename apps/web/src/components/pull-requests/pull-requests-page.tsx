'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { relativeTime, shortSha } from '@/client/format.ts';
import { checkConclusionLook } from '@/client/states.ts';
import { LookBadge, Tag } from '@/components/ui/badges.tsx';
import { EmptyState, Loading, PageHeader } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { Table, Td, Th } from '@/components/ui/table.tsx';
import type { PullRequestPreviewSummaryDto } from '@flotilla/core';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';

/** Open pull requests of the workspace's GitHub-connected repos, with what each would change. */
export function PullRequestsPage() {
  const previews = useQuery({
    queryKey: ['pull-requests'],
    queryFn: () => apiFetch<Page<PullRequestPreviewSummaryDto>>('/pull-requests'),
    refetchInterval: 5000,
  });
  return (
    <>
      <PageHeader
        title="Pull requests"
        description="What each open pull request would change on the fleet: its bundles rendered at the PR head and compared with what every targeted cluster should run now. Nothing from a pull request is ever applied."
      />
      {previews.isPending ? <Loading what="Loading pull requests" /> : null}
      {previews.error ? (
        <ProblemAlert error={previews.error} onRetry={() => void previews.refetch()} />
      ) : null}
      {previews.data && previews.data.items.length === 0 ? (
        <EmptyState title="No open pull requests">
          Connect a Git repo to GitHub and send its <code>pull_request</code> webhook events to
          Flotilla: each PR then gets a preview here and a &quot;Flotilla preview&quot; check on
          GitHub.
        </EmptyState>
      ) : null}
      {previews.data && previews.data.items.length > 0 ? (
        <Table label="Open pull requests">
          <thead>
            <tr>
              <Th>Repo</Th>
              <Th>Pull request</Th>
              <Th>Head</Th>
              <Th>Check</Th>
              <Th>Bundles changed</Th>
              <Th>Clusters affected</Th>
              <Th>Objects</Th>
              <Th>Updated</Th>
            </tr>
          </thead>
          <tbody>
            {previews.data.items.map((preview) => (
              <tr key={preview.id} data-testid="pull-request-row">
                <Td className="break-all">
                  <Link className="underline" href={`/gitrepos/${preview.gitRepo.id}`}>
                    {preview.gitRepo.name}
                  </Link>
                </Td>
                <Td className="break-words">
                  <Link className="font-medium underline" href={`/pull-requests/${preview.id}`}>
                    #{preview.number} {preview.title}
                  </Link>{' '}
                  {preview.isFork ? <Tag tone="warning">fork</Tag> : null}
                </Td>
                <Td>
                  <code className="font-mono text-xs">{shortSha(preview.headSha)}</code>
                </Td>
                <Td>
                  <LookBadge
                    look={checkConclusionLook(preview.conclusion)}
                    title={preview.lastError || preview.summary}
                  />
                </Td>
                <Td className="text-xs break-all">{preview.bundlesChanged.join(', ') || '—'}</Td>
                <Td className="text-xs break-all">
                  {preview.clustersAffected.length === 0
                    ? '—'
                    : `${preview.clustersAffected.length}: ${preview.clustersAffected.join(', ')}`}
                </Td>
                <Td className="text-xs whitespace-nowrap">
                  +{preview.objects.added} ~{preview.objects.changed} −{preview.objects.removed}
                </Td>
                <Td className="text-xs whitespace-nowrap">{relativeTime(preview.updatedAt)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </>
  );
}
