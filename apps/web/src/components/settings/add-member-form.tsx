'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { ROLES, type MemberDto, type Role } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { SelectField, TextField } from '@/components/ui/field.tsx';
import { Notice, ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

/** Adds a person by email; someone new to Flotilla also needs a first password. */
export function AddMemberForm() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const add = useMutation({
    mutationFn: () =>
      apiFetch<MemberDto>('/members', {
        json: { email: email.trim(), role, ...(password ? { password } : {}) },
      }),
    onSuccess: () => {
      setEmail('');
      setPassword('');
      void queryClient.invalidateQueries({ queryKey: keys.members });
    },
  });
  const problem = isProblemError(add.error) ? add.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <div className="space-y-3">
      {add.data ? (
        <Notice tone="success">
          Added {add.data.email} as {add.data.role}.
        </Notice>
      ) : null}
      <form
        onSubmit={onSubmit}
        className="flex flex-wrap items-start gap-3"
        noValidate
        aria-label="Add a member"
      >
        <TextField
          className="w-72"
          label="Email"
          type="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={problem?.fieldError('email')}
          autoComplete="off"
        />
        <SelectField
          className="w-40"
          label="Role"
          value={role}
          onChange={(event) => setRole(event.target.value as Role)}
          error={problem?.fieldError('role')}
        >
          {ROLES.map((entry) => (
            <option key={entry} value={entry}>
              {entry}
            </option>
          ))}
        </SelectField>
        <TextField
          className="w-64"
          label="First password"
          type="password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={problem?.fieldError('password')}
          hint="Only for someone new to Flotilla (12+ characters)."
          autoComplete="new-password"
        />
        <Button type="submit" variant="primary" className="mt-6" disabled={add.isPending}>
          Add member
        </Button>
      </form>
      <ProblemAlert
        error={add.error}
        shownPaths={['email', 'role', 'password']}
        title="The member was not added"
      />
    </div>
  );
}
