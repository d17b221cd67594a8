import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { parseNotificationRuleInput, parseNotificationRuleUpdate } from './schemas.ts';

const webhook = {
  name: 'on-call',
  events: ['deployment.Offline'],
  destination: { kind: 'webhook', url: 'https://hooks.example.com/x', secret: 's'.repeat(20) },
};

function errorPaths(input: unknown): string[] {
  try {
    parseNotificationRuleInput(input);
    return [];
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return (error.details.errors ?? []).map((entry) => entry.path);
  }
}

describe('parseNotificationRuleInput', () => {
  it('takes a webhook rule with defaults and a selector in string form', () => {
    const rule = parseNotificationRuleInput({
      ...webhook,
      clusterSelector: 'env in (prod),!canary',
    });
    expect(rule).toMatchObject({
      destinationKind: 'webhook',
      destination: { url: 'https://hooks.example.com/x', secret: 's'.repeat(20) },
      windowSeconds: 10,
      isEnabled: true,
      clusterSelector: {
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod'] },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      },
    });
  });

  it.each<[string, unknown, string[]]>([
    ['an unknown event', { ...webhook, events: ['deployment.Ready'] }, ['events[0]']],
    ['no event', { ...webhook, events: [] }, ['events']],
    [
      'a webhook without a secret',
      { ...webhook, destination: { kind: 'webhook', url: 'https://hooks.example.com/x' } },
      ['destination.secret'],
    ],
    [
      'plain http beyond loopback',
      { ...webhook, destination: { ...webhook.destination, url: 'http://hooks.example.com/x' } },
      ['destination.url'],
    ],
    [
      'a metadata address',
      { ...webhook, destination: { ...webhook.destination, url: 'https://169.254.169.254/' } },
      ['destination.url'],
    ],
    [
      'a Slack rule whose URL is not a Slack webhook',
      { ...webhook, destination: { kind: 'slack', url: 'https://example.com/services/x' } },
      ['destination.url'],
    ],
    ['a window over ten minutes', { ...webhook, windowSeconds: 601 }, ['windowSeconds']],
    ['an unknown field', { ...webhook, colour: 'red' }, ['colour']],
  ])('refuses %s, naming the field', (_, input, paths) => {
    expect(errorPaths(input)).toEqual(paths);
  });

  it('keeps no secret for Slack (its URL is the credential)', () => {
    const rule = parseNotificationRuleInput({
      name: 'slack',
      events: ['rollout.halted'],
      destination: { kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/xyz' },
    });
    expect(rule.destination).toEqual({
      url: 'https://hooks.slack.com/services/T0/B0/xyz',
      secret: null,
    });
  });
});

describe('parseNotificationRuleUpdate', () => {
  const stored = parseNotificationRuleInput(webhook);

  it('keeps the stored URL and secret when the destination leaves them out', () => {
    const updated = parseNotificationRuleUpdate(
      { windowSeconds: 30, destination: { kind: 'webhook' } },
      stored,
    );
    expect(updated.destination).toEqual(stored.destination);
    expect(updated.windowSeconds).toBe(30);
  });

  it('clears the selector with null', () => {
    const withSelector = parseNotificationRuleUpdate({ clusterSelector: 'env=prod' }, stored);
    expect(withSelector.clusterSelector).toEqual({
      matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }],
    });
    expect(
      parseNotificationRuleUpdate({ clusterSelector: null }, withSelector).clusterSelector,
    ).toBe(null);
  });
});
