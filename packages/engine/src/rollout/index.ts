export { resolveLimit } from './limit.ts';
export { partitionDeployments } from './partition-deployments.ts';
export type { PartitionLike, Partitioned, RolloutStrategyLike } from './partition-deployments.ts';
export { planRollout } from './plan-rollout.ts';
export type {
  PartitionPlan,
  PlanRolloutInput,
  RolloutDeployment,
  RolloutHalt,
  RolloutPartitionStatus,
  RolloutPlan,
  RolloutStatus,
} from './plan-rollout.ts';
