import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { computeDrift } from './compute-drift.ts';

describe('computeDrift on other objects', () => {
  const configMap = (
    data: Record<string, string>,
    metadata: Record<string, unknown> = {},
  ): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'app', namespace: 'shop', ...metadata },
    data,
  });

  it('reports a missing object as missing and modified, with the whole object on the git side', () => {
    const drift = computeDrift({ desired: configMap({ key: 'v1' }), live: undefined });
    expect(drift.missing).toBe(true);
    expect(drift.modified).toBe(true);
    expect(drift.diff).toContain('-  key: v1');
  });

  it('names a changed data key as data.key', () => {
    const drift = computeDrift({
      desired: configMap({ key: 'v1' }),
      live: configMap({ key: 'v2', extra: 'x' }),
    });
    expect(drift.fields).toEqual([{ path: 'data.key', desired: 'v1', live: 'v2' }]);
    expect(drift.diff).not.toContain('extra');
  });

  it('quotes keys that are not plain words', () => {
    const desired = configMap(
      { 'app.properties': 'a=1' },
      { labels: { 'app.kubernetes.io/name': 'app' } },
    );
    const live = configMap(
      { 'app.properties': 'a=2' },
      { labels: { 'app.kubernetes.io/name': 'other' } },
    );
    expect(computeDrift({ desired, live }).fields.map((field) => field.path)).toEqual([
      'metadata.labels["app.kubernetes.io/name"]',
      'data["app.properties"]',
    ]);
  });

  it('ignores server metadata and the last-applied annotation that a manifest carries', () => {
    const desired = configMap(
      { key: 'v1' },
      {
        uid: 'old',
        resourceVersion: '1',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
    );
    expect(
      computeDrift({
        desired,
        live: configMap({ key: 'v1' }, { uid: 'new', resourceVersion: '9' }),
      }).modified,
    ).toBe(false);
  });

  it('treats empty maps and nulls in Git as equal to an absent field', () => {
    const desired = configMap({ key: 'v1' }, { annotations: {}, labels: null });
    expect(computeDrift({ desired, live: configMap({ key: 'v1' }) }).modified).toBe(false);
  });

  it('compares plain lists by position and length', () => {
    const job = (args: string[]): KubeObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate' },
      spec: { template: { spec: { containers: [{ name: 'm', args }] } } },
    });
    expect(computeDrift({ desired: job(['a', 'b']), live: job(['a', 'b']) }).modified).toBe(false);
    expect(
      computeDrift({ desired: job(['a', 'b']), live: job(['a', 'c']) }).fields.map((f) => f.path),
    ).toEqual(['spec.template.spec.containers[name=m].args[1]']);
    expect(computeDrift({ desired: job(['a', 'b']), live: job(['a']) }).fields).toEqual([
      { path: 'spec.template.spec.containers[name=m].args', desired: ['a', 'b'], live: ['a'] },
    ]);
  });

  it('an empty plain list in Git is a value; an empty keyed list owns no items', () => {
    const pod = (spec: Record<string, unknown>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'm', ...spec }] },
    });
    expect(
      computeDrift({ desired: pod({ args: [] }), live: pod({ args: ['--debug'] }) }).fields,
    ).toEqual([{ path: 'spec.containers[name=m].args', desired: [], live: ['--debug'] }]);
    expect(computeDrift({ desired: pod({ args: [] }), live: pod({}) }).modified).toBe(false);
    const injected = pod({ env: [{ name: 'INJECTED', value: '1' }] });
    expect(computeDrift({ desired: pod({ env: [] }), live: injected }).modified).toBe(false);
  });

  it('matches Service ports by port and ignores the ones the apiserver fills in', () => {
    const service = (ports: Record<string, unknown>[]): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { ports },
    });
    const desired = service([
      { port: 80, targetPort: 8080 },
      { port: 443, targetPort: 8443 },
    ]);
    const live = service([
      { port: 443, targetPort: 8443, protocol: 'TCP', nodePort: 31443 },
      { port: 80, targetPort: '8080', protocol: 'TCP', nodePort: 31080 },
    ]);
    expect(computeDrift({ desired, live }).modified).toBe(false);
    const edited = service([
      { port: 80, targetPort: 9090 },
      { port: 443, targetPort: 8443 },
    ]);
    expect(computeDrift({ desired, live: edited }).fields).toEqual([
      { path: 'spec.ports[port=80].targetPort', desired: 8080, live: 9090 },
    ]);
  });

  it('compares a Secret written with stringData against live data and masks its values', () => {
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop' },
      stringData: { password: 'hunter2', user: 'app' },
    };
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop' },
      type: 'Opaque',
      data: { password: btoa('changed'), user: btoa('app') },
    };
    expect(
      computeDrift({
        desired,
        live: { ...live, data: { password: btoa('hunter2'), user: btoa('app') } },
      }).modified,
    ).toBe(false);
    const drift = computeDrift({ desired, live });
    expect(drift.fields.map((field) => field.path)).toEqual(['data.password']);
    const shown = JSON.stringify(drift.fields) + drift.diff;
    for (const secret of ['hunter2', 'changed', btoa('hunter2'), btoa('changed'), btoa('app')]) {
      expect(shown).not.toContain(secret);
    }
    expect(drift.fields[0]?.desired).not.toEqual(drift.fields[0]?.live);
  });
});
