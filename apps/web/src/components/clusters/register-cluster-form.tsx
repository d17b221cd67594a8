'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import { rowsToLabels, type LabelRow } from '@/client/labels.ts';
import type { RegisteredCluster } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { Checkbox, TextArea, TextField } from '@/components/ui/field.tsx';
import { LabelsEditor } from '@/components/ui/labels-editor.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { Tabs } from '@/components/ui/tabs.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { TestConnectionButton } from './test-connection-button.tsx';

type Method = 'token' | 'kubeconfig';
type ConnectionKind = 'direct' | 'agent';

const CONNECTION_KINDS: readonly { id: ConnectionKind; label: string; hint: string }[] = [
  {
    id: 'direct',
    label: 'Direct',
    hint: "Flotilla connects to the cluster's API server with credentials you give it.",
  },
  {
    id: 'agent',
    label: 'Agent',
    hint: 'An agent installed in the cluster connects out to Flotilla: no URL or credentials are stored (clusters behind NAT or a firewall).',
  },
];

const FIELDS = [
  'connectionKind',
  'name',
  'labels',
  'apiServerUrl',
  'token',
  'caData',
  'insecureSkipTlsVerify',
  'kubeconfig',
  'context',
  'tokenExpiresInHours',
] as const;

/**
 * Register a direct cluster by API server URL + bearer token (+ CA) or by pasting a kubeconfig,
 * or an agent cluster by name and labels alone (its answer carries the one-time install
 * command, which the caller shows). The server checks everything (a kubeconfig with exec or
 * file paths is refused, naming the field); each message is shown next to the field its path
 * names.
 */
export function RegisterClusterForm({
  onDone,
  onCancel,
}: {
  onDone: (cluster: RegisteredCluster) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const kindHintId = useId();
  const [kind, setKind] = useState<ConnectionKind>('direct');
  const [expiresInHours, setExpiresInHours] = useState('24');
  const [method, setMethod] = useState<Method>('token');
  const [name, setName] = useState('');
  const [labels, setLabels] = useState<LabelRow[]>([{ key: '', value: '' }]);
  const [apiServerUrl, setApiServerUrl] = useState('');
  const [token, setToken] = useState('');
  const [caData, setCaData] = useState('');
  const [isInsecure, setIsInsecure] = useState(false);
  const [kubeconfig, setKubeconfig] = useState('');
  const [context, setContext] = useState('');
  const [testError, setTestError] = useState<unknown>(null);
  /** The direct connection the form describes (saving and testing send the same). */
  const connection = () =>
    method === 'token'
      ? {
          apiServerUrl: apiServerUrl.trim(),
          token: token.trim(),
          ...(caData.trim() ? { caData: caData.trim() } : {}),
          ...(isInsecure ? { insecureSkipTlsVerify: true } : {}),
        }
      : { kubeconfig, ...(context.trim() ? { context: context.trim() } : {}) };

  const register = useMutation({
    mutationFn: () => {
      const common = { name: name.trim(), labels: rowsToLabels(labels) };
      const hours = expiresInHours.trim();
      const body =
        kind === 'agent'
          ? {
              ...common,
              connectionKind: 'agent',
              // A number field left empty takes the server's default (24 h).
              ...(hours ? { tokenExpiresInHours: Number(hours) } : {}),
            }
          : { ...common, ...connection() };
      return apiFetch<RegisteredCluster>('/clusters', { json: body });
    },
    onSuccess: async (cluster) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['clusters'] }),
        queryClient.invalidateQueries({ queryKey: ['matrix'] }),
      ]);
      onDone(cluster);
    },
  });
  const problem = isProblemError(register.error)
    ? register.error
    : isProblemError(testError)
      ? testError
      : null;
  const errorOf = (path: string) => problem?.fieldError(path);
  // A kubeconfig error names the place inside the YAML (`kubeconfig.users[0].user.exec`): show it.
  const kubeconfigError = problem?.errors
    .filter((error) => error.path === 'kubeconfig' || error.path.startsWith('kubeconfig.'))
    .map((error) =>
      error.path === 'kubeconfig'
        ? error.message
        : `${error.path.slice('kubeconfig.'.length)}: ${error.message}`,
    )
    .join('; ');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate();
  };

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Register a cluster">
      <ProblemAlert
        error={register.error}
        shownPaths={FIELDS}
        title="The cluster was not registered"
      />
      <TextField
        label="Name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={errorOf('name')}
        autoComplete="off"
        required
      />
      <fieldset className="space-y-2" aria-describedby={kindHintId}>
        <legend className="text-sm font-medium text-slate-800 dark:text-slate-200">
          Connection
        </legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {CONNECTION_KINDS.map((option) => (
            <label key={option.id} className="flex items-center gap-1.5">
              <input
                type="radio"
                name="connection-kind"
                value={option.id}
                checked={kind === option.id}
                onChange={() => setKind(option.id)}
                className="accent-teal-700"
              />
              {option.label}
            </label>
          ))}
        </div>
        <p id={kindHintId} className="text-xs text-slate-600 dark:text-slate-400">
          {CONNECTION_KINDS.find((option) => option.id === kind)?.hint}
        </p>
      </fieldset>
      {kind === 'agent' ? (
        <TextField
          className="max-w-xs"
          label="Token expires in (hours)"
          type="number"
          min={1}
          max={168}
          value={expiresInHours}
          onChange={(event) => setExpiresInHours(event.target.value)}
          error={errorOf('tokenExpiresInHours')}
          hint="The registration token installs one agent, once, within this time (1-168)."
        />
      ) : (
        <Tabs
          label="How to connect"
          tabs={[
            { id: 'token', label: 'API server URL + token' },
            { id: 'kubeconfig', label: 'Paste a kubeconfig' },
          ]}
          selected={method}
          onSelect={setMethod}
        >
          {method === 'token' ? (
            <div className="space-y-3">
              <TextField
                label="API server URL"
                placeholder="https://203.0.113.10:6443"
                value={apiServerUrl}
                onChange={(event) => setApiServerUrl(event.target.value)}
                error={errorOf('apiServerUrl')}
                autoComplete="off"
                inputMode="url"
              />
              <TextField
                label="Bearer token"
                type="password"
                value={token}
                onChange={(event) => setToken(event.target.value)}
                error={errorOf('token')}
                hint="A service account token with the rights Flotilla needs. Stored encrypted; never shown again."
                autoComplete="off"
              />
              <TextArea
                label="CA certificate (base64, optional)"
                rows={3}
                value={caData}
                onChange={(event) => setCaData(event.target.value)}
                error={errorOf('caData')}
                hint="The certificate-authority-data of a kubeconfig."
                spellCheck={false}
              />
              <Checkbox
                label="Skip TLS verification (insecure)"
                hint="Only for test clusters: the cluster is marked “insecure TLS”."
                checked={isInsecure}
                onChange={(event) => setIsInsecure(event.target.checked)}
              />
            </div>
          ) : (
            <div className="space-y-3">
              <TextArea
                label="Kubeconfig (YAML)"
                rows={10}
                value={kubeconfig}
                onChange={(event) => setKubeconfig(event.target.value)}
                error={kubeconfigError || undefined}
                hint="Tokens, client certificates and CA data only: exec plugins, auth providers and file paths are refused."
                spellCheck={false}
              />
              <TextField
                label="Context (optional)"
                value={context}
                onChange={(event) => setContext(event.target.value)}
                error={errorOf('context')}
                hint="Defaults to the kubeconfig's current-context."
                autoComplete="off"
              />
            </div>
          )}
        </Tabs>
      )}
      {kind === 'direct' ? (
        <TestConnectionButton body={connection} onProblem={setTestError} />
      ) : null}
      <LabelsEditor rows={labels} onChange={setLabels} problem={problem} />
      <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-700">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={register.isPending}>
          {register.isPending ? 'Registering…' : 'Register cluster'}
        </Button>
      </div>
    </form>
  );
}
