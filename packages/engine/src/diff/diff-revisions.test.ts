import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { diffRevisions } from './diff-revisions.ts';

const deployment = (replicas: number, apiVersion = 'apps/v1'): KubeObject =>
  ({
    apiVersion,
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { replicas },
  }) as KubeObject;
const configMap = (name: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' } }) as KubeObject;
const secret = (password: string): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop' },
    stringData: { password, user: 'app' },
  }) as KubeObject;

describe('diffRevisions', () => {
  it('leaves unchanged objects out', () => {
    expect(diffRevisions({ current: [deployment(2)], proposed: [deployment(2)] })).toEqual([]);
  });

  it('is blind to key order (jsonb reorders the keys of a stored revision)', () => {
    const reordered = {
      spec: { replicas: 2 },
      metadata: { namespace: 'shop', name: 'web' },
      kind: 'Deployment',
      apiVersion: 'apps/v1',
    } as KubeObject;
    expect(diffRevisions({ current: [reordered], proposed: [deployment(2)] })).toEqual([]);
  });

  it('diffs a changed field', () => {
    const [change, ...rest] = diffRevisions({
      current: [deployment(2)],
      proposed: [deployment(5)],
    });
    expect(rest).toEqual([]);
    expect(change).toMatchObject({ kind: 'Deployment', name: 'web', change: 'changed' });
    expect(change?.diff).toContain('-  replicas: 2');
    expect(change?.diff).toContain('+  replicas: 5');
  });

  it('names added and removed objects', () => {
    const changes = diffRevisions({
      current: [configMap('old'), deployment(1)],
      proposed: [configMap('new'), deployment(1)],
    });
    expect(changes.map(({ name, change }) => `${name}:${change}`)).toEqual([
      'new:added',
      'old:removed',
    ]);
  });

  it('never shows a Secret value, yet says which key changed', () => {
    const [change] = diffRevisions({ current: [secret('hunter2')], proposed: [secret('s3cret!')] });
    expect(change?.diff).not.toContain('hunter2');
    expect(change?.diff).not.toContain('s3cret!');
    expect(change?.diff).toMatch(/^- *password: \+{8,}$/m);
    expect(change?.diff).not.toMatch(/^[-+] *user:/m);
  });
});
