import { createHash } from 'node:crypto';
import { nowTimestamp, type ClusterState } from './cluster-state.ts';
import { isObject, valueAt, type JsonObject, type JsonValue } from './json.ts';
import { modifyObject, objectName } from './object-writer.ts';
import type { StoreChange } from './object-store.ts';
import type { ResourceType } from './resource-types.ts';

/*
 * What kube-controller-manager (and a kubelet, a provisioner, a load balancer) would make of
 * workloads: `readyDelayMs` after a spec change, Deployments, StatefulSets, DaemonSets and
 * ReplicaSets report every replica ready and available with the status fields and conditions
 * the real controllers write; Jobs complete; claims bind; LoadBalancer Services and Ingresses
 * get an address. A Deployment shows a progressing status in between.
 */

const HASH_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** The simulated cluster has one schedulable node, which is what DaemonSets count. */
const NODE_COUNT = 1;

/** A pod-template-hash look-alike, stable for a given template. */
function templateHash(template: JsonValue | undefined): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(template ?? null))
    .digest();
  let hash = '';
  for (let i = 0; i < 10; i++) hash += HASH_ALPHABET[(digest[i] ?? 0) % HASH_ALPHABET.length];
  return hash;
}

function numberAt(object: JsonObject, path: string[], fallback: number): number {
  const value = valueAt(object, path);
  return typeof value === 'number' ? value : fallback;
}

function generationOf(object: JsonObject): number {
  return numberAt(object, ['metadata', 'generation'], 0);
}

/** Integer status fields the controllers leave out when zero (omitempty). */
function counts(fields: Record<string, number>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) if (value !== 0) out[key] = value;
  return out;
}

function condition(
  type: string,
  status: string,
  reason: string,
  message: string,
  now: string,
  previous: JsonValue | undefined,
): JsonObject {
  const before = Array.isArray(previous)
    ? previous.find((item) => isObject(item) && item.type === type)
    : undefined;
  const isSame = isObject(before) && before.status === status;
  return {
    type,
    status,
    lastUpdateTime: now,
    lastTransitionTime:
      isSame && typeof before.lastTransitionTime === 'string' ? before.lastTransitionTime : now,
    reason,
    message,
  };
}

function deploymentStatus(object: JsonObject, isDone: boolean): JsonObject {
  const now = nowTimestamp();
  const replicas = numberAt(object, ['spec', 'replicas'], 1);
  const { name } = objectName(object);
  const replicaSet = `${name}-${templateHash(valueAt(object, ['spec', 'template']))}`;
  const previous = isObject(object.status) ? object.status : {};
  const conditions = valueAt(previous, ['conditions']);
  if (isDone) {
    return {
      observedGeneration: generationOf(object),
      ...counts({
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
      }),
      conditions: [
        condition(
          'Available',
          'True',
          'MinimumReplicasAvailable',
          'Deployment has minimum availability.',
          now,
          conditions,
        ),
        condition(
          'Progressing',
          'True',
          'NewReplicaSetAvailable',
          `ReplicaSet "${replicaSet}" has successfully progressed.`,
          now,
          conditions,
        ),
      ],
    };
  }
  const available = Math.min(numberAt(previous, ['availableReplicas'], 0), replicas);
  return {
    observedGeneration: generationOf(object),
    ...counts({
      replicas,
      readyReplicas: available,
      availableReplicas: available,
      unavailableReplicas: replicas - available,
    }),
    conditions: [
      available > 0
        ? condition(
            'Available',
            'True',
            'MinimumReplicasAvailable',
            'Deployment has minimum availability.',
            now,
            conditions,
          )
        : condition(
            'Available',
            'False',
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.',
            now,
            conditions,
          ),
      condition(
        'Progressing',
        'True',
        'ReplicaSetUpdated',
        `ReplicaSet "${replicaSet}" is progressing.`,
        now,
        conditions,
      ),
    ],
  };
}

function readyStatus(kind: string, object: JsonObject): JsonObject | undefined {
  const replicas = numberAt(object, ['spec', 'replicas'], 1);
  const observedGeneration = generationOf(object);
  switch (kind) {
    case 'StatefulSet': {
      const revision = `${objectName(object).name}-${templateHash(valueAt(object, ['spec', 'template']))}`;
      return {
        observedGeneration,
        ...counts({
          replicas,
          readyReplicas: replicas,
          currentReplicas: replicas,
          updatedReplicas: replicas,
        }),
        currentRevision: revision,
        updateRevision: revision,
        collisionCount: 0,
      };
    }
    case 'DaemonSet':
      return {
        currentNumberScheduled: NODE_COUNT,
        numberMisscheduled: 0,
        desiredNumberScheduled: NODE_COUNT,
        numberReady: NODE_COUNT,
        observedGeneration,
        updatedNumberScheduled: NODE_COUNT,
        numberAvailable: NODE_COUNT,
      };
    case 'ReplicaSet':
      return {
        replicas,
        ...counts({
          fullyLabeledReplicas: replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
        }),
        observedGeneration,
      };
  }
  return undefined;
}

function needsRollout(object: JsonObject): boolean {
  if (isObject(object.metadata) && object.metadata.deletionTimestamp !== undefined) return false;
  if (valueAt(object, ['spec', 'paused']) === true) return false;
  return numberAt(object, ['status', 'observedGeneration'], 0) !== generationOf(object);
}

export class WorkloadControllers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly cluster: ClusterState,
    private readonly readyDelayMs: number,
  ) {
    this.unsubscribe = cluster.store.onChange((change) => this.observe(change));
  }

  stop(): void {
    this.unsubscribe();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(id: string, delayMs: number, run: () => void): void {
    if (this.timers.has(id)) return;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      run();
    }, delayMs);
    timer.unref();
    this.timers.set(id, timer);
  }

  private observe({ type: change, resourceType: type, object }: StoreChange): void {
    if (type.isCustom || change === 'DELETED') return;
    const { namespace, name } = objectName(object);
    const id = `${type.group}/${type.resource}/${namespace}/${name}`;
    const key = `${type.group}/${type.kind}`;
    switch (key) {
      case 'apps/Deployment':
      case 'apps/StatefulSet':
      case 'apps/DaemonSet':
      case 'apps/ReplicaSet': {
        if (!needsRollout(object)) return;
        const generation = generationOf(object);
        const rolloutId = `${id}@${generation}`;
        if (type.kind === 'Deployment') {
          this.schedule(`${rolloutId}/progressing`, Math.min(10, this.readyDelayMs), () =>
            this.writeStatus(
              type,
              object,
              generation,
              (current) => deploymentStatus(current, false),
              true,
            ),
          );
        }
        this.schedule(rolloutId, this.readyDelayMs, () =>
          this.writeStatus(
            type,
            object,
            generation,
            (current) =>
              type.kind === 'Deployment'
                ? deploymentStatus(current, true)
                : readyStatus(type.kind, current),
            false,
          ),
        );
        return;
      }
      case 'batch/Job':
        if (valueAt(object, ['status', 'startTime']) === undefined) {
          this.schedule(id, this.readyDelayMs, () => this.completeJob(type, object));
        }
        return;
      case '/PersistentVolumeClaim':
        if (valueAt(object, ['status', 'phase']) === 'Pending') {
          this.schedule(id, this.readyDelayMs, () => this.bindClaim(type, object));
        }
        return;
      case '/Service':
      case 'networking.k8s.io/Ingress': {
        const isLoadBalanced =
          key !== '/Service' || valueAt(object, ['spec', 'type']) === 'LoadBalancer';
        if (
          isLoadBalanced &&
          valueAt(object, ['status', 'loadBalancer', 'ingress']) === undefined
        ) {
          this.schedule(id, this.readyDelayMs, () => this.assignAddress(type, object));
        }
        return;
      }
    }
  }

  /** Writes a status unless the spec moved on meanwhile (then a newer rollout is scheduled). */
  private writeStatus(
    type: ResourceType,
    object: JsonObject,
    generation: number,
    build: (current: JsonObject) => JsonObject | undefined,
    isOnlyWhenUnobserved: boolean,
  ): void {
    modifyObject(this.cluster, type, object, (current) => {
      if (generationOf(current) !== generation) return;
      if (isOnlyWhenUnobserved && !needsRollout(current)) return;
      const status = build(current);
      if (status) current.status = status;
    });
  }

  private completeJob(type: ResourceType, object: JsonObject): void {
    modifyObject(this.cluster, type, object, (current) => {
      const now = nowTimestamp();
      current.status = {
        conditions: [
          { type: 'Complete', status: 'True', lastProbeTime: now, lastTransitionTime: now },
        ],
        startTime: valueAt(current, ['metadata', 'creationTimestamp']) ?? now,
        completionTime: now,
        succeeded: numberAt(current, ['spec', 'completions'], 1),
      };
    });
  }

  private bindClaim(type: ResourceType, object: JsonObject): void {
    modifyObject(this.cluster, type, object, (current) => {
      const storage = valueAt(current, ['spec', 'resources', 'requests', 'storage']);
      current.status = {
        phase: 'Bound',
        accessModes: valueAt(current, ['spec', 'accessModes']) ?? ['ReadWriteOnce'],
        capacity: { storage: storage ?? '1Gi' },
      };
    });
  }

  private assignAddress(type: ResourceType, object: JsonObject): void {
    const octet =
      1 +
      (Math.abs(
        createHash('sha256')
          .update(JSON.stringify(objectName(object)))
          .digest()
          .readInt32BE(0),
      ) %
        250);
    modifyObject(this.cluster, type, object, (current) => {
      current.status = { loadBalancer: { ingress: [{ ip: `172.18.255.${octet}` }] } };
    });
  }
}
