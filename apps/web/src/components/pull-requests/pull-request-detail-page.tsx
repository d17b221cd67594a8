'use client';

import { apiFetch } from '@/client/api.ts';
import { shortSha } from '@/client/format.ts';
import { checkConclusionLook } from '@/client/states.ts';
import { DiffViewer } from '@/components/deployments/diff-viewer.tsx';
import { LookBadge, Tag } from '@/components/ui/badges.tsx';
import { Facts, Loading, PageHeader, Section } from '@/components/ui/layout.tsx';
import { LoadFailure } from '@/components/ui/load-failure.tsx';
import { Table, Td, Th } from '@/components/ui/table.tsx';
import type { PullRequestPreviewDto } from '@flotilla/core';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';

const SIDES = {
  removed: 'desired now',
  added: 'with this pull request',
  spoken: ['desired now', 'with the pull request'] as [string, string],
};

const customizationLabel = (name: string) => (name === '' ? 'defaults' : name);

/** One preview: per bundle and customization, the clusters it would change and the diffs. */
export function PullRequestDetailPage({ id }: { id: string }) {
  const preview = useQuery({
    queryKey: ['pull-requests', id],
    queryFn: () => apiFetch<PullRequestPreviewDto>(`/pull-requests/${id}`),
    refetchInterval: (query) => (query.state.data?.state === 'Pending' ? 2000 : false),
  });
  if (preview.isPending) return <Loading what="Loading the preview" />;
  if (preview.error)
    return (
      <LoadFailure
        error={preview.error}
        what="Pull request preview"
        backHref="/pull-requests"
        backLabel="Back to the pull requests"
        onRetry={() => void preview.refetch()}
        isRetrying={preview.isFetching}
      />
    );
  const data = preview.data;
  return (
    <>
      <PageHeader
        title={
          <>
            #{data.number} {data.title}
          </>
        }
        description={
          <Link className="underline" href="/pull-requests">
            All pull requests
          </Link>
        }
      />
      <Section title="Preview">
        <Facts
          items={[
            [
              'Repo',
              <Link key="repo" className="underline" href={`/gitrepos/${data.gitRepo.id}`}>
                {data.gitRepo.name}
              </Link>,
            ],
            [
              'Head',
              <code key="head" className="font-mono text-xs">
                {shortSha(data.headSha)}
              </code>,
            ],
            [
              'Base',
              <code key="base" className="font-mono text-xs">
                {shortSha(data.baseSha)}
              </code>,
            ],
            [
              'Check',
              <span key="check" className="flex flex-wrap items-center gap-2">
                <LookBadge look={checkConclusionLook(data.conclusion)} /> {data.summary}
              </span>,
            ],
            ['State', data.isOpen ? 'open' : 'closed'],
            ...(data.isFork
              ? ([
                  [
                    'Fork',
                    <span key="fork">
                      <Tag tone="warning">fork</Tag> rendered without any secret: copies that need
                      chart credentials, valuesFrom or cluster reads are not rendered
                    </span>,
                  ],
                ] as [string, ReactNode][])
              : []),
            ...(data.lastError ? ([['GitHub', data.lastError]] as [string, ReactNode][]) : []),
          ]}
        />
      </Section>
      {data.bundles.length === 0 && data.state !== 'Pending' ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          This pull request changes no bundle.
        </p>
      ) : null}
      {data.bundles.map((bundle) => (
        <Section
          key={bundle.bundleId}
          id={`bundle-${bundle.bundleId}`}
          title={
            <>
              {bundle.bundleName}{' '}
              <code className="font-mono text-xs font-normal">{bundle.path || '.'}</code>
            </>
          }
        >
          {bundle.error ? (
            <p role="alert" className="mb-3 text-sm text-red-800 dark:text-red-300">
              {bundle.error}
            </p>
          ) : null}
          <Table label={`Customizations of ${bundle.bundleName}`}>
            <thead>
              <tr>
                <Th>Customization</Th>
                <Th>Clusters</Th>
                <Th>Result</Th>
              </tr>
            </thead>
            <tbody>
              {bundle.customizations.map((customization) => {
                const changes = customization.groups.reduce((n, g) => n + g.changes.length, 0);
                return (
                  <tr key={customization.name}>
                    <Td>{customizationLabel(customization.name)}</Td>
                    <Td className="text-xs break-all">{customization.clusters.join(', ')}</Td>
                    <Td className="text-xs">
                      {customization.error ? (
                        <span className="text-red-800 dark:text-red-300">
                          would break: {customization.error}
                        </span>
                      ) : (
                        (customization.note ??
                        (changes === 0 ? 'no change' : `${changes} object(s) change`))
                      )}
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
          <div className="mt-4 flex flex-col gap-4">
            {bundle.customizations.flatMap((customization) =>
              customization.groups.flatMap((group, index) =>
                group.changes.map((change) => (
                  <DiffViewer
                    key={`${customization.name}-${index}-${change.kind}-${change.namespace}-${change.name}`}
                    diff={change.diff}
                    sides={SIDES}
                    label={`${customizationLabel(customization.name)}: ${change.kind} ${change.namespace ? `${change.namespace}/` : ''}${change.name} (${change.change}) on ${group.clusters.join(', ')}`}
                  />
                )),
              ),
            )}
          </div>
        </Section>
      ))}
    </>
  );
}
