import { describe, expect, it } from 'vitest';
import {
  draftToPayload,
  emptyDraft,
  moveItem,
  previewRequest,
  targetToDraft,
} from './target-drafts.ts';

describe('draftToPayload', () => {
  it.each([
    [
      'blank fields are left out',
      { ...emptyDraft(), clusterSelector: ' env=prod ' },
      { clusterSelector: 'env=prod' },
    ],
    [
      'fields are ANDed in one target',
      { ...emptyDraft(), name: 'eu', clusterGroup: 'europe', clusterName: 'c1' },
      { name: 'eu', clusterGroup: 'europe', clusterName: 'c1' },
    ],
    [
      '"every cluster" is the empty selector object',
      { ...emptyDraft(), isEveryCluster: true, clusterSelector: 'ignored' },
      { clusterSelector: {} },
    ],
  ])('%s', (_, draft, expected) => {
    expect(draftToPayload(draft)).toEqual(expected);
  });
});

describe('targetToDraft', () => {
  it('shows stored selectors in the string syntax', () => {
    const draft = targetToDraft({
      clusterSelector: { matchLabels: { env: 'prod' } },
      clusterGroupSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
    });
    expect(draft.clusterSelector).toBe('env=prod');
    expect(draft.clusterGroupSelector).toBe('tier');
    expect(draft.isEveryCluster).toBe(false);
  });

  it('recognises a target for every cluster', () => {
    expect(targetToDraft({ clusterSelector: {} }).isEveryCluster).toBe(true);
  });
});

describe('previewRequest', () => {
  it('leaves out blank targets and maps preview indexes back to the editor', () => {
    const drafts = [
      { ...emptyDraft(), name: 'only a name' },
      { ...emptyDraft(), clusterName: 'c1' },
      emptyDraft(),
      { ...emptyDraft(), clusterGroup: 'g' },
    ];
    expect(previewRequest(drafts)).toEqual({
      targets: [{ clusterName: 'c1' }, { clusterGroup: 'g' }],
      editorIndex: [1, 3],
    });
  });
});

describe('moveItem', () => {
  it.each([
    [0, 1, ['b', 'a', 'c']],
    [2, 0, ['c', 'a', 'b']],
    [0, -1, ['a', 'b', 'c']],
    [2, 3, ['a', 'b', 'c']],
  ])('from %i to %i', (from, to, expected) => {
    expect(moveItem(['a', 'b', 'c'], from, to)).toEqual(expected);
  });
});
