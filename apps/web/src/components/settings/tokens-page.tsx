'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import type { ApiTokenDto } from '@/client/types.ts';
import { Tag } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { Loading, PageHeader, Section } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { Table, Td, Th } from '@/components/ui/table.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { AdminOnly } from './admin-only.tsx';
import { CreateTokenForm } from './create-token-form.tsx';

function TokensList() {
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = useState<ApiTokenDto | null>(null);
  const tokens = useQuery({
    queryKey: keys.tokens,
    queryFn: () => apiFetch<Page<ApiTokenDto>>('/tokens'),
  });
  const revoke = useMutation({
    mutationFn: (token: ApiTokenDto) => apiFetch<void>(`/tokens/${token.id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keys.tokens });
      setRevoking(null);
    },
  });
  if (tokens.isPending) return <Loading what="Loading tokens" />;
  if (!tokens.data)
    return <ProblemAlert error={tokens.error} onRetry={() => void tokens.refetch()} />;
  if (tokens.data.items.length === 0)
    return <p className="text-sm text-slate-700 dark:text-slate-300">No API tokens yet.</p>;
  return (
    <>
      <Table label="API tokens">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Prefix</Th>
            <Th>Role</Th>
            <Th>Created</Th>
            <Th>Last used</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {tokens.data.items.map((token) => (
            <tr key={token.id}>
              <Td className="font-medium break-all">{token.name}</Td>
              <Td>
                <code className="font-mono text-xs">{token.prefix}…</code>
              </Td>
              <Td>{token.role}</Td>
              <Td className="text-xs">
                <RelativeTime iso={token.createdAt} />
              </Td>
              <Td className="text-xs">
                <RelativeTime iso={token.lastUsedAt} />
              </Td>
              <Td className="text-right">
                {token.revokedAt ? (
                  <Tag>revoked</Tag>
                ) : (
                  <Button variant="ghost" onClick={() => setRevoking(token)}>
                    Revoke<span className="sr-only"> {token.name}</span>
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Dialog
        isOpen={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke ${revoking?.name ?? ''}?`}
      >
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Anything using this token (CI jobs, scripts) gets 401 from now on. This cannot be undone.
        </p>
        <div className="mt-3">
          <ProblemAlert error={revoke.error} />
        </div>
        <div className="mt-4 flex justify-end gap-2">
          <Button onClick={() => setRevoking(null)} autoFocus>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={revoke.isPending}
            onClick={() => revoking && revoke.mutate(revoking)}
          >
            Revoke token
          </Button>
        </div>
      </Dialog>
    </>
  );
}

export function TokensPage() {
  return (
    <>
      <PageHeader
        title="API tokens"
        description="For scripts and CI: send as Authorization: Bearer <token>. Each token has a role in this workspace."
      />
      <AdminOnly what="API tokens">
        <Section title="New token" id="new-token">
          <CreateTokenForm />
        </Section>
        <Section title="Tokens" id="tokens">
          <TokensList />
        </Section>
      </AdminOnly>
    </>
  );
}
