import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { planHelmHooks, splitHelmHooks } from './plan-helm-hooks.ts';

function object(kind: string, name: string, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: kind === 'Job' ? 'batch/v1' : 'v1',
    kind,
    metadata: { name, namespace: 'ns', ...(annotations ? { annotations } : {}) },
  };
}

const hook = (kind: string, name: string, events: string, extra: Record<string, string> = {}) =>
  object(kind, name, { 'helm.sh/hook': events, ...extra });

describe('splitHelmHooks', () => {
  it('takes every object annotated helm.sh/hook out of the ordinary ones, in order', () => {
    const objects = [
      object('ConfigMap', 'plain'),
      hook('Job', 'migrate', 'pre-install'),
      object('Service', 'web', { other: 'x' }),
      hook('Pod', 'test', 'test'),
    ];
    const { objects: ordinary, hooks } = splitHelmHooks(objects);
    expect(ordinary.map((o) => o.metadata.name)).toEqual(['plain', 'web']);
    expect(hooks.map((o) => o.metadata.name)).toEqual(['migrate', 'test']);
  });
});

describe('planHelmHooks', () => {
  const hooks = [
    hook('Job', 'b-job', 'pre-install,pre-upgrade', { 'helm.sh/hook-weight': '5' }),
    hook('Job', 'a-job', 'pre-install', { 'helm.sh/hook-weight': '5' }),
    hook('ServiceAccount', 'sa', 'pre-install,pre-upgrade', { 'helm.sh/hook-weight': '5' }),
    hook('ConfigMap', 'first', 'pre-install', { 'helm.sh/hook-weight': '-10' }),
    hook('ConfigMap', 'after', 'post-install,post-upgrade', {
      'helm.sh/hook-delete-policy': 'hook-succeeded, hook-failed',
    }),
    hook('Pod', 'smoke', 'test'),
    hook('Pod', 'legacy-smoke', 'test-success'),
    hook('Job', 'cleanup', 'pre-delete'),
    hook('Job', 'rollback', 'post-rollback'),
  ];
  const names = (groups: { weight: number; hooks: { object: KubeObject }[] }[]) =>
    groups.map((group) => [group.weight, group.hooks.map((h) => h.object.metadata.name)]);

  it('on install runs pre-install hooks by weight, kind (install order) and name, then post-install', () => {
    const plan = planHelmHooks(hooks, { isInstall: true });
    expect(plan.action).toBe('install');
    expect(names(plan.pre)).toEqual([
      [-10, ['first']],
      [5, ['sa', 'a-job', 'b-job']],
    ]);
    expect(names(plan.post)).toEqual([[0, ['after']]]);
    expect(plan.pre[1]!.hooks[0]!.events).toEqual(['pre-install']);
  });

  it('on upgrade runs only the upgrade hooks; test, delete and rollback hooks never', () => {
    const plan = planHelmHooks(hooks, { isInstall: false });
    expect(plan.action).toBe('upgrade');
    expect(names(plan.pre)).toEqual([[5, ['sa', 'b-job']]]);
    expect(names(plan.post)).toEqual([[0, ['after']]]);
    const all = [...plan.pre, ...plan.post].flatMap((g) => g.hooks.map((h) => h.object));
    expect(all.map((o) => o.metadata.name)).not.toContain('smoke');
  });

  it('reads delete policies, before-hook-creation when none is given', () => {
    const plan = planHelmHooks(hooks, { isInstall: true });
    expect(plan.post[0]!.hooks[0]!.deletePolicies).toEqual(['hook-succeeded', 'hook-failed']);
    expect(plan.pre[0]!.hooks[0]!.deletePolicies).toEqual(['before-hook-creation']);
  });

  it('skips a hook whose annotation names no event or an unknown one', () => {
    const plan = planHelmHooks(
      [hook('Job', 'empty', ' '), hook('Job', 'odd', 'pre-install,pre-instal')],
      { isInstall: true },
    );
    expect(plan.pre).toEqual([]);
    expect(plan.post).toEqual([]);
  });
});
