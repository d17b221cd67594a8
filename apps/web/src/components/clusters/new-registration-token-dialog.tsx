'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import type { AgentRegistration, ClusterDto } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { TextField } from '@/components/ui/field.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { AgentInstallCommand } from './agent-install-command.tsx';

/**
 * A new one-time registration token for an agent cluster (reinstall, or after a revoke). The
 * install command is shown in the dialog once; closing the dialog drops it.
 */
export function NewRegistrationTokenDialog({
  cluster,
  onClose,
}: {
  cluster: ClusterDto;
  onClose: () => void;
}) {
  const [expiresInHours, setExpiresInHours] = useState('24');
  const issue = useMutation({
    mutationFn: () => {
      const hours = expiresInHours.trim();
      return apiFetch<AgentRegistration>(`/clusters/${cluster.id}/agent/registration-tokens`, {
        json: hours ? { tokenExpiresInHours: Number(hours) } : {},
      });
    },
  });
  const problem = isProblemError(issue.error) ? issue.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    issue.mutate();
  };
  return (
    <Dialog
      isOpen
      onClose={onClose}
      title={<>New registration token for {cluster.name}</>}
      width="max-w-2xl"
    >
      {issue.data ? (
        <div className="space-y-4">
          <AgentInstallCommand clusterName={cluster.name} registration={issue.data} />
          <div className="flex justify-end">
            <Button variant="primary" onClick={onClose}>
              Done
            </Button>
          </div>
        </div>
      ) : (
        <form
          onSubmit={onSubmit}
          className="space-y-4"
          noValidate
          aria-label="New registration token"
        >
          <p className="text-sm text-slate-700 dark:text-slate-300">
            A token installs the agent again, for instance after a revoke or on a rebuilt cluster.
            Credentials the agent already holds keep working until they are revoked.
          </p>
          <ProblemAlert
            error={issue.error}
            shownPaths={['tokenExpiresInHours']}
            title="No token was issued"
          />
          <TextField
            className="max-w-xs"
            label="Token expires in (hours)"
            type="number"
            min={1}
            max={168}
            value={expiresInHours}
            onChange={(event) => setExpiresInHours(event.target.value)}
            error={problem?.fieldError('tokenExpiresInHours')}
            hint="1-168 hours."
          />
          <div className="flex justify-end gap-2">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={issue.isPending}>
              {issue.isPending ? 'Issuing…' : 'Issue token'}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
