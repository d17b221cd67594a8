export {
  clusterGroupsOf,
  groupMembers,
  matchTarget,
  matchTargetInGroups,
  targetSelectsThroughGroup,
} from './match-target.ts';
export type { TargetLike } from './match-target.ts';
export { firstMatchingTarget, selectTargetedClusters } from './select-targets.ts';
export type { TargetedCluster, TargetMatch } from './select-targets.ts';
