import { describe, expect, it } from 'vitest';
import { summarizeCommitStatus, type CommitStatusFacts } from './summarize-commit-status.ts';

const C = 'c'.repeat(40);
const OLD = 'b'.repeat(40);

const planned = (name: string) => ({
  name,
  renderedCommit: C,
  failedCommit: null,
  plannedCommit: C,
});

const at = (clusterName: string, state: string, isAtTarget = state === 'Ready') => ({
  clusterName,
  state,
  isTargetingCommit: true,
  isAtTarget,
});

const facts = (over: Partial<CommitStatusFacts>): CommitStatusFacts => ({
  commit: C,
  currentCommit: C,
  bundles: [planned('web')],
  deployments: [],
  ...over,
});

describe('summarizeCommitStatus', () => {
  it.each<[string, Partial<CommitStatusFacts>, string, string]>([
    [
      'not rendered yet',
      { bundles: [{ ...planned('web'), renderedCommit: OLD, plannedCommit: OLD }] },
      'pending',
      'Rendering 1 of 1 bundle',
    ],
    [
      'rendered, not planned yet',
      { bundles: [{ ...planned('web'), plannedCommit: OLD }, planned('db')] },
      'pending',
      'Rendering 1 of 2 bundles',
    ],
    [
      'rolling out',
      { deployments: [at('a', 'Ready'), at('b', 'WaitApplied'), at('c', 'Ready', false)] },
      'pending',
      '1/3 clusters Ready, 2 rolling out',
    ],
    [
      'a deployment still on the previous commit is rolling out',
      { deployments: [at('a', 'Ready'), { ...at('b', 'Ready'), isTargetingCommit: false }] },
      'pending',
      '1/2 clusters Ready, 1 rolling out',
    ],
    [
      'Ready everywhere',
      { deployments: [at('a', 'Ready'), at('b', 'Ready')] },
      'success',
      '2/2 clusters Ready',
    ],
    [
      'one cluster is as bad as its worst bundle',
      {
        bundles: [planned('web'), planned('db')],
        deployments: [at('a', 'Ready'), at('a', 'ErrApplied'), at('b', 'Ready'), at('b', 'Ready')],
      },
      'failure',
      '1/2 clusters Ready, 1 ErrApplied: a',
    ],
    [
      'failing while others still roll out stays pending',
      { deployments: [at('a', 'ErrApplied'), at('b', 'NotReady')] },
      'pending',
      '0/2 clusters Ready, 1 ErrApplied: a',
    ],
    [
      'a render error fails the commit naming the bundle',
      { bundles: [planned('web'), { ...planned('db'), failedCommit: C, renderedCommit: OLD }] },
      'failure',
      'Render failed: db',
    ],
    ['no cluster targeted', { deployments: [] }, 'success', 'No cluster is targeted'],
    [
      'superseded before it finished',
      { currentCommit: 'd'.repeat(40), deployments: [at('a', 'Ready'), at('b', 'NotReady')] },
      'error',
      'Superseded by ddddddd before every cluster was Ready (1/2)',
    ],
    [
      'an older commit that finished keeps its verdict',
      { currentCommit: 'd'.repeat(40), deployments: [at('a', 'Ready')] },
      'success',
      '1/1 clusters Ready',
    ],
  ])('%s', (_, over, state, description) => {
    expect(summarizeCommitStatus(facts(over))).toMatchObject({ state, description });
  });

  it('names the failing clusters within 140 characters, counting the rest', () => {
    const deployments = [
      ...Array.from({ length: 212 }, (_, index) => at(`ready-${index}`, 'Ready')),
      ...Array.from({ length: 30 }, (_, index) =>
        at(`edge-cluster-${String(index).padStart(2, '0')}`, 'ErrApplied'),
      ),
    ];
    const summary = summarizeCommitStatus(facts({ deployments }));
    expect(summary.state).toBe('failure');
    expect(summary.description.length).toBeLessThanOrEqual(140);
    expect(summary.description).toMatch(
      /^212\/242 clusters Ready, 30 ErrApplied: edge-cluster-00, edge-cluster-01, .* \+\d+ more$/,
    );
    expect(summary.failingClusters).toHaveLength(30);
  });
});
