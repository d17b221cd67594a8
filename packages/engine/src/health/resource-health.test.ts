import { describe } from 'vitest';
import { object, runHealthCases } from './health-cases.ts';

describe('PersistentVolumeClaim, Service, Ingress, APIService', () => {
  const pvc = (phase?: string) =>
    object('v1', 'PersistentVolumeClaim', { spec: {}, status: phase ? { phase } : {} });
  const service = (type: string, ingress?: unknown[]) =>
    object('v1', 'Service', {
      spec: { type },
      status: { loadBalancer: ingress ? { ingress } : {} },
    });
  const ingress = (entries?: unknown[]) =>
    object('networking.k8s.io/v1', 'Ingress', {
      spec: {},
      status: { loadBalancer: entries ? { ingress: entries } : {} },
    });
  const apiService = (conditions?: unknown[]) =>
    object('apiregistration.k8s.io/v1', 'APIService', {
      spec: {},
      status: conditions ? { conditions } : {},
    });

  runHealthCases([
    ['PVC bound', pvc('Bound'), 'Healthy', ''],
    ['PVC pending', pvc('Pending'), 'Progressing', 'Waiting for the claim to be bound'],
    ['PVC lost', pvc('Lost'), 'Degraded', 'lost its volume'],
    ['PVC without a phase', pvc(), 'Unknown', 'The claim reports no phase'],
    ['ClusterIP service', service('ClusterIP'), 'Healthy', ''],
    [
      'LoadBalancer with an address',
      service('LoadBalancer', [{ ip: '10.0.0.7' }]),
      'Healthy',
      '10.0.0.7',
    ],
    [
      'LoadBalancer waiting',
      service('LoadBalancer'),
      'Progressing',
      'Waiting for the load balancer',
    ],
    [
      'Ingress with a hostname',
      ingress([{ hostname: 'lb.example.com' }]),
      'Healthy',
      'lb.example.com',
    ],
    ['Ingress waiting', ingress(), 'Progressing', 'Waiting for the ingress controller'],
    [
      'APIService available',
      apiService([
        { type: 'Available', status: 'True', reason: 'Passed', message: 'all checks passed' },
      ]),
      'Healthy',
      'Passed: all checks passed',
    ],
    [
      'APIService unavailable',
      apiService([
        { type: 'Available', status: 'False', reason: 'MissingEndpoints', message: 'no endpoints' },
      ]),
      'Progressing',
      'MissingEndpoints: no endpoints',
    ],
    ['APIService without conditions', apiService(), 'Progressing', 'Waiting to be processed'],
  ]);
});

describe('other kinds and edge cases', () => {
  const custom = (status?: unknown) =>
    object(
      'cert-manager.io/v1',
      'Certificate',
      status === undefined ? { spec: {} } : { spec: {}, status },
    );

  runHealthCases([
    ['a missing object', undefined, 'Missing', 'not on the cluster'],
    ['ConfigMap', object('v1', 'ConfigMap', { data: { a: '1' } }), 'Healthy', ''],
    ['Secret', object('v1', 'Secret', { data: {} }), 'Healthy', ''],
    ['a custom resource without status', custom(), 'Healthy', ''],
    [
      'Ready=True',
      custom({
        conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: 'issued' }],
      }),
      'Healthy',
      'Ready: issued',
    ],
    [
      'Ready=False',
      custom({ conditions: [{ type: 'Ready', status: 'False', reason: 'Issuing' }] }),
      'Progressing',
      'Issuing',
    ],
    [
      'Available=True without Ready',
      custom({ conditions: [{ type: 'Available', status: 'True' }] }),
      'Healthy',
      'Available is True',
    ],
    [
      'Stalled=True',
      custom({
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'Stalled', status: 'True', message: 'bad spec' },
        ],
      }),
      'Degraded',
      'bad spec',
    ],
    ['conditions that are not a list', custom({ conditions: 'Ready' }), 'Healthy', ''],
    [
      'being deleted',
      {
        ...object('v1', 'ConfigMap', {}),
        metadata: { name: 'web', deletionTimestamp: new Date('2026-01-01T00:00:00Z') },
      },
      'Progressing',
      'Pending deletion',
    ],
    [
      'a malformed status',
      object('apps/v1', 'ReplicaSet', {
        spec: { replicas: 1 },
        status: { observedGeneration: 1, conditions: 'x' },
      }),
      'Unknown',
      'Cannot assess health of ReplicaSet web',
    ],
  ]);
});
