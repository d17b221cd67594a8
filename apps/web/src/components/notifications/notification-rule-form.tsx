'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import { selectorToRows, selectorToText } from '@/client/selectors.ts';
import {
  draftToSelector,
  SelectorEditor,
  type SelectorDraft,
} from '@/components/cluster-groups/selector-editor.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Checkbox, SelectField, TextField } from '@/components/ui/field.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import type { NotificationEvent, NotificationRuleDto } from '@flotilla/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';

export const EVENT_LABELS: Readonly<Record<NotificationEvent, string>> = {
  'deployment.ErrApplied': 'A deployment enters ErrApplied',
  'deployment.Modified': 'A deployment enters Modified (drift)',
  'deployment.Offline': 'A deployment enters Offline',
  'rollout.halted': 'A rollout halts',
};
const EVENTS = Object.keys(EVENT_LABELS) as NotificationEvent[];

/**
 * A new rule, or changes to one. The URL and the secret are write-only: editing shows only the
 * destination's host, and an empty field keeps what is stored.
 */
export function NotificationRuleForm({
  rule,
  onDone,
  onCancel,
}: {
  rule: NotificationRuleDto | null;
  onDone: () => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(rule?.name ?? '');
  const [events, setEvents] = useState<NotificationEvent[]>(
    rule?.events ?? ['deployment.ErrApplied', 'deployment.Offline'],
  );
  const [hasSelector, setHasSelector] = useState(rule?.clusterSelector != null);
  const [draft, setDraft] = useState<SelectorDraft>(() => ({
    mode: 'rows',
    rows: rule?.clusterSelector
      ? selectorToRows(rule.clusterSelector)
      : { matchLabels: [{ key: '', value: '' }], matchExpressions: [] },
    text: rule?.clusterSelector ? selectorToText(rule.clusterSelector) : '',
  }));
  const [kind, setKind] = useState<'webhook' | 'slack'>(rule?.destination.kind ?? 'webhook');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [windowSeconds, setWindowSeconds] = useState(String(rule?.windowSeconds ?? 10));
  const [isEnabled, setEnabled] = useState(rule?.isEnabled ?? true);

  const save = useMutation({
    mutationFn: () => {
      const destination: Record<string, string> = { kind };
      if (url.trim()) destination.url = url.trim();
      if (secret) destination.secret = secret;
      const body = {
        name: name.trim(),
        events,
        clusterSelector: hasSelector ? draftToSelector(draft) : null,
        destination,
        windowSeconds: Number(windowSeconds),
        isEnabled,
      };
      return rule
        ? apiFetch<NotificationRuleDto>(`/notifications/rules/${rule.id}`, {
            method: 'PATCH',
            json: body,
          })
        : apiFetch<NotificationRuleDto>('/notifications/rules', { json: body });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['notification-rules'] });
      onDone();
    },
  });
  const problem = isProblemError(save.error) ? save.error : null;
  const eventsError =
    problem?.fieldError('events') ??
    EVENTS.map((_, index) => problem?.fieldError(`events[${index}]`)).find(Boolean);
  const toggleEvent = (event: NotificationEvent, isOn: boolean) =>
    setEvents((current) =>
      isOn
        ? [...current.filter((item) => item !== event), event]
        : current.filter((item) => item !== event),
    );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form
      onSubmit={onSubmit}
      className="space-y-4"
      noValidate
      aria-label={rule ? `Edit ${rule.name}` : 'New notification rule'}
    >
      <ProblemAlert
        error={save.error}
        shownPaths={[
          'name',
          'events',
          'clusterSelector',
          'destination.url',
          'destination.secret',
          'destination.kind',
          'windowSeconds',
        ]}
        title="The rule was not saved"
      />
      <TextField
        label="Name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={problem?.fieldError('name')}
        autoComplete="off"
        required
      />
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-slate-800 dark:text-slate-200">
          When
        </legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {EVENTS.map((event) => (
            <Checkbox
              key={event}
              label={EVENT_LABELS[event]}
              checked={events.includes(event)}
              onChange={(change) => toggleEvent(event, change.target.checked)}
            />
          ))}
        </div>
        {eventsError ? (
          <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">
            {eventsError}
          </p>
        ) : null}
      </fieldset>
      <Checkbox
        label="Only on clusters matching a selector"
        hint="Otherwise every cluster of the workspace. Rollout halts are sent whatever the selector."
        checked={hasSelector}
        onChange={(event) => setHasSelector(event.target.checked)}
      />
      {hasSelector ? (
        <SelectorEditor
          draft={draft}
          onChange={setDraft}
          problem={problem}
          path="clusterSelector"
        />
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Destination"
          value={kind}
          onChange={(event) => setKind(event.target.value === 'slack' ? 'slack' : 'webhook')}
          error={problem?.fieldError('destination.kind')}
        >
          <option value="webhook">Webhook (signed JSON)</option>
          <option value="slack">Slack incoming webhook</option>
        </SelectField>
        <TextField
          label="Window (seconds)"
          type="number"
          min={1}
          max={600}
          value={windowSeconds}
          onChange={(event) => setWindowSeconds(event.target.value)}
          error={problem?.fieldError('windowSeconds')}
          hint="Transitions within the window are sent as one message."
        />
        <TextField
          label="URL"
          type="url"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          error={problem?.fieldError('destination.url')}
          placeholder={rule ? `unchanged (${rule.destination.urlHint})` : 'https://'}
          hint={
            kind === 'slack'
              ? 'https://hooks.slack.com/services/...; stored sealed, never shown again'
              : 'Stored sealed; only its host is shown again'
          }
          autoComplete="off"
          isMono
        />
        {kind === 'webhook' ? (
          <TextField
            label="Signing secret"
            type="password"
            value={secret}
            onChange={(event) => setSecret(event.target.value)}
            error={problem?.fieldError('destination.secret')}
            placeholder={rule?.destination.hasSecret ? 'unchanged (set)' : ''}
            hint="At least 16 characters; signs X-Flotilla-Signature-256. Write-only."
            autoComplete="new-password"
          />
        ) : null}
      </div>
      <Checkbox
        label="Enabled"
        checked={isEnabled}
        onChange={(event) => setEnabled(event.target.checked)}
      />
      <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-700">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {rule ? 'Save rule' : 'Create rule'}
        </Button>
      </div>
    </form>
  );
}
