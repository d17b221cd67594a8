import type {
  V1APIService,
  V1DaemonSet,
  V1Deployment,
  V1Ingress,
  V1Job,
  V1PersistentVolumeClaim,
  V1Pod,
  V1ReplicaSet,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { apiGroupOf } from '../objects/object-identity.ts';
import type { KubeObject } from '../types.ts';
import { conditionHealth } from './condition-health.ts';
import { health, type ResourceHealth } from './health-status.ts';
import {
  apiServiceHealth,
  ingressHealth,
  persistentVolumeClaimHealth,
  serviceHealth,
} from './network-storage-health.ts';
import { jobHealth, podHealth } from './pod-job-health.ts';
import {
  daemonSetHealth,
  deploymentHealth,
  replicaSetHealth,
  statefulSetHealth,
} from './workload-health.ts';

// The live object is the apiserver's JSON, which the client-node types describe; the rules read
// only numbers, strings and lists from it (never the Date-typed fields), so a cast is honest.
type Rule = (live: KubeObject) => ResourceHealth;
const typed = <T>(live: KubeObject): T => live as unknown as T;

/** Rules by API group and kind, as gitops-engine's GetHealthCheckFunc dispatches (any version). */
const RULES: Readonly<Record<string, Rule>> = {
  'apps/Deployment': (live) => deploymentHealth(typed<V1Deployment>(live)),
  'apps/StatefulSet': (live) => statefulSetHealth(typed<V1StatefulSet>(live)),
  'apps/DaemonSet': (live) => daemonSetHealth(typed<V1DaemonSet>(live)),
  'apps/ReplicaSet': (live) => replicaSetHealth(typed<V1ReplicaSet>(live)),
  'batch/Job': (live) => jobHealth(typed<V1Job>(live)),
  '/Pod': (live) => podHealth(typed<V1Pod>(live)),
  '/PersistentVolumeClaim': (live) =>
    persistentVolumeClaimHealth(typed<V1PersistentVolumeClaim>(live)),
  '/Service': (live) => serviceHealth(typed<V1Service>(live)),
  'networking.k8s.io/Ingress': (live) => ingressHealth(typed<V1Ingress>(live)),
  'extensions/Ingress': (live) => ingressHealth(typed<V1Ingress>(live)),
  'apiregistration.k8s.io/APIService': (live) => apiServiceHealth(typed<V1APIService>(live)),
};

/**
 * The health of one live object by Argo CD's rules (gitops-engine pkg/health). `undefined`
 * means the object is not on the cluster: Missing. Argo's Suspended (a paused Deployment, a
 * suspended Job) reads as Progressing here, since Flotilla's five values have no Suspended.
 */
export function resourceHealth(live: KubeObject | undefined): ResourceHealth {
  if (live === undefined) return health('Missing', 'Resource is not on the cluster');
  if (live.metadata.deletionTimestamp != null) return health('Progressing', 'Pending deletion');
  const group = apiGroupOf(live.apiVersion);
  const rule = RULES[`${group}/${live.kind}`];
  try {
    if (rule) return rule(live);
    return conditionHealth(live.status);
  } catch (error) {
    // A malformed status (a list where a map belongs) must not fail the whole status pass.
    const reason = error instanceof Error ? error.message : String(error);
    return health(
      'Unknown',
      `Cannot assess health of ${live.kind} ${live.metadata.name}: ${reason}`,
    );
  }
}
