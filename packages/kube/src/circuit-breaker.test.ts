import { describe, expect, it } from 'vitest';
import { CircuitBreaker, CircuitOpenError, type BreakerTicket } from './circuit-breaker.ts';

function breakerAt(start = 1_000_000, options: { failureThreshold?: number } = {}) {
  const clock = { now: start };
  const breaker = new CircuitBreaker({
    failureThreshold: options.failureThreshold ?? 3,
    baseDelayMs: 1000,
    maxDelayMs: 8000,
    now: () => clock.now,
  });
  const fail = (ticket: BreakerTicket = breaker.admit()) => breaker.record(ticket, 'unreachable');
  const answer = (ticket: BreakerTicket = breaker.admit()) => breaker.record(ticket, 'answered');
  return { clock, breaker, fail, answer };
}

// A function, so TypeScript does not narrow the getter across clock changes.
const isOpen = (breaker: CircuitBreaker) => breaker.state === 'open';

function refusal(breaker: CircuitBreaker): CircuitOpenError | undefined {
  try {
    breaker.admit();
    return undefined;
  } catch (error) {
    if (error instanceof CircuitOpenError) return error;
    throw error;
  }
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold, and an answer resets the count', () => {
    const { breaker, fail, answer } = breakerAt();
    fail();
    fail();
    expect(breaker.state).toBe('closed');
    answer();
    expect(breaker.failures).toBe(0);
    fail();
    fail();
    expect(breaker.state).toBe('closed');
    expect(refusal(breaker)).toBeUndefined();
  });

  it('opens after K failures in a row and then refuses at once, saying when it tries again', () => {
    const { clock, breaker, fail } = breakerAt();
    fail();
    fail();
    fail();
    expect(breaker.state).toBe('open');
    clock.now += 400;
    const refused = refusal(breaker);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused?.retryInMs).toBe(600);
    expect(refused?.message).toBe(
      'no answer from the API server (3 requests in a row failed; requests are paused and retried with backoff)',
    );
  });

  it('names the last failure in its refusals', () => {
    const { breaker } = breakerAt();
    for (let index = 0; index < 3; index += 1)
      breaker.record(breaker.admit(), 'unreachable', 'connection refused');
    expect(refusal(breaker)?.message).toBe(
      'connection refused (3 requests in a row failed; requests are paused and retried with backoff)',
    );
  });

  it('honours a configured threshold of one', () => {
    const { breaker, fail } = breakerAt(0, { failureThreshold: 1 });
    fail();
    expect(breaker.state).toBe('open');
  });

  it('lets exactly one trial through when half-open; its answer closes the circuit', () => {
    const { clock, breaker, fail, answer } = breakerAt();
    for (let index = 0; index < 3; index += 1) fail();
    clock.now += 1000;
    expect(breaker.state).toBe('halfOpen');
    const trial = breaker.admit();
    expect(trial.isTrial).toBe(true);
    // While the trial is out, the rest still fail fast.
    expect(refusal(breaker)).toBeInstanceOf(CircuitOpenError);
    answer(trial);
    expect(breaker.state).toBe('closed');
    expect(breaker.failures).toBe(0);
    expect(refusal(breaker)).toBeUndefined();
  });

  it('doubles the wait after each failed trial, up to the cap, and starts over once closed', () => {
    const { clock, breaker, fail, answer } = breakerAt();
    for (let index = 0; index < 3; index += 1) fail();
    const waits: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      const opened = clock.now;
      // Find when the trial is allowed, in 100 ms steps of the injected clock.
      while (isOpen(breaker)) clock.now += 100;
      waits.push(clock.now - opened);
      fail(breaker.admit());
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000]);
    while (isOpen(breaker)) clock.now += 100;
    answer(breaker.admit());
    for (let index = 0; index < 3; index += 1) fail();
    const opened = clock.now;
    while (isOpen(breaker)) clock.now += 100;
    expect(clock.now - opened).toBe(1000);
  });

  it('does not lengthen the wait for requests that were sent before it opened', () => {
    const { clock, breaker } = breakerAt();
    const early = [breaker.admit(), breaker.admit(), breaker.admit(), breaker.admit()];
    for (const ticket of early.slice(0, 3)) breaker.record(ticket, 'unreachable');
    expect(breaker.state).toBe('open');
    clock.now += 500;
    breaker.record(early[3]!, 'unreachable');
    expect(refusal(breaker)?.retryInMs).toBe(500);
  });

  it('closes when a request sent before it opened comes back answered', () => {
    const { breaker, fail } = breakerAt();
    const early = breaker.admit();
    for (let index = 0; index < 3; index += 1) fail();
    breaker.record(early, 'answered');
    expect(breaker.state).toBe('closed');
  });
});
