'use client';

import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { nameList, type TargetsImpact } from './targets-impact.ts';

/**
 * Asks before a targets change takes the bundle away from clusters, naming them (and the ones
 * that start getting it). Open while `impact` is set.
 */
export function TargetsRemovalDialog({
  impact,
  onCancel,
  onConfirm,
}: {
  impact: TargetsImpact | null;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const lost = impact?.lost ?? [];
  return (
    <Dialog
      isOpen={impact !== null}
      onClose={onCancel}
      title={
        impact
          ? `Remove the bundle from ${lost.length} cluster${lost.length === 1 ? '' : 's'}?`
          : ''
      }
    >
      {impact ? (
        <div className="space-y-3 text-sm text-slate-700 dark:text-slate-300">
          <p>
            With these targets, <strong>{nameList(lost)}</strong>{' '}
            {lost.length === 1 ? 'stops' : 'stop'} getting this bundle: its resources are removed
            from {lost.length === 1 ? 'that cluster' : 'those clusters'} (unless the bundle keeps
            them).
          </p>
          {impact.gained.length > 0 ? <p>{nameList(impact.gained)} start getting it.</p> : null}
          <div className="flex flex-wrap justify-end gap-2">
            <Button onClick={onCancel} autoFocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={onConfirm}>
              Remove and save
            </Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
