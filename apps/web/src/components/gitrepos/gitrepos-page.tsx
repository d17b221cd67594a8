'use client';

import { apiFetch, queryString, type Page } from '@/client/api.ts';
import { pluralize } from '@/client/format.ts';
import { keys } from '@/client/query-keys.ts';
import { useCan } from '@/client/session.ts';
import type { GitRepoDto } from '@/client/types.ts';
import { useListParams } from '@/client/use-list-params.ts';
import { useUrlState } from '@/client/use-url-state.ts';
import { CommitLink } from '@/components/common/commit-link.tsx';
import { GitRepoStateBadge } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { TextField } from '@/components/ui/field.tsx';
import { EmptyState, Loading, PageHeader } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { LINK_CLASS, SortableTh, Table, Td, Th } from '@/components/ui/table.tsx';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ConnectRepoForm } from './connect-repo-form.tsx';

const SORTS = ['name', '-name', 'state', '-state', 'fetchedAt', '-fetchedAt'] as const;

export function GitReposPage() {
  const list = useListParams(SORTS, 'name');
  const { q, sort } = list;
  const canOperate = useCan('operate');
  const router = useRouter();
  const [params, setParams] = useUrlState();
  // `?connect=1` (the overview's empty state) opens the form once; closing it drops the flag.
  const [isConnecting, setIsConnecting] = useState(params.get('connect') === '1');
  const closeConnect = () => {
    setIsConnecting(false);
    setParams({ connect: '' });
  };
  const repos = useQuery({
    queryKey: [...keys.gitRepos, { q, sort }],
    queryFn: () =>
      apiFetch<Page<GitRepoDto>>(
        `/gitrepos${queryString({ q, sort: sort === 'name' ? undefined : sort })}`,
      ),
    placeholderData: keepPreviousData,
  });
  const isFiltered = q !== '';
  const connectButton = canOperate ? (
    <Button variant="primary" onClick={() => setIsConnecting(true)}>
      Connect a repository
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Git repositories"
        description="Where the desired state lives. Each folder with manifests becomes a bundle."
        actions={connectButton}
      />
      <form
        role="search"
        aria-label="Filter repositories"
        className="mb-4 max-w-md"
        onSubmit={(event) => event.preventDefault()}
      >
        <TextField
          label="Name"
          type="search"
          placeholder="Part of the name"
          value={list.text}
          onChange={(event) => list.setText(event.target.value)}
          hint={
            repos.data
              ? pluralize(repos.data.items.length, 'repository', 'repositories')
              : undefined
          }
          spellCheck={false}
          autoComplete="off"
        />
      </form>
      {repos.isPending ? <Loading what="Loading repositories" /> : null}
      {repos.error ? (
        <ProblemAlert error={repos.error} onRetry={() => void repos.refetch()} />
      ) : null}
      {repos.data && repos.data.items.length === 0 && isFiltered ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          No repository matches this name.
        </p>
      ) : null}
      {repos.data && repos.data.items.length === 0 && !isFiltered ? (
        <EmptyState title="No repositories yet" actions={connectButton}>
          Connect a Git repository: Flotilla fetches it, turns each folder into a bundle and deploys
          it to the clusters its targets select.
        </EmptyState>
      ) : null}
      {repos.data && repos.data.items.length > 0 ? (
        <Table label="Git repositories" isReflowing>
          <thead>
            <tr>
              <SortableTh column="name" sort={sort} onSort={list.setSort}>
                Name
              </SortableTh>
              <Th>URL / ref</Th>
              <Th>Commit</Th>
              <SortableTh column="fetchedAt" sort={sort} onSort={list.setSort}>
                Last fetch
              </SortableTh>
              <SortableTh column="state" sort={sort} onSort={list.setSort}>
                State
              </SortableTh>
              <Th>Bundles</Th>
            </tr>
          </thead>
          <tbody>
            {repos.data.items.map((repo) => (
              <tr key={repo.id}>
                <Td>
                  <Link href={`/gitrepos/${repo.id}`} className={`${LINK_CLASS} break-all`}>
                    {repo.name}
                  </Link>
                </Td>
                <Td data-label="URL / ref">
                  <code className="block font-mono text-xs break-all">{repo.url}</code>
                  <span className="text-xs text-slate-600 dark:text-slate-400">
                    {repo.revision ? `pinned at ${repo.revision}` : `branch ${repo.branch}`}
                  </span>
                </Td>
                <Td data-label="Commit">
                  <CommitLink commit={repo.commit} template={repo.commitUrlTemplate} />
                </Td>
                <Td data-label="Last fetch" className="text-xs whitespace-nowrap">
                  <RelativeTime iso={repo.fetchedAt} />
                </Td>
                <Td data-label="State">
                  <GitRepoStateBadge state={repo.state} />
                  {repo.message ? (
                    <p
                      className={`mt-1 max-w-sm text-xs break-words ${repo.state === 'Error' ? 'text-red-800 dark:text-red-300' : 'text-slate-700 dark:text-slate-300'}`}
                    >
                      {repo.message}
                    </p>
                  ) : null}
                </Td>
                <Td data-label="Bundles" className="tabular-nums">
                  {repo.bundles.length}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <Dialog
        isOpen={isConnecting && canOperate}
        onClose={closeConnect}
        title="Connect a repository"
        width="max-w-3xl"
      >
        <ConnectRepoForm
          onCancel={closeConnect}
          onDone={(repo) => router.push(`/gitrepos/${repo.id}`)}
        />
      </Dialog>
    </>
  );
}
