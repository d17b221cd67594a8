'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import { keys } from '@/client/query-keys.ts';
import type { ClusterDto } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { Checkbox, TextArea, TextField } from '@/components/ui/field.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { TestConnectionButton } from './test-connection-button.tsx';

const FIELDS = ['apiServerUrl', 'caData', 'token'] as const;

/**
 * How Flotilla reaches a direct cluster: its API server URL, the CA that signed it, and the
 * bearer token. The token and CA are never shown back: blank keeps the stored one, typing
 * replaces it. The cluster is probed again right after saving.
 */
export function EditConnectionDialog({
  cluster,
  onClose,
  onSaved,
}: {
  cluster: ClusterDto;
  onClose: () => void;
  onSaved: () => void;
}) {
  const queryClient = useQueryClient();
  const [apiServerUrl, setApiServerUrl] = useState(cluster.apiServerUrl ?? '');
  const [caData, setCaData] = useState('');
  const [isRemovingCa, setIsRemovingCa] = useState(false);
  const [token, setToken] = useState('');
  const [testError, setTestError] = useState<unknown>(null);
  /** Only what changed: the stored token and CA stay unless replaced. */
  const changes = () => ({
    ...(apiServerUrl.trim() !== cluster.apiServerUrl ? { apiServerUrl: apiServerUrl.trim() } : {}),
    ...(isRemovingCa ? { caData: null } : caData.trim() ? { caData: caData.trim() } : {}),
    ...(token ? { token } : {}),
  });
  const save = useMutation({
    mutationFn: () =>
      apiFetch<ClusterDto>(`/clusters/${cluster.id}`, { method: 'PATCH', json: changes() }),
    onSuccess: async (updated) => {
      queryClient.setQueryData(keys.cluster(cluster.id), updated);
      await queryClient.invalidateQueries({ queryKey: ['clusters'] });
      onSaved();
    },
  });
  const problem = isProblemError(save.error)
    ? save.error
    : isProblemError(testError)
      ? testError
      : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Dialog isOpen onClose={onClose} title={<>Connection of {cluster.name}</>} width="max-w-2xl">
      <form
        onSubmit={onSubmit}
        className="space-y-4"
        noValidate
        aria-label="Edit cluster connection"
      >
        <ProblemAlert error={save.error} shownPaths={FIELDS} title="The connection was not saved" />
        <TextField
          label="API server URL"
          isMono
          value={apiServerUrl}
          onChange={(event) => setApiServerUrl(event.target.value)}
          error={problem?.fieldError('apiServerUrl')}
          autoComplete="off"
          required
        />
        <TextField
          label="New bearer token"
          type="password"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          error={problem?.fieldError('token')}
          hint={
            cluster.hasCredentials
              ? 'A token is set and is never shown. Leave blank to keep it; type one to replace it.'
              : 'No token is set.'
          }
          autoComplete="new-password"
        />
        <TextArea
          label="New CA certificate (base64, optional)"
          rows={3}
          value={caData}
          disabled={isRemovingCa}
          onChange={(event) => setCaData(event.target.value)}
          error={problem?.fieldError('caData')}
          hint={
            cluster.hasCaData
              ? 'A custom CA is set. Leave blank to keep it.'
              : "No custom CA: the system's roots verify the API server."
          }
          spellCheck={false}
        />
        {cluster.hasCaData ? (
          <Checkbox
            label="Remove the custom CA"
            checked={isRemovingCa}
            onChange={(event) => setIsRemovingCa(event.target.checked)}
          />
        ) : null}
        <TestConnectionButton
          body={() => ({ clusterId: cluster.id, ...changes() })}
          onProblem={setTestError}
        />
        <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-700">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save connection'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
