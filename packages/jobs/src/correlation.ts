import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * A correlation id follows one change from the commit (or the webhook delivery that announced
 * it) through git-sync, render, plan and deploy, so that `correlationId=...` in the logs shows
 * the whole path of a commit to its clusters. It is an id, never data: a UUID or GitHub's
 * X-GitHub-Delivery (itself a UUID).
 */
export const correlationId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id');

const store = new AsyncLocalStorage<string>();

/**
 * Runs `work` with `id` as the current correlation id: every job it enqueues carries the id
 * (JobQueues adds it) and every log line it writes names it (the worker's logger mixin).
 * Carried by AsyncLocalStorage rather than by each use case's arguments so that the use cases
 * in packages/core need not thread it through every call.
 */
export function withCorrelationId<T>(id: string, work: () => T): T {
  return store.run(id, work);
}

export function currentCorrelationId(): string | undefined {
  return store.getStore();
}

/** `candidate` when it is a usable id (e.g. a webhook's delivery id), else a fresh one. */
export function correlationIdFrom(candidate?: string | null): string {
  if (candidate && correlationId.safeParse(candidate).success) return candidate;
  return randomUUID();
}

/** For pino's `mixin`: the current correlation id as a log field, or nothing. */
export function correlationLogFields(): { correlationId?: string } {
  const id = store.getStore();
  return id ? { correlationId: id } : {};
}
