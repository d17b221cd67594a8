'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import { roleAllows } from '@/client/session.ts';
import type { SessionDto, WorkspaceDto } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { TextField } from '@/components/ui/field.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';

/** Everything on screen belongs to one workspace: switching reloads the app in the other. */
async function switchTo(workspaceId: string): Promise<void> {
  await apiFetch('/auth/workspace', { json: { workspaceId } });
  window.location.assign('/');
}

export function WorkspaceSwitcher({ session }: { session: SessionDto }) {
  const selectId = useId();
  const [isCreating, setIsCreating] = useState(false);
  const [name, setName] = useState('');
  const change = useMutation({ mutationFn: switchTo });
  const create = useMutation({
    mutationFn: async () => {
      const workspace = await apiFetch<WorkspaceDto>('/workspaces', { json: { name } });
      await switchTo(workspace.id);
    },
  });
  const canSwitch = session.kind === 'user' && session.workspaces.length > 1;
  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <div className="flex items-center gap-2">
      <label
        htmlFor={selectId}
        className="sr-only text-sm text-slate-600 sm:not-sr-only dark:text-slate-400"
      >
        Workspace
      </label>
      <select
        id={selectId}
        value={session.workspace.id}
        disabled={!canSwitch || change.isPending}
        onChange={(event) => change.mutate(event.target.value)}
        className="max-w-[11rem] rounded-md border sm:max-w-[14rem] border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
      >
        {session.workspaces.map((workspace) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.name} ({workspace.role})
          </option>
        ))}
      </select>
      {roleAllows(session.role, 'administer') && session.kind === 'user' ? (
        <Button variant="ghost" onClick={() => setIsCreating(true)} aria-label="New workspace">
          +
        </Button>
      ) : null}
      {change.error ? (
        <span role="alert" className="text-sm text-red-700 dark:text-red-300">
          {isProblemError(change.error) ? change.error.detail : 'could not switch'}
        </span>
      ) : null}
      <Dialog isOpen={isCreating} onClose={() => setIsCreating(false)} title="New workspace">
        <form onSubmit={onCreate} className="space-y-4">
          <p className="text-sm text-slate-600 dark:text-slate-400">
            A workspace has its own clusters, repositories, members and tokens. You become its
            admin.
          </p>
          <ProblemAlert error={create.error} shownPaths={['name']} />
          <TextField
            label="Name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={isProblemError(create.error) ? create.error.fieldError('name') : undefined}
            required
          />
          <div className="flex justify-end gap-2">
            <Button onClick={() => setIsCreating(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              Create and switch
            </Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
