export { startKubeSim } from './sim-server.ts';
export type {
  KubeSim,
  SimCluster,
  SimClusterSpec,
  SimFault,
  StartKubeSimOptions,
} from './sim-server.ts';
export type { Counters } from './cluster-state.ts';
