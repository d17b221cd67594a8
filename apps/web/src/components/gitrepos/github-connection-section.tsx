'use client';

import type { GithubSettingsDto } from '@flotilla/core';
import { apiFetch, isProblemError } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import { commitStatusLook } from '@/client/states.ts';
import { CommitLink } from '@/components/common/commit-link.tsx';
import { LookBadge } from '@/components/ui/badges.tsx';
import { Button } from '@/components/ui/button.tsx';
import { SelectField, TextArea, TextField } from '@/components/ui/field.tsx';
import { Facts, Section } from '@/components/ui/layout.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';

const FIELDS = [
  'authKind',
  'token',
  'appId',
  'installationId',
  'privateKey',
  'baseUrl',
  'repository',
] as const;

/** Statuses change while a commit rolls out: the section asks again this often. */
const REFRESH_MS = 3000;

/**
 * The repo's GitHub connection (kind, base URL, app and installation; never the token or the
 * key), the form that sets, replaces or removes it, and the last commit status posted.
 */
export function GithubConnectionSection({
  gitRepoId,
  commitUrlTemplate,
  canOperate,
}: {
  gitRepoId: string;
  commitUrlTemplate: string | null;
  canOperate: boolean;
}) {
  const queryClient = useQueryClient();
  const queryKey = [...keys.gitRepo(gitRepoId), 'github'] as const;
  const settings = useQuery({
    queryKey,
    queryFn: () => apiFetch<GithubSettingsDto>(`/gitrepos/${gitRepoId}/github`),
    refetchInterval: REFRESH_MS,
  });
  const [isEditing, setIsEditing] = useState(false);
  const [authKind, setAuthKind] = useState<'token' | 'app'>('token');
  const [token, setToken] = useState('');
  const [appId, setAppId] = useState('');
  const [installationId, setInstallationId] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [repository, setRepository] = useState('');

  const connection = settings.data?.connection ?? null;
  const save = useMutation({
    mutationFn: () =>
      apiFetch<GithubSettingsDto>(`/gitrepos/${gitRepoId}/github`, {
        method: 'PUT',
        json: {
          authKind,
          ...(authKind === 'token'
            ? token
              ? { token }
              : {}
            : {
                appId: appId.trim(),
                installationId: installationId.trim(),
                ...(privateKey ? { privateKey } : {}),
              }),
          ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
          ...(repository.trim() ? { repository: repository.trim() } : {}),
        },
      }),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKey, updated);
      setToken('');
      setPrivateKey('');
      setIsEditing(false);
    },
  });
  const remove = useMutation({
    mutationFn: () => apiFetch<void>(`/gitrepos/${gitRepoId}/github`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey }),
  });
  const problem = isProblemError(save.error) ? save.error : null;
  const errorOf = (path: string) => problem?.fieldError(path);

  const startEditing = () => {
    setAuthKind(connection?.authKind ?? 'token');
    setAppId(connection?.appId ?? '');
    setInstallationId(connection?.installationId ?? '');
    setBaseUrl(connection?.baseUrl ?? '');
    setRepository(connection?.repository ?? '');
    save.reset();
    setIsEditing(true);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const last = settings.data?.statuses.find((status) => status.postedState !== null);
  const latest = settings.data?.statuses[0];

  return (
    <Section title="GitHub" id="repo-github">
      <ProblemAlert error={settings.error} title="Could not read the GitHub connection" />
      {settings.isPending ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Loading…</p>
      ) : connection ? (
        <Facts
          items={[
            [
              'Connected with',
              connection.authKind === 'app'
                ? `GitHub App ${connection.appId}, installation ${connection.installationId}`
                : 'a token',
            ],
            [
              'API',
              <code key="api" className="font-mono text-xs break-all">
                {connection.baseUrl}
              </code>,
            ],
            [
              'Repository',
              <code key="repo" className="font-mono text-xs">
                {connection.repository}
              </code>,
            ],
            ['Secret', connection.authKind === 'app' ? 'private key set' : 'token set'],
            [
              'Last status',
              last?.postedState ? (
                <span key="status" className="inline-flex flex-wrap items-center gap-2">
                  <LookBadge look={commitStatusLook(last.postedState)} />
                  <span data-testid="github-status-description">{last.postedDescription}</span>
                  <span className="text-xs text-slate-600 dark:text-slate-400">
                    on <CommitLink commit={last.commit} template={commitUrlTemplate} />,{' '}
                    <RelativeTime iso={last.postedAt} />
                  </span>
                </span>
              ) : (
                'none posted yet'
              ),
            ],
            ...(latest?.lastError
              ? ([
                  [
                    'Last attempt',
                    <span key="error" className="text-red-800 dark:text-red-300">
                      ✗ {latest.lastError} (<RelativeTime iso={latest.lastAttemptAt} />; retrying)
                    </span>,
                  ],
                ] as [string, ReactNode][])
              : []),
          ]}
        />
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Not connected. Connect the repository to post a commit status on GitHub for each commit it
          deploys (pending while it rolls out, then success or failure).
        </p>
      )}
      {canOperate && !isEditing ? (
        <div className="mt-3 flex gap-2">
          <Button onClick={startEditing}>
            {connection ? 'Replace connection' : 'Connect to GitHub'}
          </Button>
          {connection ? (
            <Button variant="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
              Disconnect
            </Button>
          ) : null}
        </div>
      ) : null}
      <ProblemAlert error={remove.error} title="Could not disconnect" />
      {isEditing ? (
        <form
          onSubmit={onSubmit}
          className="mt-4 space-y-4"
          noValidate
          aria-label="GitHub connection"
        >
          <ProblemAlert
            error={save.error}
            shownPaths={FIELDS}
            title="The GitHub connection was not saved"
          />
          <div className="grid gap-4 md:grid-cols-2">
            <SelectField
              label="Authenticate with"
              value={authKind}
              onChange={(event) => setAuthKind(event.target.value as 'token' | 'app')}
              error={errorOf('authKind')}
            >
              <option value="token">A token (personal or fine-grained)</option>
              <option value="app">A GitHub App</option>
            </SelectField>
            <TextField
              label="Repository on GitHub"
              isMono
              placeholder="owner/name (from the repository URL when empty)"
              value={repository}
              onChange={(event) => setRepository(event.target.value)}
              error={errorOf('repository')}
              autoComplete="off"
            />
            <TextField
              label="API base URL"
              isMono
              placeholder="https://api.github.com"
              hint="GitHub Enterprise Server: https://HOST/api/v3"
              value={baseUrl}
              onChange={(event) => setBaseUrl(event.target.value)}
              error={errorOf('baseUrl')}
              autoComplete="off"
            />
            {authKind === 'token' ? (
              <TextField
                label="Token"
                type="password"
                isMono
                placeholder={connection?.authKind === 'token' ? 'set: leave empty to keep it' : ''}
                hint="Commit statuses: read and write; checks: write; contents: read"
                value={token}
                onChange={(event) => setToken(event.target.value)}
                error={errorOf('token')}
                autoComplete="off"
              />
            ) : (
              <>
                <TextField
                  label="App id"
                  isMono
                  inputMode="numeric"
                  value={appId}
                  onChange={(event) => setAppId(event.target.value)}
                  error={errorOf('appId')}
                  autoComplete="off"
                />
                <TextField
                  label="Installation id"
                  isMono
                  inputMode="numeric"
                  value={installationId}
                  onChange={(event) => setInstallationId(event.target.value)}
                  error={errorOf('installationId')}
                  autoComplete="off"
                />
                <TextArea
                  label="Private key (PEM)"
                  className="md:col-span-2"
                  rows={4}
                  placeholder={
                    connection?.authKind === 'app'
                      ? 'set: leave empty to keep it'
                      : '-----BEGIN RSA PRIVATE KEY-----'
                  }
                  value={privateKey}
                  onChange={(event) => setPrivateKey(event.target.value)}
                  error={errorOf('privateKey')}
                  autoComplete="off"
                  spellCheck={false}
                />
              </>
            )}
          </div>
          <div className="flex justify-end gap-2">
            <Button onClick={() => setIsEditing(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save connection'}
            </Button>
          </div>
        </form>
      ) : null}
    </Section>
  );
}
