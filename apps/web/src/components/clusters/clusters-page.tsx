'use client';

import { apiFetch, isProblemError, queryString, type Page } from '@/client/api.ts';
import { pluralize } from '@/client/format.ts';
import { useCan } from '@/client/session.ts';
import type { ClusterDto, RegisteredCluster } from '@/client/types.ts';
import { selectorTerms, toggleSelectorTerm } from '@/client/selector-terms.ts';
import { useUrlText } from '@/client/use-list-params.ts';
import { useUrlState } from '@/client/use-url-state.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { TextField } from '@/components/ui/field.tsx';
import { EmptyState, Loading, PageHeader } from '@/components/ui/layout.tsx';
import { Notice, ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { AgentInstallCommand } from './agent-install-command.tsx';
import { ClustersTable } from './clusters-table.tsx';
import { DeleteClusterDialog } from './delete-cluster-dialog.tsx';
import { EditLabelsDialog } from './edit-labels-dialog.tsx';
import { RegisterClusterForm } from './register-cluster-form.tsx';

const PAGE_SIZE = 200;
const SORTS = [
  'name',
  '-name',
  'connectivity',
  '-connectivity',
  'kubernetesVersion',
  '-kubernetesVersion',
  'createdAt',
  '-createdAt',
] as const;
type Sort = (typeof SORTS)[number];
const sortOf = (value: string | null): Sort => SORTS.find((sort) => sort === value) ?? 'name';

export function ClustersPage() {
  const canOperate = useCan('operate');
  const [params, setParams] = useUrlState();
  const { text: selectorText, setText: setSelectorText, value: selector } = useUrlText('selector');
  const { text: nameText, setText: setNameText, value: q } = useUrlText('q');
  const sort = sortOf(params.get('sort'));
  const [isRegistering, setIsRegistering] = useState(params.get('register') === '1');
  // An agent cluster's registration (its one-time token) lives here only: never cached, gone
  // when hidden or when the page is left.
  const [registered, setRegistered] = useState<RegisteredCluster | null>(null);
  const [editing, setEditing] = useState<ClusterDto | null>(null);
  const [deleting, setDeleting] = useState<ClusterDto | null>(null);

  const onSort = (next: string) => setParams({ sort: next === 'name' ? '' : next });
  // A label chip adds its `key=value` to the selector at once (no typing pause to wait for).
  const onLabel = (key: string, value: string) =>
    setSelectorText((text) => toggleSelectorTerm(text, `${key}=${value}`));
  // `?register=1` (the overview's empty state) opens the form once; closing it drops the flag.
  const closeRegister = () => {
    setIsRegistering(false);
    setParams({ register: '' });
  };

  const clusters = useInfiniteQuery({
    queryKey: ['clusters', { selector, q, sort }],
    queryFn: ({ pageParam, signal }) =>
      apiFetch<Page<ClusterDto>>(
        `/clusters${queryString({
          selector,
          q,
          sort: sort === 'name' ? undefined : sort,
          limit: PAGE_SIZE,
          cursor: pageParam,
        })}`,
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const lastGood = useRef<ClusterDto[] | undefined>(undefined);
  const items = clusters.data?.pages.flatMap((page) => page.items);
  if (items) lastGood.current = items;
  const shown = items ?? lastGood.current;
  const selectorError =
    isProblemError(clusters.error) && clusters.error.status === 422
      ? (clusters.error.fieldError('selector') ?? clusters.error.detail)
      : undefined;

  return (
    <>
      <PageHeader
        title="Clusters"
        description="Kubernetes clusters Flotilla deploys to, with the labels targets select them by."
        actions={
          canOperate ? (
            <Button variant="primary" onClick={() => setIsRegistering(true)}>
              Register a cluster
            </Button>
          ) : null
        }
      />
      {registered ? (
        <div className="mb-4 space-y-2">
          <Notice tone="success">
            Registered {registered.name}.{' '}
            {registered.registration
              ? 'It turns Online when its agent sends the first heartbeat.'
              : 'Flotilla is checking that it can reach it.'}
          </Notice>
          {registered.registration ? (
            <AgentInstallCommand
              clusterName={registered.name}
              registration={registered.registration}
              onHide={() => setRegistered(null)}
            />
          ) : null}
        </div>
      ) : null}
      <form
        role="search"
        aria-label="Filter clusters"
        className="mb-4 grid max-w-4xl gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]"
        onSubmit={(event) => event.preventDefault()}
      >
        <TextField
          label="Name"
          type="search"
          placeholder="Part of the name"
          value={nameText}
          onChange={(event) => setNameText(event.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        <TextField
          label="Label selector"
          isMono
          placeholder="env in (prod,staging),region=eu,!canary"
          value={selectorText}
          onChange={(event) => setSelectorText(event.target.value)}
          error={selectorError}
          hint={
            selectorError
              ? undefined
              : shown
                ? `${pluralize(shown.length, 'cluster')}${clusters.hasNextPage ? ' so far' : ''}${clusters.isFetching ? ' · updating…' : ''}`
                : undefined
          }
          spellCheck={false}
          autoComplete="off"
        />
      </form>
      {!shown && clusters.isPending ? <Loading what="Loading clusters" /> : null}
      {clusters.error && !selectorError ? (
        <ProblemAlert error={clusters.error} onRetry={() => void clusters.refetch()} />
      ) : null}
      {shown && shown.length === 0 && selector === '' && q === '' ? (
        <EmptyState
          title="No clusters yet"
          actions={
            canOperate ? (
              <Button variant="primary" onClick={() => setIsRegistering(true)}>
                Register a cluster
              </Button>
            ) : null
          }
        >
          Register a Kubernetes cluster by its API server URL and a token, by pasting a kubeconfig,
          or install an agent in it that connects to Flotilla.
        </EmptyState>
      ) : null}
      {shown && shown.length === 0 && (selector !== '' || q !== '') ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          No cluster matches{' '}
          {q !== '' && selector !== ''
            ? 'this name and selector'
            : q !== ''
              ? 'this name'
              : 'this selector'}
          .
        </p>
      ) : null}
      {shown && shown.length > 0 ? (
        <ClustersTable
          clusters={shown}
          canOperate={canOperate}
          sort={sort}
          onSort={onSort}
          onLabel={onLabel}
          selectedLabels={selectorTerms(selector)}
          onEditLabels={setEditing}
          onDelete={setDeleting}
        />
      ) : null}
      {clusters.hasNextPage ? (
        <div className="mt-4">
          <Button
            onClick={() => void clusters.fetchNextPage()}
            disabled={clusters.isFetchingNextPage}
          >
            {clusters.isFetchingNextPage ? 'Loading…' : 'Load more clusters'}
          </Button>
        </div>
      ) : null}
      <Dialog
        isOpen={isRegistering && canOperate}
        onClose={closeRegister}
        title="Register a cluster"
        width="max-w-2xl"
      >
        <RegisterClusterForm
          onCancel={closeRegister}
          onDone={(cluster) => {
            closeRegister();
            setRegistered(cluster);
          }}
        />
      </Dialog>
      {editing ? <EditLabelsDialog cluster={editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? (
        <DeleteClusterDialog
          cluster={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => setDeleting(null)}
        />
      ) : null}
    </>
  );
}
