/** The labels editor's rows: ordered, possibly incomplete while typed. */
export interface LabelRow {
  key: string;
  value: string;
}

export function labelsToRows(labels: Record<string, string>): LabelRow[] {
  return Object.entries(labels).map(([key, value]) => ({ key, value }));
}

/** Rows as a label map: blank rows dropped, keys trimmed; a later duplicate key wins, as in JSON. */
export function rowsToLabels(rows: readonly LabelRow[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key === '' && row.value.trim() === '') continue;
    labels[key] = row.value.trim();
  }
  return labels;
}

/** Keys typed twice: the server would only see one of them, so the editor says so. */
export function duplicateKeys(rows: readonly LabelRow[]): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const row of rows) {
    const key = row.key.trim();
    if (key === '') continue;
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  }
  return duplicates;
}
