import { useMemo } from 'react';
import { parseUnifiedDiff, type DiffLineKind } from './parse-diff.ts';

const LINE_CLASS: Readonly<Record<DiffLineKind, string>> = {
  context: 'text-slate-800 dark:text-slate-200',
  removed: 'bg-red-50 text-red-900 dark:bg-red-950/60 dark:text-red-100',
  added: 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-100',
  hunk: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  note: 'text-slate-600 italic dark:text-slate-400',
};

/**
 * What Git says (-) against what is on the cluster (+), line by line, markers always shown; or
 * any other pair of sides, named by `sides` (a pull-request preview: desired now, with the PR).
 */
export function DiffViewer({
  diff,
  label,
  sides = { removed: 'in Git (desired)', added: 'live on the cluster', spoken: ['in Git', 'live'] },
}: {
  diff: string;
  label: string;
  sides?: { removed: string; added: string; spoken: [removed: string, added: string] };
}) {
  const spoken: Readonly<Record<DiffLineKind, string>> = {
    context: 'unchanged',
    removed: sides.spoken[0],
    added: sides.spoken[1],
    hunk: '',
    note: '',
  };
  const [spokenOld, spokenNew] = sides.spoken;
  const lines = useMemo(
    () => parseUnifiedDiff(diff, [spokenOld, spokenNew]),
    [diff, spokenOld, spokenNew],
  );
  return (
    <figure className="overflow-hidden rounded-md border border-slate-200 dark:border-slate-700">
      <figcaption className="flex flex-wrap gap-4 border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-xs text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300">
        <span>{label}</span>
        <span>
          <code className="font-mono font-bold">-</code> {sides.removed}
        </span>
        <span>
          <code className="font-mono font-bold">+</code> {sides.added}
        </span>
      </figcaption>
      <pre
        className="overflow-x-auto bg-white py-1 font-mono text-xs leading-5 dark:bg-slate-950"
        data-testid="diff"
      >
        {lines.map((line, index) => (
          <div
            key={index}
            data-diff-line={line.kind}
            className={`flex px-3 ${LINE_CLASS[line.kind]}`}
          >
            <span className="w-5 shrink-0 font-bold select-none" aria-hidden={line.kind === 'hunk'}>
              {line.kind === 'hunk' ? '@@' : line.marker}
            </span>
            {spoken[line.kind] ? <span className="sr-only">{spoken[line.kind]}: </span> : null}
            <span className="whitespace-pre">{line.text}</span>
          </div>
        ))}
      </pre>
    </figure>
  );
}
