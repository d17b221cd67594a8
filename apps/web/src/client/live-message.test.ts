import { describe, expect, it } from 'vitest';
import { parseLiveMessage } from './live-message.ts';
import { keysToRefresh } from './query-keys.ts';

describe('parseLiveMessage', () => {
  it.each([
    ['not JSON', '{oops', 0],
    ['not an array', '{"type":"event","eventId":"e1"}', 0],
    ['an unknown type', '[{"type":"surprise"}]', 0],
    ['a deployment without ids', '[{"type":"deployment","state":"Ready"}]', 0],
    [
      'a batch',
      '[{"type":"deployment","deploymentId":"d1","bundleId":"b1","clusterId":"c1","state":"Ready"},{"type":"event","eventId":"e1"}]',
      2,
    ],
  ])('%s', (_, data, count) => {
    expect(parseLiveMessage(data)).toHaveLength(count);
  });
});

describe('keysToRefresh', () => {
  it('a deployment change refreshes the matrix, the deployment, its bundle and its cluster', () => {
    const keys = keysToRefresh({
      type: 'deployment',
      deploymentId: 'd1',
      bundleId: 'b1',
      clusterId: 'c1',
      state: 'Modified',
    });
    expect(keys).toEqual(
      expect.arrayContaining([
        ['matrix'],
        ['deployment', 'd1'],
        ['bundle', 'b1'],
        ['cluster', 'c1'],
        ['events'],
      ]),
    );
  });

  it('a cluster change refreshes the clusters list and the matrix', () => {
    expect(keysToRefresh({ type: 'cluster', clusterId: 'c1', connectivity: 'Offline' })).toEqual(
      expect.arrayContaining([['clusters'], ['cluster', 'c1'], ['matrix']]),
    );
  });

  it('an event refreshes only the events', () => {
    expect(keysToRefresh({ type: 'event', eventId: 'e1' })).toEqual([['events']]);
  });
});
