import { z } from 'zod';
import { EngineError } from '../errors.ts';
import type { RepoFiles } from '../types.ts';
import { bundleNameOf } from './bundle-name.ts';
import type { DiscoveredBundle } from './discover-bundles.ts';
import { foldersOf, joinPath, resolveInside } from './paths.ts';

/**
 * A GitRepo's `bundles:` entry (Fleet's BundlePath): the folder of one bundle and, optionally,
 * its options file relative to that folder (`dev.yaml`), read instead of `fleet.yaml`.
 */
export const drivenBundleSchema = z.strictObject({
  base: z.string().max(1024),
  options: z.string().max(1024).optional(),
});

export type DrivenBundle = z.infer<typeof drivenBundleSchema>;

/**
 * Fleet's driven scan: with `bundles:` a GitRepo's bundles are exactly the listed folders, not
 * found by walking `paths`, and each may read its own options file, so one folder can be
 * several bundles (`app` with `dev.yaml`, `app` with `prod.yaml`). Names as Fleet's bundleID:
 * the base, then the options file without its extension ("app/dev" -> "app-dev").
 * Throws EngineError PathEscapes for a path outside the repository, and OptionsInvalid for a
 * base that is not a folder of it or two entries that name the same bundle.
 */
export function drivenBundles(
  files: RepoFiles,
  entries: readonly DrivenBundle[],
): DiscoveredBundle[] {
  const folders = foldersOf(files.keys());
  const bundles: DiscoveredBundle[] = [];
  const names = new Map<string, string>();
  entries.forEach((entry, i) => {
    const where = `bundles[${i}]`;
    const path = resolveInside('', entry.base, `${where}.base`);
    if (!folders.has(path)) {
      throw new EngineError(
        'OptionsInvalid',
        `${where}.base: "${entry.base}" is not a folder of the repository`,
        entry.base,
      );
    }
    const options = entry.options ? resolveInside(path, entry.options, `${where}.options`) : '';
    const optionsFile =
      options === '' ? undefined : options.slice(path === '' ? 0 : path.length + 1);
    const stem = optionsFile?.replace(/\.[^./]*$/, '') ?? '';
    const name = bundleNameOf(joinPath(path, stem));
    const previous = names.get(name);
    if (previous !== undefined) {
      throw new EngineError(
        'OptionsInvalid',
        `${where}: names bundle "${name}", as ${previous} does`,
        entry.base,
      );
    }
    names.set(name, where);
    bundles.push(optionsFile === undefined ? { path, name } : { path, name, optionsFile });
  });
  return bundles;
}
