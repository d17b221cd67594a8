/**
 * The order in which a new commit's bundles are rendered (and so planned and deployed): those
 * whose folder or options file the commit changed first, the others after, each group in its
 * own order. A commit that changes one bundle of fifty gives every bundle the new commit, and
 * all fifty are rendered again; the one that changed should not wait behind the forty-nine
 * whose render comes out the same. Without the changed paths (the cache could not tell), the
 * order stays as it is.
 */
export function changedBundlesFirst<Bundle extends { path: string; optionsFile: string }>(
  bundles: readonly Bundle[],
  changedPaths: readonly string[] | undefined,
): Bundle[] {
  if (!changedPaths) return [...bundles];
  const isChanged = (bundle: Bundle) =>
    changedPaths.some(
      (path) =>
        bundle.path === '' ||
        path.startsWith(`${bundle.path}/`) ||
        (bundle.optionsFile !== '' &&
          (path === bundle.optionsFile || path === `${bundle.path}/${bundle.optionsFile}`)),
    );
  const changed = bundles.filter(isChanged);
  return [...changed, ...bundles.filter((bundle) => !changed.includes(bundle))];
}
