'use client';

import { absoluteTime } from '@/client/format.ts';
import type { AgentRegistration } from '@/client/types.ts';
import { Button } from '@/components/ui/button.tsx';
import { CopyButton } from '@/components/ui/copy-button.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { useId } from 'react';

/**
 * The install command of a new registration token. The server keeps only the token's hash, so
 * this is the one time anyone sees it: the caller keeps it in component state and never in the
 * query cache, and it is gone once hidden or the page is left.
 */
export function AgentInstallCommand({
  clusterName,
  registration,
  onHide,
}: {
  clusterName: string;
  registration: AgentRegistration;
  onHide?: () => void;
}) {
  const titleId = useId();
  return (
    <section
      aria-labelledby={titleId}
      data-testid="agent-install"
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100"
    >
      <h2 id={titleId} className="font-semibold">
        Install the agent on {clusterName}
      </h2>
      <p>
        <span aria-hidden="true">⚠ </span>
        Copy this command now: the registration token in it is shown only this once and cannot be
        retrieved later. Run it with an admin kubeconfig of the cluster; the agent connects to
        Flotilla and the cluster turns Online at its first heartbeat.
      </p>
      <pre className="overflow-x-auto rounded bg-white px-2 py-1.5 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
        <code
          className="font-mono text-xs break-all whitespace-pre-wrap"
          data-testid="install-command"
        >
          {registration.installCommand}
        </code>
      </pre>
      <div className="flex flex-wrap items-center gap-2">
        <CopyButton text={registration.installCommand} label="Copy install command" />
      </div>
      <p data-testid="install-expiry">
        The token can be used once and expires <RelativeTime iso={registration.expiresAt} /> (
        {absoluteTime(registration.expiresAt)}).
      </p>
      {onHide ? (
        <Button variant="ghost" onClick={onHide}>
          I have copied it, hide it
        </Button>
      ) : null}
    </section>
  );
}
