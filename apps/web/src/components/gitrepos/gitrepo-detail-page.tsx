'use client';

import { apiFetch } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { useCan } from '@/client/session.ts';
import type { GitRepoDto } from '@/client/types.ts';
import { CommitLink } from '@/components/common/commit-link.tsx';
import { EditRepoDialog } from '@/components/gitrepos/edit-repo-dialog.tsx';
import { GithubConnectionSection } from '@/components/gitrepos/github-connection-section.tsx';
import { TargetsEditor } from '@/components/targets/targets-editor.tsx';
import type { TargetPayload } from '@/components/targets/target-drafts.ts';
import { GitRepoStateBadge, Tag } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { Facts, Loading, PageHeader, Section } from '@/components/ui/layout.tsx';
import { LoadFailure } from '@/components/ui/load-failure.tsx';
import { Notice, ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { LINK_CLASS, Table, Td, Th } from '@/components/ui/table.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

export function GitRepoDetailPage({ id }: { id: string }) {
  const canOperate = useCan('operate');
  const queryClient = useQueryClient();
  const router = useRouter();
  const [isDeleting, setIsDeleting] = useState(false);
  const [isEditing, setIsEditing] = useState(false);
  /** The fetch time when a fetch was asked for (sync or edit): the notice turns to done after it. */
  const [fetchAskedAt, setFetchAskedAt] = useState<{
    fetchedAt: string | null;
    lastErrorAt: string | null;
  } | null>(null);
  const [targetsVersion, setTargetsVersion] = useState(0);
  const repo = useQuery({
    queryKey: keys.gitRepo(id),
    queryFn: () => apiFetch<GitRepoDto>(`/gitrepos/${id}`),
  });
  const sync = useMutation({
    mutationFn: () => apiFetch<{ status: string }>(`/gitrepos/${id}/sync`, { method: 'POST' }),
    onMutate: () =>
      setFetchAskedAt({
        fetchedAt: repo.data?.fetchedAt ?? null,
        lastErrorAt: repo.data?.lastErrorAt ?? null,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.gitRepo(id) }),
  });
  const confirmRemoval = useMutation({
    mutationFn: () =>
      apiFetch<{ confirmedCommit: string | null }>(`/gitrepos/${id}/confirm-removal`, {
        method: 'POST',
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.gitRepo(id) }),
  });
  const saveTargets = useMutation({
    mutationFn: (targets: TargetPayload[]) =>
      apiFetch<GitRepoDto>(`/gitrepos/${id}`, { method: 'PATCH', json: { targets } }),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.gitRepo(id), updated);
      setTargetsVersion((value) => value + 1);
      void queryClient.invalidateQueries({ queryKey: ['bundle'] });
    },
  });
  const remove = useMutation({
    mutationFn: () => apiFetch<void>(`/gitrepos/${id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      await Promise.all(
        ['gitrepos', 'bundles', 'matrix'].map((key) =>
          queryClient.invalidateQueries({ queryKey: [key] }),
        ),
      );
      router.push('/gitrepos');
    },
  });

  if (repo.isPending) return <Loading what="Loading the repository" />;
  if (!repo.data)
    return (
      <LoadFailure
        error={repo.error}
        what="Repository"
        backHref="/gitrepos"
        backLabel="Back to the repositories"
        onRetry={() => void repo.refetch()}
        isRetrying={repo.isFetching}
      />
    );
  const data = repo.data;
  // The sync's wording of a commit held for removing most of the repo's bundles.
  const isRemovalHeld =
    data.state === 'Error' && / would remove \d+ of \d+ bundles; confirm$/.test(data.message);

  return (
    <>
      <PageHeader
        title={data.name}
        description={<GitRepoStateBadge state={data.state} />}
        actions={
          canOperate ? (
            <>
              <Button onClick={() => sync.mutate()} disabled={sync.isPending}>
                ↻ Sync now
              </Button>
              <Button onClick={() => setIsEditing(true)}>Edit</Button>
              <Button variant="danger" onClick={() => setIsDeleting(true)}>
                Delete
              </Button>
            </>
          ) : null
        }
      />
      <div className="mb-4 space-y-2">
        <ProblemAlert error={sync.error} title="Could not start a fetch" />
        {fetchAskedAt && !sync.isError ? (
          // Done once the fetch time or the error time moved; a failure shows as the banner below.
          data.state === 'Fetching' ||
          (data.fetchedAt === fetchAskedAt.fetchedAt &&
            data.lastErrorAt === fetchAskedAt.lastErrorAt) ? (
            <Notice>Fetching: the commit and bundles update when it finishes.</Notice>
          ) : data.state === 'Error' ? null : (
            <Notice tone="success">
              Fetched {data.revision ? `revision ${data.revision}` : `branch ${data.branch}`}
              {data.commit ? ` at commit ${data.commit.slice(0, 7)}` : ''}.
            </Notice>
          )
        ) : null}
        {isRemovalHeld ? (
          <Notice tone="warning">
            <span className="inline-flex flex-wrap items-center gap-2">
              <span>
                {data.message}: the bundles stay deployed until an operator confirms the removal.
              </span>
              {canOperate ? (
                <Button
                  variant="danger"
                  onClick={() => confirmRemoval.mutate()}
                  disabled={confirmRemoval.isPending}
                >
                  {confirmRemoval.isPending ? 'Confirming…' : 'Confirm'}
                </Button>
              ) : null}
            </span>
          </Notice>
        ) : data.state === 'Error' && data.message ? (
          <ProblemAlert error={new Error(data.message)} title="The last fetch failed" />
        ) : null}
        <ProblemAlert error={confirmRemoval.error} title="Could not confirm the removal" />
      </div>
      <Section title="Repository" id="repo-facts">
        <Facts
          items={[
            [
              'URL',
              <code key="url" className="font-mono text-xs break-all">
                {data.url}
              </code>,
            ],
            [
              'Follows',
              data.revision ? `pinned revision ${data.revision}` : `branch ${data.branch}`,
            ],
            [
              'Commit',
              <CommitLink key="commit" commit={data.commit} template={data.commitUrlTemplate} />,
            ],
            ['Last fetch', <RelativeTime key="fetched" iso={data.fetchedAt} />],
            // An error's message is the banner above: not a second time here.
            ...(data.state === 'Error' && data.message
              ? []
              : [['Message', data.message || '—'] as [string, string]]),
            data.drivenBundles.length > 0
              ? [
                  'Bundles',
                  data.drivenBundles
                    .map((entry) => `${entry.base}${entry.options ? ` (${entry.options})` : ''}`)
                    .join(', '),
                ]
              : ['Paths', data.paths.length > 0 ? data.paths.join(', ') : 'the whole repository'],
            ['Polls every', `${data.pollIntervalSeconds} s`],
            [
              'Secrets',
              <span key="secrets" className="inline-flex gap-1">
                {data.hasAuth ? <Tag>credentials set</Tag> : <Tag>no credentials</Tag>}
                {data.hasWebhookSecret ? <Tag>webhook secret set</Tag> : null}
                {data.hasHelmAuth ? <Tag>chart credentials set</Tag> : null}
              </span>,
            ],
          ]}
        />
      </Section>
      <GithubConnectionSection
        gitRepoId={data.id}
        commitUrlTemplate={data.commitUrlTemplate}
        canOperate={canOperate}
      />
      <Section title={`Bundles (${data.bundles.length})`} id="repo-bundles">
        {data.bundles.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {data.commit
              ? 'No folder with manifests was found.'
              : 'Bundles appear after the first fetch.'}
          </p>
        ) : (
          <Table label="Bundles of this repository">
            <thead>
              <tr>
                <Th>Bundle</Th>
                <Th>Path</Th>
                <Th>Render</Th>
              </tr>
            </thead>
            <tbody>
              {data.bundles.map((bundle) => (
                <tr key={bundle.id}>
                  <Td>
                    <Link href={`/bundles/${bundle.id}`} className={LINK_CLASS}>
                      {bundle.name}
                    </Link>
                  </Td>
                  <Td>
                    <code className="font-mono text-xs">
                      {bundle.path || '/'}
                      {bundle.optionsFile ? ` · ${bundle.optionsFile}` : ''}
                    </code>
                  </Td>
                  <Td className="text-xs">
                    {bundle.renderError ? (
                      <span className="text-red-800 dark:text-red-300">✗ {bundle.renderError}</span>
                    ) : (
                      '✓ ok'
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Section>
      <Section title="Default targets" id="repo-targets">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          Every bundle of this repository uses these, unless it has targets of its own.
        </p>
        <TargetsEditor
          key={targetsVersion}
          initial={data.targets}
          isReadOnly={!canOperate}
          isSaving={saveTargets.isPending}
          saveError={saveTargets.error}
          saveLabel="Save default targets"
          onSave={(targets) => saveTargets.mutate(targets)}
        />
      </Section>
      {isEditing ? (
        <EditRepoDialog
          repo={data}
          onClose={() => setIsEditing(false)}
          onSaved={(needsFetch) => {
            if (needsFetch)
              setFetchAskedAt({ fetchedAt: data.fetchedAt, lastErrorAt: data.lastErrorAt });
          }}
        />
      ) : null}
      <Dialog
        isOpen={isDeleting}
        onClose={() => setIsDeleting(false)}
        title={`Delete ${data.name}?`}
      >
        <div className="space-y-3 text-sm text-slate-700 dark:text-slate-300">
          <p>
            Its {data.bundles.length} bundle{data.bundles.length === 1 ? '' : 's'} will be{' '}
            <strong>removed from every cluster</strong> they are deployed to (unless a bundle keeps
            its resources), then the repository is forgotten.
          </p>
          <ProblemAlert error={remove.error} />
          <div className="flex justify-end gap-2">
            <Button onClick={() => setIsDeleting(false)} autoFocus>
              Cancel
            </Button>
            <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
              Delete repository
            </Button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
