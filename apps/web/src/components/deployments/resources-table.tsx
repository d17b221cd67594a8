'use client';

import type { DeploymentResource } from '@/client/types.ts';
import { HealthBadge, LookBadge } from '@/components/ui/badges.tsx';
import { Table, Td, Th } from '@/components/ui/table.tsx';
import { Fragment, useState } from 'react';
import { DiffViewer } from './diff-viewer.tsx';

function resourceId(resource: DeploymentResource): string {
  return `${resource.apiVersion}/${resource.kind}/${resource.namespace}/${resource.name}`;
}

const IN_SYNC = {
  icon: '✓',
  label: 'In sync',
  tone: 'bg-white text-slate-700 ring-slate-200 dark:bg-slate-900 dark:text-slate-300 dark:ring-slate-700',
};
const DRIFTED = {
  icon: '⚠',
  label: 'Modified',
  tone: 'bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-950/60 dark:text-amber-200 dark:ring-amber-900',
};
const MISSING = {
  icon: '?',
  label: 'Missing',
  tone: 'bg-red-50 text-red-800 ring-red-200 dark:bg-red-950/60 dark:text-red-200 dark:ring-red-900',
};

/**
 * The objects of a deployment: kind, namespace/name, health and drift. A modified object's diff
 * opens under its row; with only a few, they start open.
 */
export function ResourcesTable({
  resources,
  emptyMessage = 'No resources recorded yet: the first apply has not finished.',
}: {
  resources: DeploymentResource[];
  /** What an empty table says: it depends on the deployment's state (a failed apply, ...). */
  emptyMessage?: string;
}) {
  // Diffs start open when there are few; a click flips one from that default, so a diff that
  // appears later (live update) follows the default too.
  const isOpenByDefault = resources.filter((resource) => resource.diff).length <= 5;
  const [flipped, setFlipped] = useState<Set<string>>(() => new Set());
  const toggle = (id: string) =>
    setFlipped((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  if (resources.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">{emptyMessage}</p>;
  }
  return (
    <Table label="Resources">
      <thead>
        <tr>
          <Th>Kind</Th>
          <Th>Namespace / name</Th>
          <Th>Health</Th>
          <Th>Drift</Th>
          <Th>
            <span className="sr-only">Diff</span>
          </Th>
        </tr>
      </thead>
      <tbody>
        {resources.map((resource) => {
          const id = resourceId(resource);
          const isOpen = isOpenByDefault !== flipped.has(id);
          const diffId = `diff-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
          return (
            <Fragment key={id}>
              <tr>
                <Td>
                  <span className="font-medium">{resource.kind}</span>
                  <span className="block text-xs text-slate-600 dark:text-slate-400">
                    {resource.apiVersion}
                  </span>
                </Td>
                <Td className="font-mono text-xs break-all">
                  {resource.namespace ? `${resource.namespace}/` : ''}
                  {resource.name}
                </Td>
                <Td>
                  <HealthBadge health={resource.health} />
                  {resource.healthMessage ? (
                    <span className="mt-1 block text-xs text-slate-600 dark:text-slate-400">
                      {resource.healthMessage}
                    </span>
                  ) : null}
                </Td>
                <Td>
                  <LookBadge
                    look={resource.missing ? MISSING : resource.modified ? DRIFTED : IN_SYNC}
                  />
                  {resource.driftPaths.length > 0 ? (
                    <ul
                      className="mt-1 font-mono text-xs text-slate-700 dark:text-slate-300"
                      aria-label="Fields that differ"
                    >
                      {resource.driftPaths.map((path) => (
                        <li key={path}>{path}</li>
                      ))}
                    </ul>
                  ) : null}
                </Td>
                <Td className="text-right">
                  {resource.diff ? (
                    <button
                      type="button"
                      aria-expanded={isOpen}
                      aria-controls={diffId}
                      onClick={() => toggle(id)}
                      className="text-sm font-medium text-teal-800 hover:underline dark:text-teal-300"
                    >
                      {isOpen ? 'Hide diff' : 'Show diff'}
                      <span className="sr-only">
                        {' '}
                        of {resource.kind} {resource.name}
                      </span>
                    </button>
                  ) : null}
                </Td>
              </tr>
              {resource.diff && isOpen ? (
                <tr id={diffId}>
                  <td
                    colSpan={5}
                    className="border-b border-slate-100 px-3 pb-3 dark:border-slate-800"
                  >
                    <DiffViewer
                      diff={resource.diff}
                      label={`${resource.kind} ${resource.namespace ? `${resource.namespace}/` : ''}${resource.name}`}
                    />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </Table>
  );
}
