import type { SimFault } from '@flotilla/kube-sim';

/** What the bench and its kube-sim process say to each other over IPC. */

export interface SimClusterAddress {
  name: string;
  url: string;
  token: string;
  caData: string;
}

export interface SimTotals {
  requests: number;
  mutating: number;
  byVerb: Record<string, number>;
}

export type SimHostRequest =
  | { type: 'counters'; id: number }
  /** Sets the fault of the named clusters (an empty fault clears it); answered by `faulted`. */
  | { type: 'fault'; id: number; names: string[]; fault: SimFault }
  | { type: 'stop' };

export type SimHostMessage =
  | { type: 'ready'; clusters: SimClusterAddress[] }
  | { type: 'counters'; id: number; totals: SimTotals }
  | { type: 'faulted'; id: number; names: string[] };
