import { isObject, objectAt, setDefault, type JsonObject, type JsonValue } from './json.ts';
import type { ResourceType } from './resource-types.ts';

/*
 * The defaults a v1.20 API server fills in, for the fields that show up in drift when they are
 * missing from the simulator: pod templates (restartPolicy, dnsPolicy, schedulerName,
 * terminationGracePeriodSeconds, securityContext; per container imagePullPolicy,
 * terminationMessagePath/Policy, resources, port protocol, probe timings), Deployment
 * (replicas, strategy 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600),
 * StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Service (type, sessionAffinity, port
 * protocol and targetPort, clusterIP(s), nodePort, externalTrafficPolicy), Secret (type,
 * stringData folded into data), Namespace finalizer, PVC volumeMode, NetworkPolicy
 * policyTypes, HorizontalPodAutoscaler and CRD names/conversion.
 */

export interface AllocationContext {
  uid: string;
  name: string;
  isDryRun: boolean;
  allocateClusterIp: () => string;
  allocateNodePort: () => number;
}

function imagePullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon < 0 ? '' : lastSegment.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function eachObject(list: JsonValue | undefined, visit: (item: JsonObject) => void): void {
  if (Array.isArray(list)) for (const item of list) if (isObject(item)) visit(item);
}

function defaultProbe(probe: JsonValue | undefined): void {
  if (!isObject(probe)) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  if (isObject(probe.httpGet)) setDefault(probe.httpGet, 'scheme', 'HTTP');
}

function defaultContainer(container: JsonObject): void {
  eachObject(container.ports, (port) => setDefault(port, 'protocol', 'TCP'));
  eachObject(container.env, (variable) => {
    const fieldRef = isObject(variable.valueFrom) ? variable.valueFrom.fieldRef : undefined;
    if (isObject(fieldRef)) setDefault(fieldRef, 'apiVersion', 'v1');
  });
  setDefault(container, 'resources', {});
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  if (typeof container.image === 'string')
    setDefault(container, 'imagePullPolicy', imagePullPolicy(container.image));
}

function defaultPodSpec(spec: JsonObject): void {
  eachObject(spec.initContainers, defaultContainer);
  eachObject(spec.containers, defaultContainer);
  eachObject(spec.volumes, (volume) => {
    for (const source of ['configMap', 'secret', 'projected', 'downwardAPI']) {
      const value = volume[source];
      if (isObject(value)) setDefault(value, 'defaultMode', 420);
    }
  });
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  if (typeof spec.serviceAccountName === 'string')
    setDefault(spec, 'serviceAccount', spec.serviceAccountName);
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
}

function defaultPodTemplate(template: JsonObject): void {
  setDefault(objectAt(template, ['metadata']), 'creationTimestamp', null);
  defaultPodSpec(objectAt(template, ['spec']));
}

function defaultDeployment(spec: JsonObject): void {
  setDefault(spec, 'replicas', 1);
  defaultPodTemplate(objectAt(spec, ['template']));
  const strategy = objectAt(spec, ['strategy']);
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = objectAt(strategy, ['rollingUpdate']);
    setDefault(rollingUpdate, 'maxUnavailable', '25%');
    setDefault(rollingUpdate, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
}

function defaultStatefulSet(spec: JsonObject): void {
  setDefault(spec, 'replicas', 1);
  defaultPodTemplate(objectAt(spec, ['template']));
  eachObject(spec.volumeClaimTemplates, (claim) => {
    setDefault(objectAt(claim, ['metadata']), 'creationTimestamp', null);
    setDefault(objectAt(claim, ['spec']), 'volumeMode', 'Filesystem');
    setDefault(claim, 'status', { phase: 'Pending' });
  });
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = objectAt(spec, ['updateStrategy']);
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate')
    setDefault(objectAt(strategy, ['rollingUpdate']), 'partition', 0);
  setDefault(spec, 'revisionHistoryLimit', 10);
}

function defaultDaemonSet(spec: JsonObject): void {
  defaultPodTemplate(objectAt(spec, ['template']));
  const strategy = objectAt(spec, ['updateStrategy']);
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate')
    setDefault(objectAt(strategy, ['rollingUpdate']), 'maxUnavailable', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
}

function defaultJobSpec(spec: JsonObject): void {
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', 6);
  defaultPodTemplate(objectAt(spec, ['template']));
}

function defaultService(spec: JsonObject): void {
  setDefault(spec, 'type', 'ClusterIP');
  eachObject(spec.ports, (port) => {
    setDefault(port, 'protocol', 'TCP');
    if (port.targetPort === undefined) port.targetPort = port.port ?? null;
  });
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer')
    setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  setDefault(spec, 'sessionAffinity', 'None');
}

/** Addresses and node ports: kept from the stored Service when not given, else allocated. */
function allocateServiceValues(
  spec: JsonObject,
  previous: JsonObject | undefined,
  context: AllocationContext,
): void {
  const previousPorts =
    previous && Array.isArray(previous.ports) ? previous.ports.filter(isObject) : [];
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    eachObject(spec.ports, (port) => {
      const before = previousPorts.find(
        (candidate) => candidate.port === port.port && candidate.protocol === port.protocol,
      );
      if (port.nodePort === undefined)
        port.nodePort = before?.nodePort ?? context.allocateNodePort();
    });
  }
  if (spec.type === 'ExternalName') return;
  if (spec.clusterIP === undefined && previous?.clusterIP !== undefined) {
    spec.clusterIP = previous.clusterIP;
    if (previous.clusterIPs !== undefined) spec.clusterIPs = previous.clusterIPs;
  }
  // A dry run allocates no address, as in v1.20.
  if (spec.clusterIP === undefined && !context.isDryRun)
    spec.clusterIP = context.allocateClusterIp();
  if (typeof spec.clusterIP === 'string') setDefault(spec, 'clusterIPs', [spec.clusterIP]);
}

function defaultSecret(secret: JsonObject): void {
  if (isObject(secret.stringData)) {
    const data = objectAt(secret, ['data']);
    for (const [key, value] of Object.entries(secret.stringData)) {
      data[key] = Buffer.from(String(value)).toString('base64');
    }
    delete secret.stringData;
  }
  setDefault(secret, 'type', 'Opaque');
}

function defaultCrd(crd: JsonObject): void {
  const spec = objectAt(crd, ['spec']);
  const names = objectAt(spec, ['names']);
  if (typeof names.kind === 'string') {
    setDefault(names, 'singular', names.kind.toLowerCase());
    setDefault(names, 'listKind', `${names.kind}List`);
  }
  setDefault(spec, 'conversion', { strategy: 'None' });
}

/** Fills in the server-side defaults of a built-in kind (custom resources use their schema). */
export function applyDefaults(type: ResourceType, object: JsonObject): void {
  const spec = () => objectAt(object, ['spec']);
  switch (`${type.group}/${type.kind}`) {
    case 'apps/Deployment':
      return defaultDeployment(spec());
    case 'apps/StatefulSet':
      return defaultStatefulSet(spec());
    case 'apps/DaemonSet':
      return defaultDaemonSet(spec());
    case 'apps/ReplicaSet':
    case '/ReplicationController':
      setDefault(spec(), 'replicas', 1);
      return defaultPodTemplate(objectAt(spec(), ['template']));
    case 'batch/Job':
      return defaultJobSpec(spec());
    case 'batch/CronJob': {
      const cronSpec = spec();
      setDefault(cronSpec, 'concurrencyPolicy', 'Allow');
      setDefault(cronSpec, 'suspend', false);
      setDefault(cronSpec, 'successfulJobsHistoryLimit', 3);
      setDefault(cronSpec, 'failedJobsHistoryLimit', 1);
      const jobTemplate = objectAt(cronSpec, ['jobTemplate']);
      setDefault(objectAt(jobTemplate, ['metadata']), 'creationTimestamp', null);
      return defaultJobSpec(objectAt(jobTemplate, ['spec']));
    }
    case '/Pod':
      return defaultPodSpec(spec());
    case '/PodTemplate':
      return defaultPodTemplate(objectAt(object, ['template']));
    case '/Service':
      return defaultService(spec());
    case '/Secret':
      return defaultSecret(object);
    case '/Namespace':
      setDefault(objectAt(object, ['status']), 'phase', 'Active');
      return;
    case '/PersistentVolumeClaim':
      setDefault(spec(), 'volumeMode', 'Filesystem');
      return;
    case 'networking.k8s.io/NetworkPolicy': {
      const policySpec = spec();
      if (policySpec.policyTypes === undefined) {
        policySpec.policyTypes =
          policySpec.egress === undefined ? ['Ingress'] : ['Ingress', 'Egress'];
      }
      return;
    }
    case 'autoscaling/HorizontalPodAutoscaler':
      setDefault(spec(), 'minReplicas', 1);
      setDefault(spec(), 'targetCPUUtilizationPercentage', 80);
      return;
    case 'apiextensions.k8s.io/CustomResourceDefinition':
      return defaultCrd(object);
  }
}

/**
 * What the create and update strategies set after field ownership is tracked (so no manager
 * owns them): Service addresses and node ports, the Job selector, the Namespace finalizer.
 */
export function prepareForWrite(
  type: ResourceType,
  object: JsonObject,
  previous: JsonObject | undefined,
  context: AllocationContext,
): void {
  switch (`${type.group}/${type.kind}`) {
    case '/Service': {
      const previousSpec = previous && isObject(previous.spec) ? previous.spec : undefined;
      return allocateServiceValues(objectAt(object, ['spec']), previousSpec, context);
    }
    case 'batch/Job': {
      const spec = objectAt(object, ['spec']);
      if (previous || spec.manualSelector === true || spec.selector !== undefined) return;
      spec.selector = { matchLabels: { 'controller-uid': context.uid } };
      const labels = objectAt(spec, ['template', 'metadata', 'labels']);
      labels['controller-uid'] = context.uid;
      labels['job-name'] = context.name;
      return;
    }
    case '/Namespace':
      if (!previous) objectAt(object, ['spec']).finalizers = ['kubernetes'];
      return;
  }
}

/** What the server's create strategy leaves in `status` (Go zero values that serialize). */
export function initialStatus(type: ResourceType, object: JsonObject): JsonValue | undefined {
  switch (`${type.group}/${type.kind}`) {
    case 'apps/ReplicaSet':
    case 'apps/StatefulSet':
    case '/ReplicationController':
      return { replicas: 0 };
    case 'apps/DaemonSet':
      return {
        currentNumberScheduled: 0,
        numberMisscheduled: 0,
        desiredNumberScheduled: 0,
        numberReady: 0,
      };
    case 'policy/PodDisruptionBudget':
      return { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
    case 'autoscaling/HorizontalPodAutoscaler':
      return { currentReplicas: 0, desiredReplicas: 0 };
    case '/Service':
    case 'networking.k8s.io/Ingress':
      return { loadBalancer: {} };
    case '/PersistentVolumeClaim':
    case '/PersistentVolume':
    case '/Pod':
      return { phase: 'Pending' };
    case '/Namespace':
      return { phase: 'Active' };
    case 'apiextensions.k8s.io/CustomResourceDefinition': {
      const versions =
        isObject(object.spec) && Array.isArray(object.spec.versions) ? object.spec.versions : [];
      const stored = versions.filter((version) => isObject(version) && version.storage === true);
      return {
        conditions: null,
        acceptedNames: { plural: '', kind: '' },
        storedVersions: stored.map((version) => (isObject(version) ? (version.name ?? '') : '')),
      };
    }
  }
  return type.isCustom ? undefined : {};
}

/**
 * The object a create is compared against when ownership is computed: the Go zero value of
 * the kind, whose non-omitempty structs are present, so that creating `spec` does not mark
 * `spec` itself as owned (approximated: spec, status and pod template skeletons).
 */
export function zeroObject(type: ResourceType): JsonObject {
  if (type.isCustom) return {};
  const zero: JsonObject = { metadata: { creationTimestamp: null }, spec: {}, status: {} };
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'].includes(type.kind)) {
    zero.spec = {
      selector: null,
      template: { metadata: { creationTimestamp: null }, spec: { containers: null } },
      strategy: {},
    };
  }
  return zero;
}

/** Built-in kinds go through Go types: a `null` field is the zero value and is not written. */
export function dropNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (child !== null) out[key] = dropNulls(child);
  }
  return out;
}
