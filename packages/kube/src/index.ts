export type { KubeObject, ObjectRef } from './types.ts';
export { clusterConnectionSchema, toKubeConfig, type ClusterConnection } from './connection.ts';
export {
  KubeconfigError,
  parseKubeconfig,
  type KubeconfigIssue,
  type ParseKubeconfigOptions,
} from './kubeconfig.ts';
export {
  assertApiServerUrl,
  checkApiServerUrl,
  forbiddenAddressReason,
  UnsafeUrlError,
  type UnsafeUrlReason,
} from './url-policy.ts';
export { createClusterClient, type ClusterClient, type ClusterClientOptions } from './client.ts';
export { ClusterClientPool, clusterClients, type ClusterClientPoolOptions } from './client-pool.ts';
export {
  CircuitBreaker,
  CircuitOpenError,
  DEFAULT_BREAKER_FAILURES,
  type BreakerState,
  type CircuitBreakerOptions,
} from './circuit-breaker.ts';
export type { KubeRequest } from './request.ts';
export type { HttpRequest, HttpResponse, Transport } from './transport.ts';
export { probeCluster, type ProbeResult } from './probe.ts';
export { apiGroupOf, resourcePath, type Discovery, type ResourceInfo } from './discovery.ts';
export { applyObjects, type ApplyFailure, type ApplyOptions, type ApplyResult } from './apply.ts';
export { FIELD_MANAGER, describeRef } from './apply-plan.ts';
export { ensureNamespaces, type EnsureNamespacesResult } from './ensure-namespaces.ts';
export { listNamespaced } from './list-namespaced.ts';
export { getLive, listLive, type LiveError, type LiveKind, type LiveResult } from './live.ts';
export {
  describeConflict,
  findOwnershipConflicts,
  type OwnershipCheck,
  type OwnershipConflict,
} from './find-ownership-conflicts.ts';
export { pruneObjects, refsToPrune, type PruneOptions, type PruneResult } from './prune.ts';
export {
  BUNDLE_ID_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  WORKSPACE_ID_LABEL,
  ownerLabel,
  ownershipLabels,
  ownershipSelector,
  withOwnership,
  type Ownership,
} from './labels.ts';
export {
  classifyError,
  describeFailure,
  isHttpStatus,
  RequestTimeoutError,
  ResponseTooLargeError,
  statusMessage,
  UnknownKindError,
  type ClusterErrorInfo,
  type ClusterErrorReason,
} from './errors.ts';
export { discoverApiVersions } from './discover-api-versions.ts';
export { lookupObject, type LookupRequest } from './lookup-object.ts';
