import { parsePatch } from 'diff';

export type DiffLineKind = 'context' | 'removed' | 'added' | 'hunk' | 'note';

export interface DiffLine {
  kind: DiffLineKind;
  /** The marker shown before the text, so a line's meaning does not rest on colour. */
  marker: ' ' | '-' | '+' | '@' | '\\';
  text: string;
}

/**
 * A unified diff (`git` against `live`, as the monitor writes it) as display lines: hunk
 * headers, then each line with its +/- marker. File headers are dropped; the viewer names the
 * two sides itself.
 */
export function parseUnifiedDiff(
  diff: string,
  /** How the hunk headers name the two sides. */
  [oldSide, newSide]: readonly [string, string] = ['in Git', 'live'],
): DiffLine[] {
  const [patch] = parsePatch(diff);
  if (!patch || patch.hunks.length === 0) {
    return diff.trim() === '' ? [] : [{ kind: 'note', marker: '\\', text: diff.trim() }];
  }
  const lines: DiffLine[] = [];
  for (const hunk of patch.hunks) {
    lines.push({
      kind: 'hunk',
      marker: '@',
      text: `lines ${hunk.oldStart}-${hunk.oldStart + Math.max(hunk.oldLines - 1, 0)} ${oldSide}, ${hunk.newStart}-${hunk.newStart + Math.max(hunk.newLines - 1, 0)} ${newSide}`,
    });
    for (const line of hunk.lines) {
      const head = line[0];
      const text = line.slice(1);
      if (head === '-') lines.push({ kind: 'removed', marker: '-', text });
      else if (head === '+') lines.push({ kind: 'added', marker: '+', text });
      else if (head === '\\') lines.push({ kind: 'note', marker: '\\', text: text.trim() });
      else lines.push({ kind: 'context', marker: ' ', text });
    }
  }
  return lines;
}
