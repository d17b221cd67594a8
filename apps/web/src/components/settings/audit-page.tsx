'use client';

import { apiFetch, queryString, type Page } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import type { AuditEntryDto } from '@/client/types.ts';
import { useDebounced } from '@/client/use-debounced.ts';
import { Button } from '@/components/ui/button.tsx';
import { TextField } from '@/components/ui/field.tsx';
import { Loading, PageHeader } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { LINK_CLASS, Table, Td, Th } from '@/components/ui/table.tsx';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import Link from 'next/link';
import { AdminOnly } from './admin-only.tsx';
import {
  actorWords,
  detailLines,
  formatAddress,
  objectHref,
  objectName,
  objectWords,
} from './audit-format.ts';

const PAGE_SIZE = 50;

function AuditList() {
  const [action, setAction] = useState('');
  const [objectType, setObjectType] = useState('');
  const filters = {
    action: useDebounced(action.trim()),
    objectType: useDebounced(objectType.trim()),
  };
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const audit = useQuery({
    queryKey: keys.audit({ ...filters, cursor: cursor ?? '' }),
    queryFn: () =>
      apiFetch<Page<AuditEntryDto>>(
        `/audit${queryString({ ...filters, limit: PAGE_SIZE, cursor })}`,
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <form
        role="search"
        aria-label="Filter the audit trail"
        className="mb-4 flex flex-wrap gap-3"
        onSubmit={(event) => event.preventDefault()}
      >
        <TextField
          className="w-64"
          label="Action"
          isMono
          placeholder="cluster.create"
          value={action}
          onChange={(event) => {
            setCursors([]);
            setAction(event.target.value);
          }}
        />
        <TextField
          className="w-64"
          label="Object type"
          isMono
          placeholder="cluster"
          value={objectType}
          onChange={(event) => {
            setCursors([]);
            setObjectType(event.target.value);
          }}
        />
      </form>
      {audit.isPending ? <Loading what="Loading the audit trail" /> : null}
      {audit.error ? <ProblemAlert error={audit.error} /> : null}
      {audit.data && audit.data.items.length === 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">No entries match.</p>
      ) : null}
      {audit.data && audit.data.items.length > 0 ? (
        <Table label="Audit trail">
          <thead>
            <tr>
              <Th>When</Th>
              <Th>Who</Th>
              <Th>Action</Th>
              <Th>Object</Th>
              <Th>Client address</Th>
              <Th>Details</Th>
            </tr>
          </thead>
          <tbody>
            {audit.data.items.map((entry) => {
              const name = objectName(entry.details);
              const href = objectHref(entry.objectType, entry.objectId);
              const lines = detailLines(entry.details);
              return (
                <tr key={entry.id} data-testid="audit-row">
                  <Td className="text-xs whitespace-nowrap">
                    <RelativeTime iso={entry.at} />
                  </Td>
                  <Td className="text-xs break-all">
                    {entry.actor.label}
                    <span className="block text-slate-600 dark:text-slate-400">
                      {actorWords(entry.actor.type)}
                    </span>
                  </Td>
                  <Td>
                    <code className="font-mono text-xs">{entry.action}</code>
                  </Td>
                  <Td className="text-xs break-all">
                    <span className="block text-slate-600 dark:text-slate-400">
                      {objectWords(entry.objectType)}
                    </span>
                    {href ? (
                      <Link href={href} className={LINK_CLASS}>
                        {name ?? 'open'}
                      </Link>
                    ) : (
                      (name ?? null)
                    )}
                  </Td>
                  <Td className="text-xs whitespace-nowrap">{formatAddress(entry.ip)}</Td>
                  <Td className="max-w-md text-xs break-words">
                    {lines.length === 0 ? (
                      '—'
                    ) : (
                      <dl className="space-y-0.5">
                        {lines.map((line) => (
                          <div key={line.label}>
                            <dt className="inline text-slate-600 dark:text-slate-400">
                              {line.label}:{' '}
                            </dt>
                            <dd className="inline">{line.text}</dd>
                          </div>
                        ))}
                      </dl>
                    )}
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      ) : null}
      <nav aria-label="Pages of the audit trail" className="mt-4 flex gap-2">
        <Button
          disabled={cursors.length === 0}
          onClick={() => setCursors((current) => current.slice(0, -1))}
        >
          ← Newer
        </Button>
        <Button
          disabled={!audit.data?.nextCursor}
          onClick={() =>
            audit.data?.nextCursor &&
            setCursors((current) => [...current, audit.data.nextCursor as string])
          }
        >
          Older →
        </Button>
      </nav>
    </>
  );
}

export function AuditPage() {
  return (
    <>
      <PageHeader title="Audit" description="Who did what to which object, when and from where." />
      <AdminOnly what="the audit trail">
        <AuditList />
      </AdminOnly>
    </>
  );
}
