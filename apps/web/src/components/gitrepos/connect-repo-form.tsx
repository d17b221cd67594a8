'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import type { GitRepoDto } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { TextArea, TextField } from '@/components/ui/field.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { TestConnectionButton } from '@/components/clusters/test-connection-button.tsx';
import { RepoTargetsStep, targetsOfChoice, type RepoTargetsChoice } from './repo-targets-step.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

const FIELDS = [
  'name',
  'url',
  'branch',
  'revision',
  'paths',
  'drivenBundles',
  'pollIntervalSeconds',
  'auth',
  'helmAuth',
  'webhookSecret',
  'targets',
] as const;

function linesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** "app dev.yaml" lines: a bundle folder and, optionally, the options file it reads. */
function drivenBundlesOf(text: string): { base: string; options?: string }[] {
  return linesOf(text).map((line) => {
    const [base = '', options] = line.split(/\s+/);
    return options ? { base, options } : { base };
  });
}

/** A successful "Test connection" on a repository: the branch or tag and its head commit. */
export function gitConnected(outcome: Record<string, unknown>): string {
  return `Connected: ${String(outcome.message).replace(/^connected: /, '')}`;
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
  const [drivenBundles, setDrivenBundles] = useState('');
  const [pollInterval, setPollInterval] = useState('60');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const [helmUsername, setHelmUsername] = useState('');
  const [helmPassword, setHelmPassword] = useState('');
  const [helmUrlPrefixes, setHelmUrlPrefixes] = useState('');
  const [helmCaBundle, setHelmCaBundle] = useState('');
  const [targetsChoice, setTargetsChoice] = useState<RepoTargetsChoice>({ kind: 'every' });
  const [missingSelector, setMissingSelector] = useState<string | undefined>();
  const [testError, setTestError] = useState<unknown>(null);
  /** What saving and "Test connection" both send: where the repository is and how to log in. */
  const connection = () => {
    const auth = {
      ...(username.trim() ? { username: username.trim() } : {}),
      ...(password ? { password } : {}),
      ...(token ? { token } : {}),
    };
    return {
      url: url.trim(),
      ...(ref.trim() ? { [refKind]: ref.trim() } : {}),
      ...(Object.keys(auth).length > 0 ? { auth } : {}),
    };
  };

  const connect = useMutation({
    mutationFn: () => {
      const body = {
        name: name.trim(),
        ...connection(),
        paths: linesOf(paths),
        drivenBundles: drivenBundlesOf(drivenBundles),
        pollIntervalSeconds: Number(pollInterval),
        targets: targetsOfChoice(targetsChoice),
        ...(webhookSecret ? { webhookSecret } : {}),
        ...(helmUsername.trim() || helmPassword || helmCaBundle.trim()
          ? {
              helmAuth: {
                ...(helmUsername.trim() || helmPassword
                  ? { username: helmUsername.trim(), password: helmPassword }
                  : {}),
                ...(helmCaBundle.trim() ? { caBundle: helmCaBundle.trim() } : {}),
                ...(linesOf(helmUrlPrefixes).length > 0
                  ? { urlPrefixes: linesOf(helmUrlPrefixes) }
                  : {}),
              },
            }
          : {}),
      };
      return apiFetch<GitRepoDto>('/gitrepos', { json: body });
    },
    onSuccess: async (repo) => {
      await queryClient.invalidateQueries({ queryKey: ['gitrepos'] });
      onDone(repo);
    },
  });
  const problem = isProblemError(connect.error)
    ? connect.error
    : isProblemError(testError)
      ? testError
      : null;
  const errorOf = (path: string) => problem?.fieldError(path);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // A blank selector would select every cluster: ask for one rather than guess.
    if (targetsChoice.kind === 'selector' && !targetsChoice.selector.trim()) {
      setMissingSelector('type a label selector, or choose "Every cluster"');
      return;
    }
    setMissingSelector(undefined);
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
        <TextArea
          label="Bundles (one per line, optional)"
          rows={3}
          placeholder={'app dev.yaml\napp prod.yaml'}
          value={drivenBundles}
          onChange={(event) => setDrivenBundles(event.target.value)}
          error={errorOf('drivenBundles')}
          hint="Fleet's bundles: a folder and the options file it reads instead of fleet.yaml. When given, exactly these are the bundles and paths are not scanned."
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
      <RepoTargetsStep
        choice={targetsChoice}
        onChange={(choice) => {
          setTargetsChoice(choice);
          setMissingSelector(undefined);
        }}
        problem={problem}
        missingSelector={missingSelector}
      />
      <details
        className="rounded-md border border-slate-200 p-3 dark:border-slate-700"
        open={Boolean(errorOf('auth') || errorOf('webhookSecret') || errorOf('helmAuth'))}
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
        <div className="mt-4 grid gap-4 md:grid-cols-2">
          <TextField
            label="Chart repository username"
            value={helmUsername}
            onChange={(event) => setHelmUsername(event.target.value)}
            error={errorOf('helmAuth.username')}
            hint="Fleet's helmSecretName: sent to the Helm repositories and OCI registries this repository's charts come from."
            autoComplete="off"
          />
          <TextField
            label="Chart repository password"
            type="password"
            value={helmPassword}
            onChange={(event) => setHelmPassword(event.target.value)}
            error={errorOf('helmAuth.password')}
            autoComplete="new-password"
          />
          <TextArea
            className="md:col-span-2"
            label="Send chart credentials only to (one per line, optional)"
            rows={2}
            placeholder={'https://charts.example.com\noci://registry.example.com/team'}
            value={helmUrlPrefixes}
            onChange={(event) => setHelmUrlPrefixes(event.target.value)}
            error={errorOf('helmAuth.urlPrefixes')}
            hint="Charts at or below these locations get the credentials; empty sends them to every chart source of this repository."
            spellCheck={false}
          />
          <TextArea
            className="md:col-span-2"
            label="Chart repository CA certificates (PEM, optional)"
            rows={2}
            placeholder="-----BEGIN CERTIFICATE-----"
            value={helmCaBundle}
            onChange={(event) => setHelmCaBundle(event.target.value)}
            error={errorOf('helmAuth.caBundle')}
            hint="Trusted on top of the system's roots for this repository's chart sources (a private CA)."
            spellCheck={false}
          />
        </div>
      </details>
      <TestConnectionButton
        path="/gitrepos/test-connection"
        body={connection}
        onProblem={setTestError}
        connected={gitConnected}
      />
      <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-700">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={connect.isPending}>
          {connect.isPending ? 'Connecting…' : 'Connect repository'}
        </Button>
      </div>
    </form>
  );
}
