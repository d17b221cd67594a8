/** What the agent bench and its agent host process say to each other over IPC. */

export interface AgentRequestCounts {
  /** Requests the agents sent to Flotilla, in all and by route (heartbeat, deployments, ...). */
  total: number;
  byRoute: Record<string, number>;
  /** Long-polls answered 304 Not Modified. */
  notModified: number;
  /** Requests that got no answer (connection refused, timeout). */
  failed: number;
}

export type AgentHostRequest =
  /** Registers agent i with tokens[i] and starts it; answered by `started` or `failed`. */
  | { type: 'start'; id: number; tokens: string[] }
  | { type: 'counters'; id: number }
  | { type: 'stop' };

export type AgentHostMessage =
  | { type: 'ready'; clusters: string[] }
  | { type: 'started'; id: number }
  | { type: 'failed'; id: number; message: string }
  | {
      type: 'counters';
      id: number;
      flotilla: AgentRequestCounts;
      /** Requests the simulated clusters received from their agents, and the writes among them. */
      clusterRequests: number;
      clusterWrites: number;
    };
