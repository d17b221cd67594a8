'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import { Button } from '@/components/ui/button.tsx';
import { Checkbox, SelectField, TextField } from '@/components/ui/field.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import type { SyncWindowDto } from '@flotilla/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

/**
 * A new sync window: kind, cron schedule, duration, time zone, and one target (a cluster
 * selector in the string syntax and/or a cluster group by name). The API checks every field
 * and names the wrong ones; this form shows each error under its field.
 */
export function SyncWindowForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'allow' | 'deny'>('allow');
  const [schedule, setSchedule] = useState('0 9 * * 2-4');
  const [duration, setDuration] = useState('7h');
  const [timeZone, setTimeZone] = useState('UTC');
  const [clusterSelector, setClusterSelector] = useState('');
  const [clusterGroup, setClusterGroup] = useState('');
  const [manualSync, setManualSync] = useState(false);

  const save = useMutation({
    mutationFn: () => {
      const target: Record<string, string> = {};
      if (clusterSelector.trim()) target.clusterSelector = clusterSelector.trim();
      if (clusterGroup.trim()) target.clusterGroup = clusterGroup.trim();
      return apiFetch<SyncWindowDto>('/sync-windows', {
        json: {
          name: name.trim(),
          kind,
          schedule: schedule.trim(),
          duration: duration.trim(),
          timeZone: timeZone.trim(),
          targets: [target],
          manualSync,
        },
      });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['sync-windows'] });
      onDone();
    },
  });
  const problem = isProblemError(save.error) ? save.error : null;
  const targetError =
    problem?.fieldError('targets') ??
    problem?.fieldError('targets[0]') ??
    problem?.fieldError('targets[0].clusterSelector');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="New sync window">
      <ProblemAlert
        error={save.error}
        shownPaths={[
          'name',
          'kind',
          'schedule',
          'duration',
          'timeZone',
          'targets',
          'targets[0]',
          'targets[0].clusterSelector',
        ]}
        title="The window was not saved"
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={problem?.fieldError('name')}
          autoComplete="off"
          required
        />
        <SelectField
          label="Kind"
          value={kind}
          onChange={(event) => setKind(event.target.value === 'deny' ? 'deny' : 'allow')}
          error={problem?.fieldError('kind')}
          hint="Allow: changes only inside the window. Deny: no changes inside it (deny wins)."
        >
          <option value="allow">allow</option>
          <option value="deny">deny</option>
        </SelectField>
        <TextField
          label="Schedule (cron, when the window starts)"
          value={schedule}
          onChange={(event) => setSchedule(event.target.value)}
          error={problem?.fieldError('schedule')}
          hint="5 fields: minute hour day-of-month month day-of-week"
          isMono
          required
        />
        <TextField
          label="Duration"
          value={duration}
          onChange={(event) => setDuration(event.target.value)}
          error={problem?.fieldError('duration')}
          hint='e.g. "7h", "1h30m"'
          isMono
          required
        />
        <TextField
          label="Time zone"
          value={timeZone}
          onChange={(event) => setTimeZone(event.target.value)}
          error={problem?.fieldError('timeZone')}
          hint='IANA name, e.g. "Europe/Berlin"'
          required
        />
        <TextField
          label="Cluster selector"
          value={clusterSelector}
          onChange={(event) => setClusterSelector(event.target.value)}
          error={targetError}
          hint='e.g. "env=prod"; and/or a cluster group below'
          isMono
        />
        <TextField
          label="Cluster group"
          value={clusterGroup}
          onChange={(event) => setClusterGroup(event.target.value)}
          error={problem?.fieldError('targets[0].clusterGroup')}
        />
      </div>
      <Checkbox
        label="Allow manual syncs"
        hint='"Correct drift now" may pass while this window holds changes back (audited).'
        checked={manualSync}
        onChange={(event) => setManualSync(event.target.checked)}
      />
      <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-700">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={save.isPending}>
          Create window
        </Button>
      </div>
    </form>
  );
}
