'use client';

import type { ProblemError } from '@/client/api.ts';
import { Button } from '@/components/ui/button.tsx';
import { Checkbox, FieldError, SelectField, TextField } from '@/components/ui/field.tsx';
import { useId } from 'react';
import { draftToPayload, type TargetDraft } from './target-drafts.ts';
import { describeTarget } from './targets-impact.ts';

/** One target: every field given must hold (AND). Errors come by path `targets[i].field`. */
export function TargetCard({
  draft,
  index,
  count,
  matched,
  groupNames,
  problem,
  isReadOnly,
  onChange,
  onMove,
  onRemove,
}: {
  draft: TargetDraft;
  index: number;
  count: number;
  matched: number | undefined;
  groupNames: string[];
  problem: ProblemError | null;
  isReadOnly: boolean;
  onChange: (draft: TargetDraft) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const path = `targets[${index}]`;
  const errorOf = (field: string) => problem?.fieldError(`${path}.${field}`);
  const targetError = problem?.errors.find((error) => error.path === path)?.message;
  const set = (patch: Partial<TargetDraft>) => onChange({ ...draft, ...patch });
  const title = `Target ${index + 1}${draft.name ? `: ${draft.name}` : ''}`;

  return (
    <li
      className="rounded-md border border-slate-200 p-3 dark:border-slate-700"
      aria-labelledby={`${id}-title`}
      data-testid="target-card"
    >
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h3 id={`${id}-title`} className="text-sm font-semibold text-slate-900 dark:text-slate-50">
          {title}
        </h3>
        <div className="flex items-center gap-2">
          <span
            className="text-xs text-slate-700 dark:text-slate-300"
            data-testid="target-match-count"
          >
            {matched === undefined ? '' : `selects ${matched} cluster${matched === 1 ? '' : 's'}`}
          </span>
          {isReadOnly ? null : (
            <>
              <Button
                variant="ghost"
                disabled={index === 0}
                onClick={() => onMove(index - 1)}
                aria-label={`Move target ${index + 1} up`}
              >
                <span aria-hidden="true">↑</span>
              </Button>
              <Button
                variant="ghost"
                disabled={index === count - 1}
                onClick={() => onMove(index + 1)}
                aria-label={`Move target ${index + 1} down`}
              >
                <span aria-hidden="true">↓</span>
              </Button>
              <Button variant="ghost" onClick={onRemove} aria-label={`Remove target ${index + 1}`}>
                <span aria-hidden="true">✕</span>
              </Button>
            </>
          )}
        </div>
      </div>
      <fieldset disabled={isReadOnly} className="grid gap-3 md:grid-cols-2">
        <legend className="sr-only">{title}</legend>
        <TextField
          label="Name (optional)"
          value={draft.name}
          onChange={(event) => set({ name: event.target.value })}
          error={errorOf('name')}
          autoComplete="off"
        />
        <TextField
          label="Cluster name"
          value={draft.clusterName}
          onChange={(event) => set({ clusterName: event.target.value })}
          error={errorOf('clusterName')}
          autoComplete="off"
        />
        <div className="space-y-2">
          <TextField
            label="Cluster selector"
            isMono
            placeholder="env=prod,region in (eu,us)"
            value={draft.isEveryCluster ? '' : draft.clusterSelector}
            disabled={draft.isEveryCluster}
            onChange={(event) => set({ clusterSelector: event.target.value })}
            error={errorOf('clusterSelector')}
            spellCheck={false}
            autoComplete="off"
          />
          <Checkbox
            label="Every cluster"
            checked={draft.isEveryCluster}
            onChange={(event) => set({ isEveryCluster: event.target.checked })}
          />
        </div>
        <SelectField
          label="Cluster group"
          value={draft.clusterGroup}
          onChange={(event) => set({ clusterGroup: event.target.value })}
          error={errorOf('clusterGroup')}
        >
          <option value="">(any)</option>
          {groupNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
          {draft.clusterGroup && !groupNames.includes(draft.clusterGroup) ? (
            <option value={draft.clusterGroup}>{draft.clusterGroup} (no such group)</option>
          ) : null}
        </SelectField>
        <TextField
          label="Cluster group selector"
          isMono
          placeholder="tier=gold"
          value={draft.clusterGroupSelector}
          onChange={(event) => set({ clusterGroupSelector: event.target.value })}
          error={errorOf('clusterGroupSelector')}
          hint="Matches the labels of cluster groups."
          spellCheck={false}
          autoComplete="off"
        />
      </fieldset>
      <p
        className="mt-2 text-xs text-slate-700 dark:text-slate-300"
        data-testid="target-explanation"
      >
        {describeTarget(draftToPayload(draft))}
      </p>
      <FieldError id={`${id}-error`} message={targetError} />
    </li>
  );
}
