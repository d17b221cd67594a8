'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import { labelsToRows, rowsToLabels, type LabelRow } from '@/client/labels.ts';
import { selectorToRows, selectorToText } from '@/client/selectors.ts';
import type { ClusterGroupDto } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { TextField } from '@/components/ui/field.tsx';
import { LabelsEditor } from '@/components/ui/labels-editor.tsx';
import { ProblemAlert } from '@/components/ui/problem-alert.tsx';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { draftToSelector, SelectorEditor, type SelectorDraft } from './selector-editor.tsx';
import { SelectorPreview } from './selector-preview.tsx';

/** Create or edit a cluster group: name, selector (with a live preview) and the group's own labels. */
export function GroupEditor({
  group,
  onDone,
  onCancel,
}: {
  group: ClusterGroupDto | null;
  onDone: () => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(group?.name ?? '');
  const [draft, setDraft] = useState<SelectorDraft>(() => ({
    mode: 'rows',
    rows: group
      ? selectorToRows(group.selector)
      : { matchLabels: [{ key: '', value: '' }], matchExpressions: [] },
    text: group ? selectorToText(group.selector) : '',
  }));
  const [labels, setLabels] = useState<LabelRow[]>(() => labelsToRows(group?.labels ?? {}));
  const selector = draftToSelector(draft);

  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim(), selector, labels: rowsToLabels(labels) };
      return group
        ? apiFetch<ClusterGroupDto>(`/cluster-groups/${group.id}`, { method: 'PATCH', json: body })
        : apiFetch<ClusterGroupDto>('/cluster-groups', { json: body });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['cluster-groups'] });
      onDone();
    },
  });
  const problem = isProblemError(save.error) ? save.error : null;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form
      onSubmit={onSubmit}
      className="space-y-4"
      noValidate
      aria-label={group ? `Edit ${group.name}` : 'New cluster group'}
    >
      <ProblemAlert
        error={save.error}
        shownPaths={['name', 'selector', 'labels']}
        title="The group was not saved"
      />
      <TextField
        label="Name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={problem?.fieldError('name')}
        autoComplete="off"
        required
      />
      <div className="grid gap-4 lg:grid-cols-[3fr_2fr]">
        <SelectorEditor draft={draft} onChange={setDraft} problem={problem} />
        <SelectorPreview selector={selector} />
      </div>
      <details className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
        <summary className="cursor-pointer text-sm font-medium text-slate-800 dark:text-slate-200">
          Labels of the group (for targets&apos; cluster group selectors)
        </summary>
        <div className="mt-3">
          <LabelsEditor
            rows={labels}
            onChange={setLabels}
            problem={problem}
            legend="Group labels"
          />
        </div>
      </details>
      <div className="flex justify-end gap-2 border-t border-slate-200 pt-4 dark:border-slate-700">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {group ? 'Save group' : 'Create group'}
        </Button>
      </div>
    </form>
  );
}
