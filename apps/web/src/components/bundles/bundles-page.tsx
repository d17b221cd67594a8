'use client';

import { apiFetch, queryString, type Page } from '@/client/api.ts';
import { pluralize, shortSha } from '@/client/format.ts';
import { keys } from '@/client/query-keys.ts';
import { DEPLOYMENT_STATES, deploymentStateLook } from '@/client/states.ts';
import type { BundleDto } from '@/client/types.ts';
import { useListParams } from '@/client/use-list-params.ts';
import { StateBadge, Tag } from '@/components/ui/badges.tsx';
import { ButtonLink } from '@/components/ui/button.tsx';
import { TextField } from '@/components/ui/field.tsx';
import { EmptyState, Loading, PageHeader } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { LINK_CLASS, SortableTh, Table, Td, Th } from '@/components/ui/table.tsx';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
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

const SORTS = ['name', '-name', 'path', '-path'] as const;

export function BundlesPage() {
  const list = useListParams(SORTS, 'name');
  const { q, sort } = list;
  const bundles = useQuery({
    queryKey: [...keys.bundles, { q, sort }],
    queryFn: () =>
      apiFetch<Page<BundleDto>>(
        `/bundles${queryString({ q, sort: sort === 'name' ? undefined : sort })}`,
      ),
    placeholderData: keepPreviousData,
  });
  const isFiltered = q !== '';
  return (
    <>
      <PageHeader
        title="Bundles"
        description="Each folder of a connected repository is a bundle, deployed to the clusters its targets select."
      />
      <form
        role="search"
        aria-label="Filter bundles"
        className="mb-4 max-w-md"
        onSubmit={(event) => event.preventDefault()}
      >
        <TextField
          label="Name"
          type="search"
          placeholder="Part of the name"
          value={list.text}
          onChange={(event) => list.setText(event.target.value)}
          hint={bundles.data ? pluralize(bundles.data.items.length, 'bundle') : undefined}
          spellCheck={false}
          autoComplete="off"
        />
      </form>
      {bundles.isPending ? <Loading what="Loading bundles" /> : null}
      {bundles.error ? (
        <ProblemAlert error={bundles.error} onRetry={() => void bundles.refetch()} />
      ) : null}
      {bundles.data && bundles.data.items.length === 0 && isFiltered ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">No bundle matches this name.</p>
      ) : null}
      {bundles.data && bundles.data.items.length === 0 && !isFiltered ? (
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
        <Table label="Bundles" isReflowing>
          <thead>
            <tr>
              <SortableTh column="name" sort={sort} onSort={list.setSort}>
                Bundle
              </SortableTh>
              <SortableTh column="path" sort={sort} onSort={list.setSort}>
                Repository / path
              </SortableTh>
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
                <Td data-label="Repository / path">
                  <Link href={`/gitrepos/${bundle.gitRepo.id}`} className={LINK_CLASS}>
                    {bundle.gitRepo.name}
                  </Link>
                  <code className="block font-mono text-xs text-slate-700 dark:text-slate-300">
                    {bundle.path || '/'}
                  </code>
                </Td>
                <Td data-label="Commit">
                  <code className="font-mono text-xs" title={bundle.commit ?? ''}>
                    {shortSha(bundle.commit)}
                  </code>
                </Td>
                <Td data-label="State">
                  {bundle.state ? (
                    <StateBadge state={bundle.state} />
                  ) : (
                    <span className="text-xs text-slate-600 dark:text-slate-400">not deployed</span>
                  )}
                </Td>
                <Td data-label="Clusters">
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
