'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { useCan } from '@/client/session.ts';
import type { GitRepoDto } from '@/client/types.ts';
import { useUrlState } from '@/client/use-url-state.ts';
import { CommitLink } from '@/components/common/commit-link.tsx';
import { GitRepoStateBadge } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { EmptyState, Loading, PageHeader } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { LINK_CLASS, Table, Td, Th } from '@/components/ui/table.tsx';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ConnectRepoForm } from './connect-repo-form.tsx';

export function GitReposPage() {
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
    queryKey: keys.gitRepos,
    queryFn: () => apiFetch<Page<GitRepoDto>>('/gitrepos'),
  });
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
      {repos.isPending ? <Loading what="Loading repositories" /> : null}
      {repos.error ? <ProblemAlert error={repos.error} /> : null}
      {repos.data && repos.data.items.length === 0 ? (
        <EmptyState title="No repositories yet" actions={connectButton}>
          Connect a Git repository: Flotilla fetches it, turns each folder into a bundle and deploys
          it to the clusters its targets select.
        </EmptyState>
      ) : null}
      {repos.data && repos.data.items.length > 0 ? (
        <Table label="Git repositories">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>URL / ref</Th>
              <Th>Commit</Th>
              <Th>Last fetch</Th>
              <Th>State</Th>
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
                <Td>
                  <code className="block font-mono text-xs break-all">{repo.url}</code>
                  <span className="text-xs text-slate-600 dark:text-slate-400">
                    {repo.revision ? `pinned at ${repo.revision}` : `branch ${repo.branch}`}
                  </span>
                </Td>
                <Td>
                  <CommitLink commit={repo.commit} template={repo.commitUrlTemplate} />
                </Td>
                <Td className="text-xs whitespace-nowrap">
                  <RelativeTime iso={repo.fetchedAt} />
                </Td>
                <Td>
                  <GitRepoStateBadge state={repo.state} />
                  {repo.message ? (
                    <p
                      className={`mt-1 max-w-sm text-xs break-words ${repo.state === 'Error' ? 'text-red-800 dark:text-red-300' : 'text-slate-700 dark:text-slate-300'}`}
                    >
                      {repo.message}
                    </p>
                  ) : null}
                </Td>
                <Td className="tabular-nums">{repo.bundles.length}</Td>
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
