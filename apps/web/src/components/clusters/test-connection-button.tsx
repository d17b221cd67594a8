'use client';

import { apiFetch, isProblemError } from '@/client/api.ts';
import type { ClusterConnectionTest, GitRepoConnectionTest } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { useMutation } from '@tanstack/react-query';

type ConnectionTest = ClusterConnectionTest | GitRepoConnectionTest;

/**
 * "Test connection": asks the server to reach the cluster with what the form holds (nothing is
 * saved) and says what happened next to the button, in the probe's words. A field the server
 * refuses is handed to `onProblem`, so it shows next to that field like on save.
 */
export function TestConnectionButton({
  body,
  onProblem,
  path = '/clusters/test-connection',
  connected = (outcome) => `Connected: Kubernetes ${String(outcome.kubernetesVersion)}`,
}: {
  /** The request, read when clicked (the form's current values). */
  body: () => Record<string, unknown>;
  onProblem?: (error: unknown) => void;
  /** The test endpoint (a Git repository's: /gitrepos/test-connection). */
  path?: string;
  /** What a successful answer says. */
  connected?: (outcome: Record<string, unknown>) => string;
}) {
  const test = useMutation({
    mutationFn: () => apiFetch<ConnectionTest>(path, { json: body() }),
    onMutate: () => onProblem?.(null),
    onError: (error) => onProblem?.(error),
  });
  const outcome = test.data;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button onClick={() => test.mutate()} disabled={test.isPending}>
        {test.isPending ? 'Testing…' : 'Test connection'}
      </Button>
      <p role="status" className="text-sm" data-testid="connection-test-result">
        {test.isPending ? (
          <span className="text-slate-700 dark:text-slate-300">Connecting…</span>
        ) : outcome?.ok ? (
          <span className="text-emerald-800 dark:text-emerald-300">
            <span aria-hidden="true">✓ </span>
            {connected(outcome)}
          </span>
        ) : outcome ? (
          <span className="text-red-700 dark:text-red-300">
            <span aria-hidden="true">✗ </span>
            Could not connect: {outcome.message}
          </span>
        ) : test.error ? (
          <span className="text-red-700 dark:text-red-300">
            <span aria-hidden="true">✗ </span>
            {isProblemError(test.error) && test.error.errors.length > 0
              ? 'Fix the marked fields to test the connection.'
              : 'The test could not run.'}
          </span>
        ) : null}
      </p>
    </div>
  );
}
