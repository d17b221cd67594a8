import type { QueuedTransition } from './select-notifications.ts';

export interface NamedTransition {
  transition: QueuedTransition;
  bundleName: string;
  /** Empty for a rollout halt. */
  clusterName: string;
}

export interface NotificationMessage {
  /** One line: the event, or the summary of several. */
  summary: string;
  /** Lines for a human (Slack): one per group of transitions, names listed then "and N more". */
  lines: string[];
}

/** Names listed in a summary line before "and N more". */
const NAMES_LISTED = 10;

function listNames(names: readonly string[]): string {
  const unique = [...new Set(names)];
  const shown = unique.slice(0, NAMES_LISTED).join(', ');
  return unique.length > NAMES_LISTED
    ? `${shown}, ... and ${unique.length - NAMES_LISTED} more`
    : shown;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * The text of one message. A single transition reads as itself ("bundle web on demo-1 entered
 * ErrApplied: ..."); several are summarised per state entered, so a fleet-wide outage reads
 * "200 deployments on 200 clusters entered Offline: demo-1, demo-2, ... and 190 more".
 */
export function notificationMessage(items: readonly NamedTransition[]): NotificationMessage {
  if (items.length === 1) {
    const [{ transition, bundleName, clusterName }] = items as [NamedTransition];
    const line =
      transition.kind === 'rollout'
        ? `Rollout of bundle ${bundleName} halted: ${transition.message}`
        : `Bundle ${bundleName} on ${clusterName} entered ${transition.toState}` +
          (transition.message ? `: ${transition.message}` : '');
    return { summary: line, lines: [line] };
  }
  const byState = new Map<string, NamedTransition[]>();
  const halts: NamedTransition[] = [];
  for (const item of items) {
    if (item.transition.kind === 'rollout') {
      halts.push(item);
      continue;
    }
    const group = byState.get(item.transition.toState) ?? [];
    group.push(item);
    byState.set(item.transition.toState, group);
  }
  const lines: string[] = [];
  for (const [state, group] of byState) {
    const clusters = new Set(group.map((item) => item.clusterName));
    lines.push(
      `${plural(group.length, 'deployment')} on ${plural(clusters.size, 'cluster')} entered ${state}: ` +
        listNames(group.map((item) => item.clusterName)),
    );
  }
  if (halts.length > 0)
    lines.push(
      `${plural(halts.length, 'rollout')} halted: ${listNames(halts.map((item) => item.bundleName))}`,
    );
  return { summary: lines.join('; '), lines };
}
