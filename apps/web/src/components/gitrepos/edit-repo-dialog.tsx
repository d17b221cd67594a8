'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import type { GitRepoDto } from '@/client/types.ts';
import { TestConnectionButton } from '@/components/clusters/test-connection-button.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Checkbox, TextArea, TextField } from '@/components/ui/field.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { gitConnected } from './connect-repo-form.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

const FIELDS = [
  'url',
  'branch',
  'revision',
  'paths',
  'auth.username',
  'auth.password',
  'auth.token',
] as const;

function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * Changes where a repository's bundles come from: URL, branch or pinned revision, paths, and
 * its credentials. Credentials are write-only: the form never shows the stored ones, only
 * whether some are set; typing new ones replaces them, and "remove" drops them. Only changed
 * fields are sent, so a rename of nothing never re-fetches.
 */
export function EditRepoDialog({
  repo,
  onClose,
  onSaved,
}: {
  repo: GitRepoDto;
  onClose: () => void;
  /** `needsFetch`: the change makes the repository fetch again (URL, ref, paths, credentials). */
  onSaved: (needsFetch: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState(repo.url);
  const [refKind, setRefKind] = useState<'branch' | 'revision'>(
    repo.revision ? 'revision' : 'branch',
  );
  const [ref, setRef] = useState(repo.revision ?? repo.branch);
  const [paths, setPaths] = useState(repo.paths.join('\n'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [isRemovingAuth, setIsRemovingAuth] = useState(false);

  const [testError, setTestError] = useState<unknown>(null);
  /** The connection fields that changed (saving and "Test connection" both send them). */
  const connectionChanges = () => {
    const body: Record<string, unknown> = {};
    if (url.trim() !== repo.url) body.url = url.trim();
    if (refKind === 'branch') {
      if (ref.trim() !== repo.branch || repo.revision) body.branch = ref.trim();
      if (repo.revision) body.revision = null;
    } else if (ref.trim() !== repo.revision) {
      body.revision = ref.trim();
    }
    if (isRemovingAuth) body.auth = null;
    else if (username.trim() || password || token) {
      body.auth = {
        ...(username.trim() ? { username: username.trim() } : {}),
        ...(password ? { password } : {}),
        ...(token ? { token } : {}),
      };
    }
    return body;
  };

  const save = useMutation({
    mutationFn: () => {
      const body = connectionChanges();
      const nextPaths = linesOf(paths);
      if (nextPaths.join('\n') !== repo.paths.join('\n')) body.paths = nextPaths;
      return apiFetch<GitRepoDto>(`/gitrepos/${repo.id}`, { method: 'PATCH', json: body }).then(
        (updated) => ({ updated, needsFetch: Object.keys(body).length > 0 }),
      );
    },
    onSuccess: async ({ updated, needsFetch }) => {
      queryClient.setQueryData(keys.gitRepo(repo.id), updated);
      onSaved(needsFetch);
      await queryClient.invalidateQueries({ queryKey: ['gitrepos'] });
      onClose();
    },
  });
  const problem = isProblemError(save.error)
    ? save.error
    : isProblemError(testError)
      ? testError
      : null;
  const errorOf = (path: string) => problem?.fieldError(path);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <Dialog isOpen onClose={onClose} title={<>Edit {repo.name}</>} width="max-w-2xl">
      <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Edit repository">
        <ProblemAlert error={save.error} shownPaths={FIELDS} title="The changes were not saved" />
        <TextField
          label="Repository URL"
          isMono
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          error={errorOf('url')}
          autoComplete="off"
          required
        />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800 dark:text-slate-200">Follow</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {(['branch', 'revision'] as const).map((kind) => (
              <label key={kind} className="flex items-center gap-1.5">
                <input
                  type="radio"
                  name="edit-ref-kind"
                  value={kind}
                  checked={refKind === kind}
                  onChange={() => setRefKind(kind)}
                  className="accent-teal-700"
                />
                {kind === 'branch' ? 'A branch' : 'A pinned revision (commit or tag)'}
              </label>
            ))}
          </div>
          <TextField
            label={refKind === 'branch' ? 'Branch' : 'Revision'}
            isMono
            value={ref}
            onChange={(event) => setRef(event.target.value)}
            error={errorOf(refKind)}
            hint="Saving fetches again at once; the commit shown updates when the fetch is done."
            autoComplete="off"
          />
        </fieldset>
        <TextArea
          label="Paths (one per line, optional)"
          rows={3}
          value={paths}
          onChange={(event) => setPaths(event.target.value)}
          error={errorOf('paths')}
          hint="Folders holding bundles; empty scans the whole repository."
          spellCheck={false}
        />
        <fieldset className="space-y-3 rounded-md border border-slate-200 p-3 dark:border-slate-700">
          <legend className="px-1 text-sm font-medium text-slate-800 dark:text-slate-200">
            Credentials
          </legend>
          <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="repo-auth-state">
            {repo.hasAuth
              ? 'Credentials are set. They are never shown; type new ones to replace them.'
              : 'No credentials: the repository is fetched anonymously.'}
          </p>
          <div className="grid gap-3 md:grid-cols-3">
            <TextField
              label="Username"
              value={username}
              disabled={isRemovingAuth}
              onChange={(event) => setUsername(event.target.value)}
              error={errorOf('auth.username')}
              autoComplete="off"
            />
            <TextField
              label="New password"
              type="password"
              value={password}
              disabled={isRemovingAuth}
              onChange={(event) => setPassword(event.target.value)}
              error={errorOf('auth.password')}
              autoComplete="new-password"
            />
            <TextField
              label="New token"
              type="password"
              value={token}
              disabled={isRemovingAuth}
              onChange={(event) => setToken(event.target.value)}
              error={errorOf('auth.token')}
              autoComplete="off"
            />
          </div>
          {repo.hasAuth ? (
            <Checkbox
              label="Remove the stored credentials"
              checked={isRemovingAuth}
              onChange={(event) => setIsRemovingAuth(event.target.checked)}
            />
          ) : null}
        </fieldset>
        <TestConnectionButton
          path="/gitrepos/test-connection"
          body={() => ({ gitRepoId: repo.id, ...connectionChanges() })}
          onProblem={setTestError}
          connected={gitConnected}
        />
        <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-700">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save changes'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
