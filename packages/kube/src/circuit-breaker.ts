/**
 * A circuit breaker for one cluster. A blackholed API server (it accepts the connection and
 * never answers) costs a full request budget per request; without a breaker every queued
 * request of every job waits its turn to find that out again, holding worker slots the rest of
 * the fleet needs. After `failureThreshold` timeouts or connection failures in a row the
 * circuit opens: requests fail at once with CircuitOpenError (shown as "unreachable"). After a
 * wait that doubles with each failed trial (capped), one request is let through as a trial: an
 * answer of any kind closes the circuit, another failure opens it again for longer.
 *
 * Written here rather than taken from opossum or cockatiel: the whole policy is this state
 * machine, it needs an injected clock so tests run without sleeping, and which errors count
 * (no answer at all, never an HTTP status) is ours to decide anyway.
 */

export type BreakerState = 'closed' | 'open' | 'halfOpen';

export interface CircuitBreakerOptions {
  /** Timeouts or connection failures in a row that open the circuit (default 3). */
  failureThreshold?: number;
  /** Wait before the first trial request once open (default 2 s); doubles per failed trial. */
  baseDelayMs?: number;
  /** Longest wait between trials (default 120 s). */
  maxDelayMs?: number;
  /** Milliseconds since some epoch; injected by tests. */
  now?: () => number;
}

/** Refused without sending: the cluster has not answered lately (see CircuitBreaker). */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';

  constructor(
    readonly failures: number,
    readonly retryInMs: number,
    /** What the last failure was, in our words ("connection refused"), never a server's. */
    readonly lastFailure = 'no answer from the API server',
  ) {
    // No "next attempt in N s": the message is stored (cluster and deployment messages) and
    // would go stale; retryInMs carries it for callers that want it.
    super(
      `${lastFailure} (${failures} requests in a row failed; requests are paused and retried with backoff)`,
    );
  }
}

/** What admit() hands out; give it back to record() with the outcome. */
export interface BreakerTicket {
  readonly isTrial: boolean;
}

const NORMAL: BreakerTicket = Object.freeze({ isTrial: false });
const TRIAL: BreakerTicket = Object.freeze({ isTrial: true });

export const DEFAULT_BREAKER_FAILURES = 3;
const DEFAULT_BASE_DELAY_MS = 2000;
const DEFAULT_MAX_DELAY_MS = 120_000;

export class CircuitBreaker {
  readonly #threshold: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #now: () => number;
  #failures = 0;
  /** Failed trials since the circuit last closed: the exponent of the wait. */
  #failedTrials = 0;
  #openUntil: number | undefined;
  #isTrialInFlight = false;
  #lastFailure: string | undefined;

  constructor({
    failureThreshold = DEFAULT_BREAKER_FAILURES,
    baseDelayMs = DEFAULT_BASE_DELAY_MS,
    maxDelayMs = DEFAULT_MAX_DELAY_MS,
    now = Date.now,
  }: CircuitBreakerOptions = {}) {
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1)
      throw new RangeError('failureThreshold must be a positive integer');
    this.#threshold = failureThreshold;
    this.#baseDelayMs = baseDelayMs;
    this.#maxDelayMs = Math.max(baseDelayMs, maxDelayMs);
    this.#now = now;
  }

  get state(): BreakerState {
    if (this.#openUntil === undefined) return 'closed';
    return this.#now() >= this.#openUntil ? 'halfOpen' : 'open';
  }

  /** Timeouts or connection failures in a row so far. */
  get failures(): number {
    return this.#failures;
  }

  /**
   * Whether a request may go now: a ticket, or CircuitOpenError. Half-open lets exactly one
   * trial through; the others fail fast until it comes back, so a recovering cluster is not
   * met by the whole backlog at once.
   */
  admit(): BreakerTicket {
    if (this.#openUntil === undefined) return NORMAL;
    const now = this.#now();
    if (now < this.#openUntil || this.#isTrialInFlight) {
      throw new CircuitOpenError(
        this.#failures,
        Math.max(0, this.#openUntil - now),
        this.#lastFailure,
      );
    }
    this.#isTrialInFlight = true;
    return TRIAL;
  }

  /**
   * The outcome of an admitted request: `answered` (any answer, even an error status: the
   * server is there) or `unreachable` (timed out, refused, reset), with what happened in our
   * words for the refusals that follow.
   */
  record(ticket: BreakerTicket, outcome: 'answered' | 'unreachable', failure?: string): void {
    if (ticket.isTrial) this.#isTrialInFlight = false;
    if (outcome === 'answered') {
      this.#failures = 0;
      this.#failedTrials = 0;
      this.#openUntil = undefined;
      return;
    }
    this.#failures += 1;
    if (failure !== undefined) this.#lastFailure = failure;
    // Requests sent before the circuit opened may still come back failing: they do not make
    // the wait longer, only a failed trial does.
    if (ticket.isTrial) {
      this.#failedTrials += 1;
      this.#open();
    } else if (this.#openUntil === undefined && this.#failures >= this.#threshold) {
      this.#open();
    }
  }

  #open(): void {
    const delay = Math.min(
      this.#maxDelayMs,
      this.#baseDelayMs * 2 ** Math.min(this.#failedTrials, 30),
    );
    this.#openUntil = this.#now() + delay;
  }
}
