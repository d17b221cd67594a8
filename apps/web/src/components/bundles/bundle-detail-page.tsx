'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { shortSha } from '@/client/format.ts';
import { keys } from '@/client/query-keys.ts';
import { useCan } from '@/client/session.ts';
import type { BundleDto, DeploymentDto } from '@/client/types.ts';
import { DeploymentsTable } from '@/components/common/deployments-table.tsx';
import { StateSummary } from '@/components/overview/state-summary.tsx';
import { StateBadge, Tag } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Facts, Loading, PageHeader, Section } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { LINK_CLASS } from '@/components/ui/table.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { BundleTargets } from './bundle-targets.tsx';

export function BundleDetailPage({ id }: { id: string }) {
  const canOperate = useCan('operate');
  const queryClient = useQueryClient();
  const bundle = useQuery({
    queryKey: keys.bundle(id),
    queryFn: () => apiFetch<BundleDto>(`/bundles/${id}`),
  });
  const deployments = useQuery({
    queryKey: keys.bundleDeployments(id),
    queryFn: () => apiFetch<Page<DeploymentDto>>(`/bundles/${id}/deployments`),
  });
  const pause = useMutation({
    mutationFn: (isPaused: boolean) =>
      apiFetch<BundleDto>(`/bundles/${id}/pause`, { method: 'PUT', json: { isPaused } }),
    onSuccess: (updated) => {
      queryClient.setQueryData(keys.bundle(id), updated);
      void queryClient.invalidateQueries({ queryKey: ['matrix'] });
    },
  });

  if (bundle.isPending) return <Loading what="Loading the bundle" />;
  if (!bundle.data) return <ProblemAlert error={bundle.error} />;
  const data = bundle.data;
  const { options } = data;

  return (
    <>
      <PageHeader
        title={data.name}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            {data.state ? <StateBadge state={data.state} /> : <span>not deployed anywhere</span>}
            {data.isPaused ? (
              <Tag tone="warning">‖ paused{data.isPausedInGit ? ' in Git' : ''}</Tag>
            ) : null}
          </span>
        }
        actions={
          canOperate ? (
            <Button
              onClick={() => pause.mutate(!data.isPaused)}
              disabled={pause.isPending || (data.isPaused && data.isPausedInGit)}
            >
              {data.isPaused ? '► Resume rollout' : '‖ Pause rollout'}
            </Button>
          ) : null
        }
      />
      <div className="mb-4 space-y-2">
        <ProblemAlert error={pause.error} />
        {data.renderError ? (
          <ProblemAlert
            error={new Error(data.renderError)}
            title={`Commit ${shortSha(data.failedCommit)} failed to render; ${shortSha(data.commit)} keeps deploying`}
          />
        ) : null}
      </div>
      <Section title="Bundle" id="bundle-facts">
        <Facts
          items={[
            [
              'Repository',
              <Link key="repo" href={`/gitrepos/${data.gitRepo.id}`} className={LINK_CLASS}>
                {data.gitRepo.name}
              </Link>,
            ],
            [
              'Path',
              <code key="path" className="font-mono">
                {data.path || '/'}
              </code>,
            ],
            [
              'Commit',
              <code key="commit" className="font-mono" title={data.commit ?? ''}>
                {shortSha(data.commit)}
              </code>,
            ],
            [
              'Namespace',
              options.namespace ??
                (options.defaultNamespace
                  ? `${options.defaultNamespace} (default)`
                  : 'as in the manifests'),
            ],
            ['Drift', options.correctDrift ? 'corrected automatically' : 'reported, not corrected'],
            [
              'Customizations',
              options.customizations.length > 0 ? options.customizations.join(', ') : 'none',
            ],
            ...(options.keepResources
              ? ([['Removal', 'objects are kept when the bundle leaves a cluster']] as [
                  string,
                  string,
                ][])
              : []),
          ]}
        />
      </Section>
      <Section title={`Deployments (${data.deployments})`} id="bundle-deployments">
        <div className="mb-3">
          <StateSummary summary={data.summary} />
        </div>
        {deployments.isPending ? <Loading what="Loading deployments" /> : null}
        {deployments.error ? <ProblemAlert error={deployments.error} /> : null}
        {deployments.data && deployments.data.items.length > 0 ? (
          <DeploymentsTable deployments={deployments.data.items} by="cluster" />
        ) : null}
        {deployments.data && deployments.data.items.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No cluster is targeted yet.</p>
        ) : null}
      </Section>
      <Section title="Targets" id="bundle-targets">
        <BundleTargets bundleId={id} canOperate={canOperate} />
      </Section>
    </>
  );
}
