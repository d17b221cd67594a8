import { matchesSelector } from '../selectors/match-selector.ts';
import type { DeploymentState } from '../state/deployment-states.ts';
import type { LabelSelector } from '../types.ts';

/** A transition as queued for a rule (ids and states; names are looked up when sent). */
export type QueuedTransition =
  | {
      kind: 'deployment';
      deploymentId: string;
      bundleId: string;
      clusterId: string;
      fromState: DeploymentState;
      toState: DeploymentState;
      message: string;
      at: string;
    }
  | { kind: 'rollout'; bundleId: string; message: string; at: string };

export interface NotificationRuleFacts {
  events: readonly string[];
  /** null: every cluster. */
  clusterSelector: LabelSelector | null;
}

export interface SelectNotificationsInput {
  rule: NotificationRuleFacts;
  /** In the order they happened. */
  transitions: readonly QueuedTransition[];
  /** Labels of the clusters the deployment transitions name (absent: the cluster is gone). */
  clusterLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The state each deployment was last notified in, for this rule (absent: none). */
  lastNotified: ReadonlyMap<string, DeploymentState>;
}

export interface SelectedNotifications {
  /** What goes into the message, in order. */
  notify: QueuedTransition[];
  /** The new last-notified state per deployment (null: forget it). Only changed entries. */
  marks: Map<string, DeploymentState | null>;
}

/**
 * Which queued transitions a rule sends. A deployment entering a watched state is sent once:
 * entering the same state again before it has been Ready (a retry loop ErrApplied ->
 * WaitApplied -> ErrApplied, a cluster flapping Offline without recovering) is the same
 * incident, not a new message. Ready forgets the mark, so the next failure is news again.
 * Transitions on clusters outside the rule's selector are neither sent nor marked.
 */
export function selectNotifications({
  rule,
  transitions,
  clusterLabels,
  lastNotified,
}: SelectNotificationsInput): SelectedNotifications {
  const events = new Set(rule.events);
  const current = new Map(lastNotified);
  const marks = new Map<string, DeploymentState | null>();
  const notify: QueuedTransition[] = [];
  for (const transition of transitions) {
    if (transition.kind === 'rollout') {
      if (events.has('rollout.halted')) notify.push(transition);
      continue;
    }
    const labels = clusterLabels.get(transition.clusterId);
    if (!labels) continue;
    if (rule.clusterSelector && !matchesSelector(rule.clusterSelector, labels)) continue;
    const { deploymentId, toState } = transition;
    if (toState === 'Ready') {
      if (current.has(deploymentId)) {
        current.delete(deploymentId);
        marks.set(deploymentId, null);
      }
      continue;
    }
    if (!events.has(`deployment.${toState}`)) continue;
    if (current.get(deploymentId) === toState) continue;
    current.set(deploymentId, toState);
    marks.set(deploymentId, toState);
    notify.push(transition);
  }
  return { notify, marks };
}
