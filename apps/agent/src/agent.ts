import type { Logger } from '@flotilla/config';
import type { AssessedResource } from '@flotilla/engine';
import { probeCluster, type ClusterClient } from '@flotilla/kube';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  FlotillaRefusedError,
  FlotillaUnreachableError,
  type DesiredState,
  type FlotillaApi,
  type ReportEntry,
} from './flotilla-api.ts';
import {
  pruneDeployment,
  reconcileDeployment,
  type LocalDeployment,
} from './reconcile-deployment.ts';

export interface AgentSettings {
  heartbeatSeconds: number;
  rotateSeconds: number;
  pollWaitSeconds: number;
  resyncSeconds: number;
}

/** Between retries after Flotilla did not answer: doubling from 1 s up to this. */
const MAX_BACKOFF_MS = 30_000;
/** The first look again at resources still progressing; doubling up to SETTLE_MAX_MS. */
const SETTLE_FIRST_MS = 1000;
/** Looks at a rollout in progress are never further apart than this (nor than the resync). */
const SETTLE_MAX_MS = 10_000;

/**
 * The agent's loops: a heartbeat, a long-poll for desired state, and a resync timer, all
 * feeding one reconcile pass at a time. While Flotilla cannot be reached the agent keeps
 * applying its last desired state (it never deletes what it cannot confirm) and reports again
 * as soon as Flotilla answers.
 */
export class Agent {
  private desired: DesiredState | undefined;
  private etag: string | undefined;
  private readonly local = new Map<string, LocalDeployment>();
  private isStopped = false;
  private running: Promise<void> | undefined;
  private isPassWanted = false;
  private isReportPending = false;
  /** Flotilla asked for a full report (it had the cluster Offline): send it even if unchanged. */
  private isReportForced = false;
  /** Digest of the last report Flotilla took: an unchanged pass sends nothing. */
  private lastReportDigest: string | undefined;
  private kubernetesVersion: string | undefined;
  private readonly stopController = new AbortController();
  /** Looks again taken in a row at resources still progressing (reset once none is). */
  private settleLooks = 0;
  private settleTimer: NodeJS.Timeout | undefined;
  /** Requests that changed the cluster since start (for logs and tests). */
  writes = 0;

  constructor(
    private readonly api: FlotillaApi,
    private readonly client: ClusterClient,
    private readonly settings: AgentSettings,
    private readonly logger: Logger,
    /** Keeps a new credential where the next start finds it (Secret or file), before it is used. */
    private readonly storeCredential: (credential: string) => Promise<void>,
  ) {}

  async run(): Promise<void> {
    const probe = await probeCluster(this.client);
    if (probe.ok) this.kubernetesVersion = probe.kubernetesVersion;
    else this.logger.warn({ reason: probe.reason, message: probe.message }, 'cluster probe failed');
    await Promise.all([
      this.heartbeatLoop(),
      this.desiredLoop(),
      this.resyncLoop(),
      this.rotateLoop(),
    ]);
    await this.running;
  }

  stop(): void {
    this.isStopped = true;
    clearTimeout(this.settleTimer);
    this.stopController.abort();
  }

  /**
   * While an applied resource is still Progressing (a Deployment rolling out) or Missing, the
   * agent looks again soon, 1 s then doubling up to 10 s (or the resync period), so Ready is reported
   * when it happens and not at the next resync; as the worker's post-deploy checks do.
   */
  private settleAfter(entries: readonly ReportEntry[]): void {
    const isSettling = entries.some(
      (entry) =>
        entry.error === null &&
        (entry.resources as Partial<AssessedResource>[]).some(
          (resource) => resource.health === 'Progressing' || resource.health === 'Missing',
        ),
    );
    if (!isSettling) {
      this.settleLooks = 0;
      return;
    }
    if (this.settleTimer || this.isStopped) return;
    const delay = Math.min(
      this.settings.resyncSeconds * 1000,
      SETTLE_MAX_MS,
      SETTLE_FIRST_MS * 2 ** Math.min(this.settleLooks, 10),
    );
    this.settleLooks += 1;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      this.requestPass();
    }, delay);
    this.settleTimer.unref();
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopController.signal }).catch(() => undefined);
  }

  private async heartbeatLoop(): Promise<void> {
    let failures = 0;
    while (!this.isStopped) {
      try {
        const { reportRequested } = await this.api.heartbeat({
          heartbeatSeconds: this.settings.heartbeatSeconds,
          ...(this.kubernetesVersion ? { kubernetesVersion: this.kubernetesVersion } : {}),
        });
        if (failures > 0) this.logger.info('Flotilla answers again');
        failures = 0;
        if (reportRequested) this.isReportForced = true;
        if (reportRequested || this.isReportPending) this.requestPass();
      } catch (error) {
        failures += 1;
        this.onFlotillaError(error, 'heartbeat');
      }
      await this.pause(this.settings.heartbeatSeconds * 1000);
    }
  }

  private async desiredLoop(): Promise<void> {
    let failures = 0;
    while (!this.isStopped) {
      try {
        const answer = await this.api.desired(this.etag, this.settings.pollWaitSeconds);
        failures = 0;
        if (answer) {
          this.desired = answer.state;
          this.etag = answer.etag;
          this.logger.info(
            { deployments: answer.state.deployments.length, etag: answer.etag },
            'desired state changed',
          );
          this.requestPass();
        }
      } catch (error) {
        failures += 1;
        this.onFlotillaError(error, 'desired state');
        await this.pause(Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures - 1, 10)));
      }
    }
  }

  private async resyncLoop(): Promise<void> {
    while (!this.isStopped) {
      await this.pause(this.settings.resyncSeconds * 1000);
      if (!this.isStopped) this.requestPass();
    }
  }

  /**
   * Rotation on a schedule: the new credential is stored first and used after, so a crash in
   * between leaves a stored credential that works (the old one lasts another hour).
   */
  private async rotateLoop(): Promise<void> {
    while (!this.isStopped) {
      await this.pause(this.settings.rotateSeconds * 1000);
      if (this.isStopped) return;
      try {
        const credential = await this.api.rotate();
        await this.storeCredential(credential);
        this.api.setCredential(credential);
        this.logger.info('agent credential rotated');
      } catch (error) {
        this.onFlotillaError(error, 'credential rotation');
      }
    }
  }

  private onFlotillaError(error: unknown, what: string): void {
    if (error instanceof FlotillaRefusedError) {
      // Revoked or deleted: nothing the agent can fix. It keeps the cluster as it is.
      this.logger.error({ err: error.message }, `${what}: Flotilla refused the agent credential`);
      return;
    }
    if (error instanceof FlotillaUnreachableError) {
      this.logger.warn(
        { err: error.message },
        `${what}: Flotilla unreachable; keeping the cluster as it is`,
      );
      return;
    }
    this.logger.error({ err: (error as Error).message }, `${what} failed`);
  }

  /** One pass at a time; a request during a pass runs one more pass after it. */
  requestPass(): void {
    if (this.isStopped) return;
    if (this.running) {
      this.isPassWanted = true;
      return;
    }
    this.running = (async () => {
      do {
        this.isPassWanted = false;
        await this.pass().catch((error: unknown) =>
          this.logger.error({ err: (error as Error).message }, 'reconcile pass failed'),
        );
      } while (this.isPassWanted && !this.isStopped);
      this.running = undefined;
    })();
  }

  private async pass(): Promise<void> {
    const desired = this.desired;
    if (!desired) return;
    const entries: ReportEntry[] = [];
    const pruned: string[] = [];
    // One deployment failing never stops the others.
    for (const deployment of desired.deployments) {
      try {
        if (deployment.isOrphaned) {
          const result = await pruneDeployment({ client: this.client, deployment });
          this.writes += result.deleted;
          if (result.isDone) pruned.push(deployment.id);
          else
            this.logger.warn(
              { bundle: deployment.bundleName, reason: result.reason },
              'prune failed',
            );
          continue;
        }
        if (!deployment.desiredHash) continue;
        const local = this.local.get(deployment.id) ?? {
          appliedHash: deployment.appliedHash,
          inventory: deployment.inventory,
          error: null,
        };
        const revision = await this.api.revision(deployment.desiredHash);
        const result = await reconcileDeployment({
          client: this.client,
          workspaceId: desired.workspaceId,
          deployment,
          revision,
          local,
        });
        this.local.set(deployment.id, result.local);
        this.writes += result.writes;
        if (result.writes > 0)
          this.logger.info({ bundle: deployment.bundleName, writes: result.writes }, 'applied');
        entries.push(result.entry);
      } catch (error) {
        if (error instanceof FlotillaUnreachableError || error instanceof FlotillaRefusedError) {
          this.onFlotillaError(error, `revision of ${deployment.bundleName}`);
          continue;
        }
        const message = (error as Error).message;
        this.logger.error({ bundle: deployment.bundleName, err: message }, 'deployment failed');
        const local = this.local.get(deployment.id);
        entries.push({
          id: deployment.id,
          appliedHash: local?.appliedHash ?? deployment.appliedHash,
          error: message,
          resources: [],
          inventory: local?.inventory ?? deployment.inventory,
        });
      }
    }
    this.settleAfter(entries);
    // An idle cluster's pass finds what the last one found: the heartbeat says it is alive, and
    // Flotilla already holds this state. Only a change (or Flotilla asking) is sent.
    const digest = createHash('sha256').update(JSON.stringify({ entries, pruned })).digest('hex');
    if (digest === this.lastReportDigest && !this.isReportPending && !this.isReportForced) return;
    const wasForced = this.isReportForced;
    this.isReportForced = false;
    try {
      await this.api.report(entries, pruned);
      this.lastReportDigest = digest;
      this.isReportPending = false;
    } catch (error) {
      // Reported again at the next pass; the heartbeat asks for one as soon as Flotilla answers.
      this.isReportPending = true;
      this.isReportForced ||= wasForced;
      this.onFlotillaError(error, 'state report');
    }
  }
}
