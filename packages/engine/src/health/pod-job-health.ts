import type { V1ContainerStatus, V1Job, V1Pod } from '@kubernetes/client-node';
import { health, type ResourceHealth } from './health-status.ts';

/**
 * gitops-engine's Job rule, except that only conditions with status "True" count: Argo also
 * reads a Suspended=False condition (left behind when a suspended Job is resumed) as "complete",
 * which would call a running Job Healthy.
 */
export function jobHealth(job: V1Job): ResourceHealth {
  const conditions = (job.status?.conditions ?? []).filter(
    (condition) => condition.status === 'True',
  );
  const failed = conditions.find((condition) => condition.type === 'Failed');
  if (failed) return health('Degraded', failed.message ?? failed.reason ?? 'Job failed');
  const complete = conditions.find((condition) => condition.type === 'Complete');
  if (complete) return health('Healthy', complete.message ?? '');
  // Argo says Suspended; a suspended Job has not done its work yet.
  if (conditions.some((condition) => condition.type === 'Suspended')) {
    return health('Progressing', 'Job is suspended');
  }
  return health('Progressing', `Job is running: ${job.status?.active ?? 0} active pods`);
}

const FAILING_WAIT = (reason: string): boolean =>
  reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff');

export function podHealth(pod: V1Pod): ResourceHealth {
  const status = pod.status ?? {};
  const message = status.message ?? '';
  // The apiserver defaults restartPolicy to Always.
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';

  // Only for Always: Argo keeps run-once pods (hooks) from failing while an image still pulls.
  if (restartPolicy === 'Always') {
    const waiting = (status.containerStatuses ?? []).flatMap((container) => {
      const reason = container.state?.waiting?.reason ?? '';
      return FAILING_WAIT(reason)
        ? [container.state?.waiting?.message || `${container.name}: ${reason}`]
        : [];
    });
    if (waiting.length > 0) return health('Degraded', waiting.join(', '));
  }

  switch (status.phase) {
    case 'Pending':
      return health('Progressing', message);
    case 'Succeeded':
      return health('Healthy', message);
    case 'Failed': {
      if (message) return health('Degraded', message);
      const containers = [
        ...(status.initContainerStatuses ?? []),
        ...(status.containerStatuses ?? []),
      ];
      const failure = containers.map(failureMessage).find((text) => text !== '');
      return health('Degraded', failure ?? '');
    }
    case 'Running': {
      // Pods that run to completion (OnFailure, Never) are Progressing until they succeed.
      if (restartPolicy !== 'Always') return health('Progressing', message);
      const isReady =
        status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      if (isReady) return health('Healthy', message);
      const hasRestarted = (status.containerStatuses ?? []).some((c) => c.lastState?.terminated);
      return health(hasRestarted ? 'Degraded' : 'Progressing', message);
    }
    default:
      return health('Unknown', message);
  }
}

function failureMessage(container: V1ContainerStatus): string {
  const terminated = container.state?.terminated;
  if (!terminated) return '';
  if (terminated.message) return terminated.message;
  if (terminated.reason === 'OOMKilled') return terminated.reason;
  if (terminated.exitCode !== 0)
    return `container "${container.name}" failed with exit code ${terminated.exitCode}`;
  return '';
}
