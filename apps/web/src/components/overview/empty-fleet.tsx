import { ButtonLink } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/layout.tsx';

/** What to do next when there is nothing to show: the two steps, in order, with their buttons. */
export function EmptyFleet({
  hasClusters,
  hasRepos,
  canOperate,
}: {
  hasClusters: boolean;
  hasRepos: boolean;
  canOperate: boolean;
}) {
  return (
    <EmptyState
      title={hasClusters && hasRepos ? 'Waiting for the first bundles' : 'Your fleet is empty'}
      actions={
        canOperate ? (
          <>
            {hasClusters ? null : (
              <ButtonLink href="/clusters?register=1" variant="primary">
                Register a cluster
              </ButtonLink>
            )}
            {hasRepos ? (
              <ButtonLink href="/gitrepos">See your repositories</ButtonLink>
            ) : (
              <ButtonLink
                href="/gitrepos?connect=1"
                variant={hasClusters ? 'primary' : 'secondary'}
              >
                Connect a repository
              </ButtonLink>
            )}
          </>
        ) : (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Ask an operator or admin of this workspace to add them.
          </p>
        )
      }
    >
      <ol className="space-y-1 text-left">
        <li>
          <span aria-hidden="true">{hasClusters ? '✓' : '1.'} </span>
          <strong>Register a cluster</strong>: its API server URL and a token (or a kubeconfig),
          with labels such as <code className="font-mono">env=prod</code> or{' '}
          <code className="font-mono">region=eu</code>.{hasClusters ? ' Done.' : ''}
        </li>
        <li>
          <span aria-hidden="true">{hasRepos ? '✓' : '2.'} </span>
          <strong>Connect a Git repository</strong>: each folder becomes a bundle, deployed to the
          clusters its targets select.
          {hasRepos ? ' Done: its bundles appear once the first fetch has finished.' : ''}
        </li>
      </ol>
    </EmptyState>
  );
}
