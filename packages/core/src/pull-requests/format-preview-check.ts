import {
  affectedClusters,
  previewTotals,
  type PreviewBundleResult,
  type PreviewConclusion,
} from './schemas.ts';

/** GitHub refuses a check run's output.summary or output.text longer than this. */
export const GITHUB_OUTPUT_LIMIT = 65_535;
/** One object's diff is cut after this many characters, so one huge object cannot hide the rest. */
const MAX_DIFF_CHARS = 6_000;

export interface PreviewCheckOutput {
  conclusion: PreviewConclusion;
  title: string;
  summary: string;
  text: string;
}

const customizationLabel = (name: string) => (name === '' ? 'defaults' : name);
const fence = (text: string) => text.replaceAll('```', "'''");

/**
 * The check run of a pull-request preview: the conclusion (failure when a bundle would not
 * render, neutral when the PR touches no bundle), a title and summary a reviewer reads in the
 * PR, and the text with a table per bundle and the unified diffs. Both stay under GitHub's
 * 65,535 characters: diffs are cut per object, then whole diffs are left out with a pointer to
 * the full preview in the dashboard (`detailsUrl`).
 */
export function formatPreviewCheck({
  results,
  detailsUrl,
  isFork,
}: {
  results: readonly PreviewBundleResult[];
  detailsUrl?: string | undefined;
  isFork: boolean;
}): PreviewCheckOutput {
  const totals = previewTotals(results);
  const conclusion: PreviewConclusion =
    totals.errors > 0 ? 'failure' : results.length === 0 ? 'neutral' : 'success';
  const title =
    results.length === 0
      ? 'No bundle changed'
      : totals.errors > 0
        ? `${totals.errors} render error${totals.errors === 1 ? '' : 's'} would break ${totals.clustersAffected.length} cluster${totals.clustersAffected.length === 1 ? '' : 's'}`
        : `${results.length} bundle${results.length === 1 ? '' : 's'} changed on ${totals.clustersAffected.length} cluster${totals.clustersAffected.length === 1 ? '' : 's'}`;

  const summaryLines: string[] = [
    `**${results.length}** bundle${results.length === 1 ? '' : 's'} changed, **${totals.clustersAffected.length}** cluster${totals.clustersAffected.length === 1 ? '' : 's'} affected; objects: **${totals.added}** added, **${totals.changed}** changed, **${totals.removed}** removed.`,
    '',
  ];
  if (isFork)
    summaryLines.push(
      '_A pull request from a fork: rendered without any secret (chart credentials, valuesFrom, cluster reads)._',
      '',
    );
  for (const bundle of results) {
    summaryLines.push(`- **${bundle.bundleName}** (\`${bundle.path || '.'}\`)`);
    if (bundle.error) summaryLines.push(`  - :x: ${bundle.error}`);
    for (const customization of bundle.customizations) {
      const clusters = affectedClusters(customization);
      const where = `\`${customizationLabel(customization.name)}\``;
      if (customization.error)
        summaryLines.push(
          `  - :x: ${where}: would break ${clusters.join(', ') || 'no cluster'}: ${customization.error}`,
        );
      else if (customization.note) summaryLines.push(`  - ${where}: ${customization.note}`);
      else
        summaryLines.push(
          `  - ${where}: ${clusters.length === 0 ? 'no change' : clusters.join(', ')}`,
        );
    }
  }
  if (detailsUrl) summaryLines.push('', `[Full preview in Flotilla](${detailsUrl})`);
  const summary = truncate(summaryLines.join('\n'), GITHUB_OUTPUT_LIMIT);

  const table: string[] = [
    '| Bundle | Customization | Clusters | Added | Changed | Removed | Result |',
    '|---|---|---|---|---|---|---|',
  ];
  const diffs: string[] = [];
  for (const bundle of results) {
    if (bundle.error) table.push(`| ${bundle.bundleName} | | | | | | :x: ${cell(bundle.error)} |`);
    for (const customization of bundle.customizations) {
      const changes = customization.groups.flatMap((group) => group.changes);
      const count = (kind: string) => changes.filter((change) => change.change === kind).length;
      const result = customization.error
        ? `:x: ${cell(customization.error)}`
        : (customization.note ?? (changes.length === 0 ? 'no change' : 'ok'));
      table.push(
        `| ${bundle.bundleName} | ${customizationLabel(customization.name)} | ${cell(affectedClusters(customization).join(', '))} | ${count('added')} | ${count('changed')} | ${count('removed')} | ${result} |`,
      );
      for (const group of customization.groups) {
        for (const change of group.changes) {
          const diff =
            change.diff.length > MAX_DIFF_CHARS
              ? `${change.diff.slice(0, MAX_DIFF_CHARS)}\n… (diff cut; see the full preview)`
              : change.diff;
          diffs.push(
            `#### ${bundle.bundleName} / ${customizationLabel(customization.name)}: ${change.kind} ${change.namespace ? `${change.namespace}/` : ''}${change.name} (${change.change})\nClusters: ${group.clusters.join(', ')}\n\n\`\`\`diff\n${fence(diff)}\n\`\`\``,
          );
        }
      }
    }
  }
  const head = [...table, '', diffs.length > 0 ? '### Diffs' : ''].join('\n');
  const more = (left: number) =>
    `\n\n_${left} more diff${left === 1 ? '' : 's'} left out to stay under GitHub's limit${detailsUrl ? `: [see the full preview](${detailsUrl})` : ''}._`;
  let text = head;
  for (const [index, diff] of diffs.entries()) {
    const reserve = more(diffs.length).length + 2;
    if (text.length + diff.length + 2 + reserve > GITHUB_OUTPUT_LIMIT) {
      text += more(diffs.length - index);
      break;
    }
    text += `\n\n${diff}`;
  }
  return { conclusion, title, summary, text: truncate(text, GITHUB_OUTPUT_LIMIT) };
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
