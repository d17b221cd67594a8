'use client';

import { apiFetch } from '@/client/api.ts';
import { pluralize } from '@/client/format.ts';
import { keys } from '@/client/query-keys.ts';
import { useCan } from '@/client/session.ts';
import type { ClusterGroupDetailDto } from '@/client/types.ts';
import { ClusterTags, Connectivity } from '@/components/clusters/connectivity.tsx';
import { LabelChips } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { Facts, Loading, PageHeader, Section } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { LINK_CLASS, Table, Td, Th } from '@/components/ui/table.tsx';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { GroupEditor } from './group-editor.tsx';

/** One cluster group: its selector, the clusters in it now, and the bundles that target it. */
export function ClusterGroupDetailPage({ id }: { id: string }) {
  const canOperate = useCan('operate');
  const [isEditing, setIsEditing] = useState(false);
  const group = useQuery({
    queryKey: keys.clusterGroup(id),
    queryFn: () => apiFetch<ClusterGroupDetailDto>(`/cluster-groups/${id}`),
  });

  if (group.isPending) return <Loading what="Loading the cluster group" />;
  if (!group.data)
    return <ProblemAlert error={group.error} title="The group could not be loaded" />;
  const data = group.data;

  return (
    <>
      <PageHeader
        title={data.name}
        description="A cluster group: a named label selector over clusters."
        actions={canOperate ? <Button onClick={() => setIsEditing(true)}>Edit group</Button> : null}
      />
      <Section title="Group" id="group-facts">
        <Facts
          items={[
            [
              'Selector',
              <code key="selector" className="font-mono text-xs break-all">
                {data.selectorText || '(every cluster)'}
              </code>,
            ],
            [
              'Group labels',
              Object.keys(data.labels).length > 0 ? (
                <LabelChips key="labels" labels={data.labels} />
              ) : (
                'none (targets can select this group by name only)'
              ),
            ],
            ['Clusters', pluralize(data.clusterCount, 'cluster')],
          ]}
        />
      </Section>
      <Section title={`Clusters in this group (${data.clusterCount})`} id="group-clusters">
        {data.clusters.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            No cluster has labels matching the selector yet.
          </p>
        ) : (
          <Table label="Clusters in this group">
            <thead>
              <tr>
                <Th>Cluster</Th>
                <Th>Connectivity</Th>
                <Th>Labels</Th>
              </tr>
            </thead>
            <tbody>
              {data.clusters.map((cluster) => (
                <tr key={cluster.id} data-testid="group-cluster-row">
                  <Td>
                    <span className="inline-flex flex-wrap items-center gap-2">
                      <Link href={`/clusters/${cluster.id}`} className={`${LINK_CLASS} break-all`}>
                        {cluster.name}
                      </Link>
                      <ClusterTags cluster={cluster} />
                    </span>
                  </Td>
                  <Td>
                    <Connectivity cluster={cluster} />
                  </Td>
                  <Td>
                    <LabelChips labels={cluster.labels} max={6} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {data.clusterCount > data.clusters.length ? (
          <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
            and {pluralize(data.clusterCount - data.clusters.length, 'more cluster')}.
          </p>
        ) : null}
      </Section>
      <Section title={`Bundles targeting this group (${data.bundles.length})`} id="group-bundles">
        {data.bundles.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            No bundle has a target that names this group or selects it by its labels.
          </p>
        ) : (
          <Table label="Bundles targeting this group">
            <thead>
              <tr>
                <Th>Bundle</Th>
                <Th>Repository</Th>
                <Th>Through</Th>
              </tr>
            </thead>
            <tbody>
              {data.bundles.map((bundle) => (
                <tr key={bundle.id} data-testid="group-bundle-row">
                  <Td>
                    <Link href={`/bundles/${bundle.id}`} className={`${LINK_CLASS} break-all`}>
                      {bundle.name}
                    </Link>
                  </Td>
                  <Td>
                    <Link
                      href={`/gitrepos/${bundle.gitRepoId}`}
                      className={`${LINK_CLASS} break-all`}
                    >
                      {bundle.gitRepoName}
                    </Link>
                  </Td>
                  <Td className="text-sm">
                    target {bundle.targetIndex + 1}
                    {bundle.isInherited ? " of the repository's" : ' of its own'}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Section>
      <Dialog
        isOpen={isEditing}
        onClose={() => setIsEditing(false)}
        title={`Edit ${data.name}`}
        width="max-w-4xl"
      >
        {isEditing ? (
          <GroupEditor
            group={data}
            onDone={() => setIsEditing(false)}
            onCancel={() => setIsEditing(false)}
          />
        ) : null}
      </Dialog>
    </>
  );
}
