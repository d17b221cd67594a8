/**
 * A bundle's pin (an operator's rollback) as the API shows it: the commit every cluster is held
 * at, who pinned it and when, and whether Git has moved past it (newer commits held back).
 */
export interface BundlePinDto {
  commit: string;
  by: string;
  at: string;
  isHoldingBack: boolean;
}

export function bundlePinOf(bundle: {
  commit: string | null;
  pinnedCommit: string | null;
  pinnedBy: string | null;
  pinnedAt: Date | null;
}): BundlePinDto | null {
  if (bundle.pinnedCommit === null) return null;
  return {
    commit: bundle.pinnedCommit,
    by: bundle.pinnedBy ?? '',
    at: (bundle.pinnedAt ?? new Date(0)).toISOString(),
    isHoldingBack: bundle.commit !== null && bundle.commit !== bundle.pinnedCommit,
  };
}
