import type { ClusterDto } from '@/client/types.ts';
import { ConnectivityBadge, Tag } from '@/components/ui/badges.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';

/** Online / Offline / Unknown with "last seen 3 min ago"; the probe's message as a tooltip and text. */
export function Connectivity({
  cluster,
  isDetailed = false,
}: {
  cluster: ClusterDto;
  isDetailed?: boolean;
}) {
  const { state, lastSeenAt, message } = cluster.connectivity;
  return (
    <div className="space-y-0.5">
      <ConnectivityBadge state={state} {...(message ? { title: message } : {})} />
      <div className="text-xs text-slate-600 dark:text-slate-400">
        {lastSeenAt ? <RelativeTime iso={lastSeenAt} prefix="last seen " /> : 'never seen'}
      </div>
      {message && (isDetailed || state !== 'Online') ? (
        <p className="max-w-xs text-xs break-words text-slate-700 dark:text-slate-300">{message}</p>
      ) : null}
    </div>
  );
}

export function ClusterTags({ cluster }: { cluster: ClusterDto }) {
  if (!cluster.isSimulated && !cluster.isInsecure) return null;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {cluster.isSimulated ? <Tag>simulated</Tag> : null}
      {cluster.isInsecure ? <Tag tone="warning">⚠ insecure TLS</Tag> : null}
    </span>
  );
}

/**
 * direct or agent; for an agent cluster also the agent's version and its last heartbeat
 * (relative, the exact time in the tooltip), so a silent agent is told apart from a missing one.
 */
export function ConnectionKind({ cluster }: { cluster: ClusterDto }) {
  if (cluster.connectionKind === 'direct' || !cluster.agent) return <Tag>direct</Tag>;
  const { version, lastHeartbeatAt } = cluster.agent;
  return (
    <div className="space-y-0.5">
      <Tag>agent</Tag>
      <div className="text-xs text-slate-600 dark:text-slate-400">
        {version ? (
          <>
            agent <span className="font-mono">{version}</span>
          </>
        ) : (
          'agent not installed yet'
        )}
      </div>
      <div className="text-xs text-slate-600 dark:text-slate-400" data-testid="agent-heartbeat">
        {lastHeartbeatAt ? (
          <RelativeTime iso={lastHeartbeatAt} prefix="heartbeat " />
        ) : (
          'no heartbeat yet'
        )}
      </div>
    </div>
  );
}
