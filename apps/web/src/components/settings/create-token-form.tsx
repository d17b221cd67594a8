'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { ROLES, type CreatedApiToken, type Role } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { CopyButton } from '@/components/ui/copy-button.tsx';
import { SelectField, TextField } from '@/components/ui/field.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

/** Creates a token and shows its secret this once, with a copy button and a warning. */
export function CreateTokenForm() {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [days, setDays] = useState('90');
  const create = useMutation({
    mutationFn: () =>
      apiFetch<CreatedApiToken>('/tokens', {
        json: { name: name.trim(), role, ...(days.trim() ? { expiresInDays: Number(days) } : {}) },
      }),
    onSuccess: () => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: keys.tokens });
    },
  });
  const problem = isProblemError(create.error) ? create.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <div className="space-y-4">
      {create.data ? (
        <div
          role="status"
          className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100"
        >
          <p className="font-semibold">
            ⚠ Copy the token “{create.data.name}” now: it is shown only once and cannot be retrieved
            later.
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <code
              className="rounded bg-white px-2 py-1 font-mono break-all text-slate-900 dark:bg-slate-950 dark:text-slate-100"
              data-testid="new-token"
            >
              {create.data.token}
            </code>
            <CopyButton text={create.data.token} label="Copy token" />
          </div>
          <Button variant="ghost" onClick={() => create.reset()}>
            I have stored it, hide it
          </Button>
        </div>
      ) : null}
      <form
        onSubmit={onSubmit}
        className="flex flex-wrap items-start gap-3"
        noValidate
        aria-label="Create an API token"
      >
        <TextField
          className="w-64"
          label="Name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={problem?.fieldError('name')}
          autoComplete="off"
          placeholder="ci-deployer"
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
          className="w-40"
          label="Expires in (days)"
          type="number"
          min={1}
          value={days}
          onChange={(event) => setDays(event.target.value)}
          error={problem?.fieldError('expiresInDays')}
          hint="Empty: never"
        />
        <Button type="submit" variant="primary" className="mt-6" disabled={create.isPending}>
          Create token
        </Button>
      </form>
      <ProblemAlert
        error={create.error}
        shownPaths={['name', 'role', 'expiresInDays']}
        title="The token was not created"
      />
    </div>
  );
}
