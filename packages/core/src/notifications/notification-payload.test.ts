import type { NamedTransition } from '@flotilla/engine';
import { describe, expect, it } from 'vitest';
import { slackPayload, webhookPayload } from './notification-payload.ts';

const context = {
  deliveryId: 'd1',
  rule: { id: 'r1', name: 'prod <on-call>', workspaceId: 'w1' },
  kind: 'events' as const,
  createdAt: new Date('2026-12-06T23:00:00.000Z'),
};
const failing = (index: number, state: 'Offline' | 'ErrApplied' = 'Offline'): NamedTransition => ({
  transition: {
    kind: 'deployment',
    deploymentId: `d${index}`,
    bundleId: 'b1',
    clusterId: `c${index}`,
    fromState: 'Ready',
    toState: state,
    message: 'cluster unreachable',
    at: '2026-12-06T22:59:58.000Z',
  },
  bundleName: 'web',
  clusterName: `demo-${index}`,
});

describe('webhookPayload', () => {
  it('lists each event with its bundle, cluster and states', () => {
    const body = webhookPayload(context, [failing(1)]);
    expect(body).toEqual({
      type: 'flotilla.notification',
      deliveryId: 'd1',
      createdAt: '2026-12-06T23:00:00.000Z',
      workspaceId: 'w1',
      rule: { id: 'r1', name: 'prod <on-call>' },
      summary: 'Bundle web on demo-1 entered Offline: cluster unreachable',
      eventCount: 1,
      events: [
        {
          type: 'deployment.Offline',
          at: '2026-12-06T22:59:58.000Z',
          deploymentId: 'd1',
          bundle: { id: 'b1', name: 'web' },
          cluster: { id: 'c1', name: 'demo-1' },
          fromState: 'Ready',
          toState: 'Offline',
          message: 'cluster unreachable',
        },
      ],
      omittedEvents: 0,
    });
  });

  it('lists at most 500 events and counts the rest', () => {
    const body = webhookPayload(
      context,
      Array.from({ length: 1200 }, (_, index) => failing(index)),
    );
    expect(body.events).toHaveLength(500);
    expect(body.omittedEvents).toBe(700);
    expect(body.eventCount).toBe(1200);
    expect(body.summary).toMatch(/^1200 deployments on 1200 clusters entered Offline: /);
  });
});

describe('slackPayload', () => {
  it('has the summary as text and one escaped bullet per line in blocks', () => {
    const message = slackPayload(context, [failing(1), failing(2, 'ErrApplied')]);
    expect(message.text).toBe(
      'Flotilla: 1 deployment on 1 cluster entered Offline: demo-1; 1 deployment on 1 cluster entered ErrApplied: demo-2',
    );
    expect(message.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Flotilla · prod &lt;on-call&gt;*' },
    });
    expect(message.blocks[1]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '• 1 deployment on 1 cluster entered Offline: demo-1\n• 1 deployment on 1 cluster entered ErrApplied: demo-2',
      },
    });
    expect(message.blocks[2]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '2 events · delivery d1' }],
    });
  });
});
