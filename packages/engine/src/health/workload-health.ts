import type {
  V1DaemonSet,
  V1Deployment,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { health, type ResourceHealth } from './health-status.ts';

// These follow gitops-engine pkg/health, which borrowed them from `kubectl rollout status`.

export function deploymentHealth(deployment: V1Deployment): ResourceHealth {
  const { spec, status = {}, metadata } = deployment;
  // Argo reports Suspended here; Flotilla has no such value and a paused rollout is not done.
  if (spec?.paused) return health('Progressing', 'Deployment is paused');
  if ((metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return health(
      'Progressing',
      'Waiting for rollout to finish: observed deployment generation less than desired generation',
    );
  }
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return health(
      'Degraded',
      `Deployment "${metadata?.name ?? ''}" exceeded its progress deadline`,
    );
  }
  if (spec?.replicas !== undefined && updated < spec.replicas) {
    return health(
      'Progressing',
      `Waiting for rollout to finish: ${updated} out of ${spec.replicas} new replicas have been updated...`,
    );
  }
  if ((status.replicas ?? 0) > updated) {
    return health(
      'Progressing',
      `Waiting for rollout to finish: ${(status.replicas ?? 0) - updated} old replicas are pending termination...`,
    );
  }
  if (available < updated) {
    return health(
      'Progressing',
      `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`,
    );
  }
  return health('Healthy');
}

export function statefulSetHealth(statefulSet: V1StatefulSet): ResourceHealth {
  const { spec, status, metadata } = statefulSet;
  const observed = status?.observedGeneration ?? 0;
  if (observed === 0 || (metadata?.generation ?? 0) > observed) {
    return health('Progressing', 'Waiting for statefulset spec update to be observed...');
  }
  const ready = status?.readyReplicas ?? 0;
  const updated = status?.updatedReplicas ?? 0;
  if (spec?.replicas !== undefined && ready < spec.replicas) {
    return health('Progressing', `Waiting for ${spec.replicas - ready} pods to be ready...`);
  }
  const strategy = spec?.updateStrategy;
  if (strategy?.type === 'RollingUpdate' && strategy.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (
      spec?.replicas !== undefined &&
      partition !== undefined &&
      updated < spec.replicas - partition
    ) {
      return health(
        'Progressing',
        `Waiting for partitioned roll out to finish: ${updated} out of ${spec.replicas - partition} new pods have been updated...`,
      );
    }
    return health(
      'Healthy',
      `partitioned roll out complete: ${updated} new pods have been updated...`,
    );
  }
  if (strategy?.type === 'OnDelete')
    return health('Healthy', `statefulset has ${ready} ready pods`);
  if (status?.updateRevision !== status?.currentRevision) {
    return health(
      'Progressing',
      `waiting for statefulset rolling update to complete ${updated} pods at revision ${status?.updateRevision ?? ''}...`,
    );
  }
  return health(
    'Healthy',
    `statefulset rolling update complete ${status?.currentReplicas ?? 0} pods at revision ${status?.currentRevision ?? ''}...`,
  );
}

export function daemonSetHealth(daemonSet: V1DaemonSet): ResourceHealth {
  const { spec, status, metadata } = daemonSet;
  const name = metadata?.name ?? '';
  if ((metadata?.generation ?? 0) > (status?.observedGeneration ?? 0)) {
    return health(
      'Progressing',
      'Waiting for rollout to finish: observed daemon set generation less than desired generation',
    );
  }
  const desired = status?.desiredNumberScheduled ?? 0;
  const updated = status?.updatedNumberScheduled ?? 0;
  const available = status?.numberAvailable ?? 0;
  if (spec?.updateStrategy?.type === 'OnDelete') {
    return health('Healthy', `daemon set ${updated} out of ${desired} new pods have been updated`);
  }
  if (updated < desired) {
    return health(
      'Progressing',
      `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
    );
  }
  if (available < desired) {
    return health(
      'Progressing',
      `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`,
    );
  }
  return health('Healthy');
}

export function replicaSetHealth(replicaSet: V1ReplicaSet): ResourceHealth {
  const { spec, status, metadata } = replicaSet;
  if ((metadata?.generation ?? 0) > (status?.observedGeneration ?? 0)) {
    return health(
      'Progressing',
      'Waiting for rollout to finish: observed replica set generation less than desired generation',
    );
  }
  const failure = status?.conditions?.find((condition) => condition.type === 'ReplicaFailure');
  if (failure?.status === 'True') return health('Degraded', failure.message ?? '');
  const available = status?.availableReplicas ?? 0;
  if (spec?.replicas !== undefined && available < spec.replicas) {
    return health(
      'Progressing',
      `Waiting for rollout to finish: ${available} out of ${spec.replicas} new replicas are available...`,
    );
  }
  return health('Healthy');
}
