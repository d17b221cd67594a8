import { describe, expect, it } from 'vitest';
import { rendersSameRevisions, type RenderFacts } from './carry-unchanged-bundle.ts';

const render = (customization: string, revisionHash: string | null, more = {}): RenderFacts => ({
  customization,
  clusterId: '',
  revisionHash,
  error: null,
  isPerCluster: false,
  ...more,
});

describe('rendersSameRevisions', () => {
  const before = [render('', 'h1'), render('prod', 'h2')];

  it.each<[string, RenderFacts[], RenderFacts[], boolean]>([
    ['the same revisions, in any order', before, [render('prod', 'h2'), render('', 'h1')], true],
    [
      'one customization renders another revision',
      before,
      [render('', 'h1'), render('prod', 'h3')],
      false,
    ],
    ['a customization was added', before, [...before, render('edge', 'h1')], false],
    ['a customization was removed', before, [render('', 'h1')], false],
    [
      'a customization renamed, same revision',
      before,
      [render('', 'h1'), render('staging', 'h2')],
      false,
    ],
    [
      'the new commit failed to render one',
      before,
      [render('', 'h1'), render('prod', null, { error: 'bad yaml' })],
      false,
    ],
    [
      'the earlier commit had failed one',
      [render('', 'h1'), render('prod', null, { error: 'x' })],
      before,
      false,
    ],
    [
      'a chart that reads its cluster (rendered per cluster)',
      before,
      [render('', 'h1'), render('prod', 'h2', { isPerCluster: true })],
      false,
    ],
    [
      'a render of one cluster',
      before,
      [...before, render('prod', 'h2', { clusterId: 'c1' })],
      false,
    ],
    ['nothing rendered before', [], before, false],
    ['nothing rendered now', before, [], false],
  ])('%s', (_, was, is, same) => {
    expect(rendersSameRevisions(was, is)).toBe(same);
  });
});
