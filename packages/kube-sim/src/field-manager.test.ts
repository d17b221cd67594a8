import { describe, expect, it } from 'vitest';
import { builtinSchema } from './builtin-schemas.ts';
import {
  applyConfiguration,
  decodeManagedFields,
  encodeManagedFields,
  trackUpdate,
  type Managers,
} from './field-manager.ts';
import { FieldSet, pathToString } from './field-set.ts';
import type { JsonObject } from './json.ts';

const context = {
  schema: builtinSchema('', 'v1', 'ConfigMap'),
  apiVersion: 'v1',
  now: '2021-01-01T00:00:00Z',
};

function configMap(data: Record<string, string>): JsonObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, data };
}

function apply(
  live: JsonObject,
  config: JsonObject,
  managers: Managers,
  manager = 'flotilla',
  isForced = false,
) {
  return applyConfiguration(live, config, managers, manager, isForced, context);
}

function owned(managers: Managers): Record<string, unknown> {
  return Object.fromEntries(
    encodeManagedFields(managers).map((entry) => [
      `${String(entry.manager)}/${String(entry.operation)}`,
      entry.fieldsV1,
    ]),
  );
}

describe('server-side apply ownership', () => {
  it('owns exactly the applied fields, without identity and bookkeeping fields', () => {
    const result = apply({}, configMap({ a: '1' }), new Map());
    expect(owned(result.managers)).toEqual({ 'flotilla/Apply': { 'f:data': { 'f:a': {} } } });
  });

  it('conflicts on a field an updater changed, and takes it with force', () => {
    const first = apply({}, configMap({ a: '1' }), new Map());
    const edited = configMap({ a: '2' });
    const afterEdit = trackUpdate(first.object, edited, first.managers, 'kubectl-edit', context);
    expect(() => apply(edited, configMap({ a: '1' }), afterEdit)).toThrow(
      'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.a',
    );
    const forced = apply(edited, configMap({ a: '1' }), afterEdit, 'flotilla', true);
    expect(forced.object.data).toEqual({ a: '1' });
    expect(owned(forced.managers)).toEqual({ 'flotilla/Apply': { 'f:data': { 'f:a': {} } } });
  });

  it('prunes what the applier stopped sending, unless someone else owns it', () => {
    const first = apply({}, configMap({ a: '1', b: '2' }), new Map());
    const withTheirs = configMap({ a: '1', b: '2', c: '3' });
    const managers = trackUpdate(first.object, withTheirs, first.managers, 'operator', context);
    const second = apply(withTheirs, configMap({ a: '1' }), managers);
    expect(second.object.data).toEqual({ a: '1', c: '3' });
  });

  it('reports no change when the same configuration is applied again', () => {
    const first = apply({}, configMap({ a: '1' }), new Map());
    const again = apply(first.object, configMap({ a: '1' }), first.managers);
    expect(again.isChanged).toBe(false);
    expect(again.object).toBe(first.object);
  });

  it('round-trips managedFields through fieldsV1', () => {
    const fieldsV1 = {
      'f:data': { '.': {}, 'f:a': {} },
      'f:metadata': { 'f:labels': { 'f:app': {} } },
    };
    const managers = decodeManagedFields([
      {
        manager: 'm',
        operation: 'Update',
        apiVersion: 'v1',
        time: 't',
        fieldsType: 'FieldsV1',
        fieldsV1,
      },
    ]);
    expect(encodeManagedFields(managers)[0]?.fieldsV1).toEqual(fieldsV1);
  });
});

describe('field paths', () => {
  it.each([
    [['f:data', 'f:a'], '.data.a'],
    [
      ['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'],
      '.spec.containers[name="web"].image',
    ],
    [
      ['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'],
      '.ports[containerPort=80,protocol="TCP"]',
    ],
    [['f:finalizers', 'v:"x"'], '.finalizers[="x"]'],
  ])('%j prints as %s', (path, expected) => {
    expect(pathToString(path)).toBe(expected);
    expect(FieldSet.of([path]).paths()).toEqual([path]);
  });
});
