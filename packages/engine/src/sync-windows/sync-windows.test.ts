import { describe, expect, it } from 'vitest';
import type { ClusterFacts, ClusterGroupFacts } from '../types.ts';
import {
  checkTimeZone,
  checkWindowSchedule,
  evaluateSyncWindows,
  nextSyncWindowEdge,
  parseWindowDuration,
  syncWindowVerdict,
  type SyncWindow,
} from './sync-windows.ts';

const prod = { clusterSelector: { matchLabels: { env: 'prod' } } };

function window(overrides: Partial<SyncWindow> & Pick<SyncWindow, 'name' | 'kind'>): SyncWindow {
  return {
    schedule: '0 9 * * 2-4',
    duration: '7h',
    timeZone: 'Europe/Berlin',
    targets: [prod],
    manualSync: false,
    ...overrides,
  };
}

// "prod only Tue-Thu 09:00-16:00 Europe/Berlin" (CET is UTC+1 in December).
const officeHours = window({ name: 'office-hours', kind: 'allow' });
const freeze = window({
  name: 'freeze',
  kind: 'deny',
  schedule: '0 12 * * 3',
  duration: '2h',
  timeZone: 'UTC',
  manualSync: true,
});
const nightly = window({
  name: 'nightly',
  kind: 'deny',
  schedule: '0 22 * * *',
  duration: '8h',
  timeZone: 'UTC',
});

describe('evaluateSyncWindows', () => {
  // [description, windows, now, expected: allowed, or [until, blockedBy, canSyncManually]]
  const cases: [string, SyncWindow[], string, true | [string | null, string[], boolean]][] = [
    ['no window: always allowed', [], '2026-12-06T03:00:00Z', true],
    ['allow window, inside it (Tue 10:00 Berlin)', [officeHours], '2026-12-08T09:00:00Z', true],
    ['allow window, at its start exactly', [officeHours], '2026-12-08T08:00:00Z', true],
    [
      'allow window, at its end exactly: closed, opens Wednesday',
      [officeHours],
      '2026-12-08T15:00:00Z',
      ['2026-12-09T08:00:00.000Z', ['office-hours'], false],
    ],
    [
      'allow window, Sunday: held until Tuesday 09:00 Berlin',
      [officeHours],
      '2026-12-06T16:00:00Z',
      ['2026-12-08T08:00:00.000Z', ['office-hours'], false],
    ],
    [
      'allow window in summer time (CEST, UTC+2)',
      [officeHours],
      '2026-07-05T12:00:00Z',
      ['2026-07-07T07:00:00.000Z', ['office-hours'], false],
    ],
    [
      'deny window active: held until it ends; it lets manual syncs through',
      [freeze],
      '2026-12-09T12:30:00Z',
      ['2026-12-09T14:00:00.000Z', ['freeze'], true],
    ],
    ['deny window not active', [freeze], '2026-12-09T14:00:00Z', true],
    [
      'deny wins over an active allow; released when the deny ends, inside the allow',
      [officeHours, freeze],
      '2026-12-09T12:30:00Z',
      ['2026-12-09T14:00:00.000Z', ['freeze'], true],
    ],
    [
      'a deny window spanning midnight, started the day before',
      [nightly],
      '2026-12-07T03:00:00Z',
      ['2026-12-07T06:00:00.000Z', ['nightly'], false],
    ],
    [
      'held by a deny and then by a closed allow: the next opening of both',
      [officeHours, nightly],
      '2026-12-09T23:00:00Z',
      ['2026-12-10T08:00:00.000Z', ['nightly'], false],
    ],
    [
      'a manualSync deny beside one without: no manual sync',
      [freeze, window({ ...freeze, name: 'audit', manualSync: false })],
      '2026-12-09T12:30:00Z',
      ['2026-12-09T14:00:00.000Z', ['freeze', 'audit'], false],
    ],
    [
      'a closed allow window with manualSync lets manual syncs through',
      [window({ name: 'office-hours', kind: 'allow', manualSync: true })],
      '2026-12-06T16:00:00Z',
      ['2026-12-08T08:00:00.000Z', ['office-hours'], true],
    ],
    [
      'a rare schedule (29 February) opens almost a year ahead',
      [window({ name: 'leap', kind: 'allow', schedule: '0 0 29 2 *', timeZone: 'UTC' })],
      '2027-03-01T00:00:00Z',
      ['2028-02-29T00:00:00.000Z', ['leap'], false],
    ],
  ];
  it.each(cases)('%s', (_description, windows, now, expected) => {
    const verdict = evaluateSyncWindows(windows, new Date(now));
    if (expected === true) {
      expect(verdict).toEqual({ isAllowed: true });
      return;
    }
    const [until, blockedBy, canSyncManually] = expected;
    expect(verdict).toEqual({
      isAllowed: false,
      until: until === null ? null : new Date(until),
      blockedBy,
      canSyncManually,
    });
  });

  it('says no opening when denies cover every moment', () => {
    const always = window({
      name: 'always',
      kind: 'deny',
      schedule: '0 0 * * *',
      duration: '25h',
      timeZone: 'UTC',
    });
    expect(evaluateSyncWindows([always], new Date('2026-12-06T00:00:00Z'))).toEqual({
      isAllowed: false,
      until: null,
      blockedBy: ['always'],
      canSyncManually: false,
    });
  });
});

describe('nextSyncWindowEdge', () => {
  it.each([
    ['closed: its next start', '2026-12-06T16:00:00Z', '2026-12-08T08:00:00.000Z'],
    ['open: its end', '2026-12-08T09:00:00Z', '2026-12-08T15:00:00.000Z'],
    ['at its end: the next start', '2026-12-08T15:00:00Z', '2026-12-09T08:00:00.000Z'],
  ])('%s', (_description, now, edge) =>
    expect(nextSyncWindowEdge(officeHours, new Date(now))).toEqual(new Date(edge)),
  );
});

describe('syncWindowVerdict', () => {
  const euProd: ClusterFacts = { id: 'c1', name: 'eu-prod', labels: { env: 'prod' } };
  const euTest: ClusterFacts = { id: 'c2', name: 'eu-test', labels: { env: 'test' } };
  const groups: ClusterGroupFacts[] = [
    { name: 'testing', labels: {}, selector: { matchLabels: { env: 'test' } } },
  ];
  const sunday = new Date('2026-12-06T16:00:00Z');

  it('applies a window only to the clusters its targets match', () => {
    expect(syncWindowVerdict([officeHours], euTest, groups, sunday)).toEqual({ isAllowed: true });
    expect(syncWindowVerdict([officeHours], euProd, groups, sunday).isAllowed).toBe(false);
  });

  it('targets a cluster group by name', () => {
    const byGroup = window({
      name: 'tests',
      kind: 'allow',
      targets: [{ clusterGroup: 'testing' }],
    });
    expect(syncWindowVerdict([byGroup], euTest, groups, sunday).isAllowed).toBe(false);
    expect(syncWindowVerdict([byGroup], euProd, groups, sunday)).toEqual({ isAllowed: true });
  });
});

describe('window fields', () => {
  it.each([
    ['7h', 7 * 3600_000],
    ['1h30m', 5400_000],
    ['45m', 2700_000],
    ['90s', 90_000],
  ])('duration %s', (input, ms) => expect(parseWindowDuration(input)).toBe(ms));

  it.each(['', '0h', '7', '7d', '1.5h', '9000h'])('refuses duration "%s"', (input) =>
    expect(parseWindowDuration(input)).toHaveProperty('error'),
  );

  it('checks the schedule has 5 valid fields', () => {
    expect(checkWindowSchedule('0 9 * * 2-4', 'Europe/Berlin')).toBeNull();
    expect(checkWindowSchedule('0 0 9 * * 2-4', 'UTC')).toMatch(/5 fields/);
    expect(checkWindowSchedule('@daily', 'UTC')).toMatch(/5 fields/);
    expect(checkWindowSchedule('0 25 * * *', 'UTC')).toMatch(/0-23/);
  });

  it('checks the time zone is an IANA name', () => {
    expect(checkTimeZone('Europe/Berlin')).toBeNull();
    expect(checkTimeZone('Mars/Olympus')).toMatch(/unknown time zone "Mars\/Olympus"/);
  });
});
