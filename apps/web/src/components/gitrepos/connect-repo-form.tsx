'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import type { GitRepoDto } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { TextArea, TextField } from '@/components/ui/field.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

const FIELDS = [
  'name',
  'url',
  'branch',
  'revision',
  'paths',
  'pollIntervalSeconds',
  'auth',
  'webhookSecret',
] as const;

function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Connect a repository: fetching starts as soon as it is saved. Secrets are write-only. */
export function ConnectRepoForm({
  onDone,
  onCancel,
}: {
  onDone: (repo: GitRepoDto) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [refKind, setRefKind] = useState<'branch' | 'revision'>('branch');
  const [ref, setRef] = useState('main');
  const [paths, setPaths] = useState('');
  const [pollInterval, setPollInterval] = useState('60');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');

  const connect = useMutation({
    mutationFn: () => {
      const auth = {
        ...(username.trim() ? { username: username.trim() } : {}),
        ...(password ? { password } : {}),
        ...(token ? { token } : {}),
      };
      const body = {
        name: name.trim(),
        url: url.trim(),
        ...(ref.trim() ? { [refKind]: ref.trim() } : {}),
        paths: linesOf(paths),
        pollIntervalSeconds: Number(pollInterval),
        ...(Object.keys(auth).length > 0 ? { auth } : {}),
        ...(webhookSecret ? { webhookSecret } : {}),
      };
      return apiFetch<GitRepoDto>('/gitrepos', { json: body });
    },
    onSuccess: async (repo) => {
      await queryClient.invalidateQueries({ queryKey: ['gitrepos'] });
      onDone(repo);
    },
  });
  const problem = isProblemError(connect.error) ? connect.error : null;
  const errorOf = (path: string) => problem?.fieldError(path);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    connect.mutate();
  };

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Connect a repository">
      <ProblemAlert
        error={connect.error}
        shownPaths={FIELDS}
        title="The repository was not connected"
      />
      <div className="grid gap-4 md:grid-cols-2">
        <TextField
          label="Name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={errorOf('name')}
          autoComplete="off"
          required
        />
        <TextField
          label="Repository URL"
          isMono
          placeholder="https://github.com/org/repo.git"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          error={errorOf('url')}
          autoComplete="off"
          required
        />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800 dark:text-slate-200">Follow</legend>
        <div className="flex gap-4 text-sm">
          {(['branch', 'revision'] as const).map((kind) => (
            <label key={kind} className="flex items-center gap-1.5">
              <input
                type="radio"
                name="ref-kind"
                value={kind}
                checked={refKind === kind}
                onChange={() => setRefKind(kind)}
                className="accent-teal-700"
              />
              {kind === 'branch'
                ? 'A branch (new commits deploy)'
                : 'A pinned revision (commit or tag)'}
            </label>
          ))}
        </div>
        <TextField
          label={refKind === 'branch' ? 'Branch' : 'Revision'}
          isMono
          value={ref}
          onChange={(event) => setRef(event.target.value)}
          error={errorOf(refKind)}
          autoComplete="off"
        />
      </fieldset>
      <div className="grid gap-4 md:grid-cols-2">
        <TextArea
          label="Paths (one per line, optional)"
          rows={3}
          value={paths}
          onChange={(event) => setPaths(event.target.value)}
          error={errorOf('paths')}
          hint="Folders holding bundles; empty scans the whole repository."
          spellCheck={false}
        />
        <TextField
          label="Poll interval (seconds)"
          type="number"
          min={10}
          value={pollInterval}
          onChange={(event) => setPollInterval(event.target.value)}
          error={errorOf('pollIntervalSeconds')}
          hint="How often Flotilla looks for new commits (a webhook makes it immediate)."
        />
      </div>
      <details
        className="rounded-md border border-slate-200 p-3 dark:border-slate-700"
        open={Boolean(errorOf('auth') || errorOf('webhookSecret'))}
      >
        <summary className="cursor-pointer text-sm font-medium text-slate-800 dark:text-slate-200">
          Credentials and webhook (optional)
        </summary>
        <div className="mt-3 grid gap-4 md:grid-cols-3">
          <TextField
            label="Username"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            error={errorOf('auth.username')}
            autoComplete="off"
          />
          <TextField
            label="Password"
            type="password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={errorOf('auth.password')}
            autoComplete="new-password"
          />
          <TextField
            label="Token"
            type="password"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            error={errorOf('auth.token')}
            autoComplete="off"
          />
        </div>
        {problem?.errors.some((error) => error.path === 'auth') ? (
          <p className="mt-2 text-sm text-red-700 dark:text-red-300">
            ✗ {problem.fieldError('auth')}
          </p>
        ) : null}
        <TextField
          className="mt-4"
          label="Webhook secret"
          type="password"
          value={webhookSecret}
          onChange={(event) => setWebhookSecret(event.target.value)}
          error={errorOf('webhookSecret')}
          hint="The secret GitHub signs push events with (at least 8 characters). Stored encrypted."
          autoComplete="new-password"
        />
      </details>
      <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-700">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={connect.isPending}>
          {connect.isPending ? 'Connecting…' : 'Connect repository'}
        </Button>
      </div>
    </form>
  );
}
