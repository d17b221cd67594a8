import { describe, expect, it } from 'vitest';
import type { DeploymentState } from '../state/deployment-states.ts';
import { selectNotifications, type QueuedTransition } from './select-notifications.ts';

const at = '2026-12-06T00:00:00.000Z';
const move = (
  deploymentId: string,
  fromState: DeploymentState,
  toState: DeploymentState,
  clusterId = `c-${deploymentId}`,
): QueuedTransition => ({
  kind: 'deployment',
  deploymentId,
  bundleId: 'b',
  clusterId,
  fromState,
  toState,
  message: '',
  at,
});
const labels = new Map([
  ['c-d1', { env: 'prod' }],
  ['c-d2', { env: 'dev' }],
]);
const everyState = ['deployment.ErrApplied', 'deployment.Offline', 'deployment.Modified'];
const sent = (transitions: QueuedTransition[]) =>
  transitions.map((t) => (t.kind === 'deployment' ? `${t.deploymentId}:${t.toState}` : 'halt'));

describe('selectNotifications', () => {
  it.each<{
    name: string;
    transitions: QueuedTransition[];
    last?: [string, DeploymentState][];
    events?: string[];
    selector?: { matchLabels: Record<string, string> } | null;
    expected: string[];
    marks?: [string, DeploymentState | null][];
  }>([
    {
      name: 'a watched state entered is sent and marked',
      transitions: [move('d1', 'Ready', 'ErrApplied')],
      expected: ['d1:ErrApplied'],
      marks: [['d1', 'ErrApplied']],
    },
    {
      name: 'a state the rule does not watch is not sent',
      transitions: [move('d1', 'Ready', 'NotReady')],
      events: ['deployment.Offline'],
      expected: [],
      marks: [],
    },
    {
      name: 'the same state entered twice in a row (a retry loop) is one message',
      transitions: [
        move('d1', 'WaitApplied', 'ErrApplied'),
        move('d1', 'ErrApplied', 'WaitApplied'),
        move('d1', 'WaitApplied', 'ErrApplied'),
      ],
      expected: ['d1:ErrApplied'],
    },
    {
      name: 'a mark from an earlier window still holds',
      transitions: [move('d1', 'WaitApplied', 'ErrApplied')],
      last: [['d1', 'ErrApplied']],
      expected: [],
    },
    {
      name: 'Ready in between makes the next failure news again',
      transitions: [
        move('d1', 'WaitApplied', 'ErrApplied'),
        move('d1', 'ErrApplied', 'Ready'),
        move('d1', 'Ready', 'ErrApplied'),
      ],
      expected: ['d1:ErrApplied', 'd1:ErrApplied'],
      marks: [['d1', 'ErrApplied']],
    },
    {
      name: 'Ready forgets a mark from an earlier window',
      transitions: [move('d1', 'ErrApplied', 'Ready')],
      last: [['d1', 'ErrApplied']],
      expected: [],
      marks: [['d1', null]],
    },
    {
      name: 'another watched state is news',
      transitions: [move('d1', 'ErrApplied', 'Offline')],
      last: [['d1', 'ErrApplied']],
      expected: ['d1:Offline'],
    },
    {
      name: 'clusters outside the selector are neither sent nor marked',
      transitions: [move('d1', 'Ready', 'Offline'), move('d2', 'Ready', 'Offline')],
      selector: { matchLabels: { env: 'prod' } },
      expected: ['d1:Offline'],
      marks: [['d1', 'Offline']],
    },
    {
      name: 'a cluster that is gone is skipped',
      transitions: [move('d3', 'Ready', 'Offline')],
      expected: [],
    },
    {
      name: 'rollout halts go to rules that watch them, whatever the selector',
      transitions: [{ kind: 'rollout', bundleId: 'b', message: 'Halted', at }],
      events: ['rollout.halted'],
      selector: { matchLabels: { env: 'prod' } },
      expected: ['halt'],
    },
    {
      name: 'rollout halts are not sent to rules that do not watch them',
      transitions: [{ kind: 'rollout', bundleId: 'b', message: 'Halted', at }],
      expected: [],
    },
  ])(
    '$name',
    ({ transitions, last = [], events = everyState, selector = null, expected, marks }) => {
      const result = selectNotifications({
        rule: { events, clusterSelector: selector },
        transitions,
        clusterLabels: labels,
        lastNotified: new Map(last),
      });
      expect(sent(result.notify)).toEqual(expected);
      if (marks) expect([...result.marks]).toEqual(marks);
    },
  );
});
