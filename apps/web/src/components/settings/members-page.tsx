'use client';

import { apiFetch, type Page } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { useSession } from '@/client/session.ts';
import { ROLES, type MemberDto, type Role } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { INPUT_CLASS } from '@/components/ui/field.tsx';
import { Loading, PageHeader, Section } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { Table, Td, Th } from '@/components/ui/table.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { AddMemberForm } from './add-member-form.tsx';
import { AdminOnly } from './admin-only.tsx';

const ROLE_MEANING: Readonly<Record<Role, string>> = {
  viewer: 'reads everything',
  operator: 'changes the fleet',
  admin: 'also manages access',
};

function article(role: Role): string {
  return `${role === 'admin' || role === 'operator' ? 'an' : 'a'} ${role}`;
}

function MembersList() {
  const queryClient = useQueryClient();
  const session = useSession();
  const [removing, setRemoving] = useState<MemberDto | null>(null);
  /** A role picked in a row, waiting for the admin to confirm it (the select shows it meanwhile). */
  const [roleChange, setRoleChange] = useState<{ member: MemberDto; role: Role } | null>(null);
  const members = useQuery({
    queryKey: keys.members,
    queryFn: () => apiFetch<Page<MemberDto>>('/members'),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.members });
  const changeRole = useMutation({
    mutationFn: ({ member, role }: { member: MemberDto; role: Role }) =>
      apiFetch<MemberDto>(`/members/${member.id}`, { method: 'PATCH', json: { role } }),
    onSettled: async () => {
      await refresh();
      setRoleChange(null);
    },
  });
  const remove = useMutation({
    mutationFn: (member: MemberDto) =>
      apiFetch<void>(`/members/${member.id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      await refresh();
      setRemoving(null);
    },
  });
  if (members.isPending) return <Loading what="Loading members" />;
  if (!members.data) return <ProblemAlert error={members.error} />;
  return (
    <>
      <ProblemAlert error={changeRole.error} title="The role was not changed" />
      <Table label="Members">
        <thead>
          <tr>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Member since</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {members.data.items.map((member) => (
            <tr key={member.id}>
              <Td className="break-all">
                {member.email}
                {member.name ? (
                  <span className="block text-xs text-slate-600 dark:text-slate-400">
                    {member.name}
                  </span>
                ) : null}
                {member.userId === session.data?.user?.id ? (
                  <span className="block text-xs text-slate-600 dark:text-slate-400">you</span>
                ) : null}
              </Td>
              <Td>
                <select
                  aria-label={`Role of ${member.email}`}
                  className={`${INPUT_CLASS} w-56`}
                  value={roleChange?.member.id === member.id ? roleChange.role : member.role}
                  disabled={changeRole.isPending}
                  onChange={(event) => {
                    const role = event.target.value as Role;
                    if (role !== member.role) setRoleChange({ member, role });
                  }}
                >
                  {ROLES.map((role) => (
                    <option key={role} value={role}>
                      {role} ({ROLE_MEANING[role]})
                    </option>
                  ))}
                </select>
              </Td>
              <Td className="text-xs">
                <RelativeTime iso={member.createdAt} />
              </Td>
              <Td className="text-right">
                <Button variant="ghost" onClick={() => setRemoving(member)}>
                  Remove<span className="sr-only"> {member.email}</span>
                </Button>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Dialog
        isOpen={roleChange !== null}
        onClose={() => setRoleChange(null)}
        title={`Make ${roleChange?.member.email ?? ''} ${roleChange ? article(roleChange.role) : ''}?`}
      >
        {roleChange ? (
          <>
            <p className="text-sm text-slate-700 dark:text-slate-300">
              From {article(roleChange.member.role)} ({ROLE_MEANING[roleChange.member.role]}) to{' '}
              {article(roleChange.role)} ({ROLE_MEANING[roleChange.role]}), at once
              {roleChange.member.userId === session.data?.user?.id ? ', for you too' : ''}.
            </p>
            <div className="mt-4 flex justify-end gap-2">
              <Button onClick={() => setRoleChange(null)} autoFocus>
                Cancel
              </Button>
              <Button
                variant="primary"
                disabled={changeRole.isPending}
                onClick={() => changeRole.mutate(roleChange)}
              >
                Change role
              </Button>
            </div>
          </>
        ) : null}
      </Dialog>
      <Dialog
        isOpen={removing !== null}
        onClose={() => setRemoving(null)}
        title={`Remove ${removing?.email ?? ''}?`}
      >
        <p className="text-sm text-slate-700 dark:text-slate-300">
          They lose access to this workspace at once: their sessions end and their tokens here are
          revoked.
        </p>
        <div className="mt-3">
          <ProblemAlert error={remove.error} />
        </div>
        <div className="mt-4 flex justify-end gap-2">
          <Button onClick={() => setRemoving(null)} autoFocus>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={remove.isPending}
            onClick={() => removing && remove.mutate(removing)}
          >
            Remove member
          </Button>
        </div>
      </Dialog>
    </>
  );
}

export function MembersPage() {
  return (
    <>
      <PageHeader
        title="Members"
        description="Who can use this workspace: viewers read, operators change the fleet, admins manage access."
      />
      <AdminOnly what="members">
        <Section title="Add a member" id="add-member">
          <AddMemberForm />
        </Section>
        <Section title="Members" id="members">
          <MembersList />
        </Section>
      </AdminOnly>
    </>
  );
}
