import { describe, expect, it } from 'vitest';
import { detailLines, formatAddress, objectHref, objectName } from './audit-format.ts';

describe('detailLines', () => {
  it.each([
    ['nothing recorded', {}, []],
    ['the name is left out (the object column shows it)', { name: 'edge-1' }, []],
    [
      'labels before and after become one line',
      { name: 'edge-1', labelsBefore: { env: 'dev' }, labelsAfter: { env: 'prod', tier: 'gold' } },
      [{ label: 'labels', text: 'env=dev → env=prod, tier=gold' }],
    ],
    [
      'a role change reads from → to',
      { email: 'ops@example.com', from: 'viewer', to: 'operator' },
      [{ label: 'changed', text: 'viewer → operator' }],
    ],
    [
      'targets read as their fields, selectors as text',
      {
        name: 'shop',
        targets: [
          { clusterSelector: { matchLabels: { env: 'prod' } }, clusterGroup: 'europe' },
          { clusterSelector: {} },
        ],
      },
      [
        {
          label: 'targets',
          text: 'cluster selector env=prod, cluster group europe; cluster selector every cluster',
        },
      ],
    ],
    [
      'words for keys, yes/no and none',
      {
        apiServerUrl: 'https://10.0.0.1:6443',
        isNewUser: true,
        expiresAt: null,
        token: 'replaced',
      },
      [
        { label: 'API server URL', text: 'https://10.0.0.1:6443' },
        { label: 'is new user', text: 'yes' },
        { label: 'expires at', text: 'none' },
        { label: 'token', text: 'replaced' },
      ],
    ],
  ])('%s', (_, details, lines) => {
    expect(detailLines(details)).toEqual(lines);
  });

  it('reads a selector object as its text form', () => {
    expect(
      detailLines({
        selector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }] },
      }),
    ).toEqual([{ label: 'selector', text: 'env in (a,b)' }]);
  });
});

describe('objects and addresses', () => {
  it.each([
    ['cluster', 'c1', '/clusters/c1'],
    ['gitrepo', 'r1', '/gitrepos/r1'],
    ['cluster-group', 'g1', '/cluster-groups/g1'],
    ['member', 'm1', '/settings/members'],
    ['workspace', 'w1', null],
    ['cluster', null, null],
  ])('%s %s links to %s', (type, id, href) => {
    expect(objectHref(type, id)).toBe(href);
  });

  it('names an object by its name, else its email', () => {
    expect(objectName({ name: 'edge-1', email: 'x@example.com' })).toBe('edge-1');
    expect(objectName({ email: 'x@example.com' })).toBe('x@example.com');
    expect(objectName('not an object')).toBeNull();
  });

  it.each([
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8::1', '2001:db8::1'],
    ['198.51.100.4', '198.51.100.4'],
    [null, 'unknown'],
  ])('shows %s as %s', (ip, text) => {
    expect(formatAddress(ip)).toBe(text);
  });
});
