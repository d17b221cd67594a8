import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@flotilla/testkit';
import { parseAllDocuments } from 'yaml';

/** Rancher's fleet-examples and the outputs Fleet renders for them (../shared/fixtures). */
export const FLEET_EXAMPLES = path.resolve(
  process.env.FLOTILLA_SHARED_DIR ?? path.resolve(REPO_ROOT, '../shared'),
  'fixtures/fleet-examples',
);

export function readFolder(folder: string, prefix: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files[`${prefix}${path.relative(folder, full)}`] = readFileSync(full, 'utf8');
    }
  };
  walk(folder);
  return files;
}

export interface ExpectedObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** Fleet's expected output for one env, without Fleet's own objectset bookkeeping metadata. */
export function fleetExpected(example: string, env: string): ExpectedObject[] {
  const text = readFileSync(
    path.join(FLEET_EXAMPLES, 'tests/expected', example, `${env}-output.yaml`),
    'utf8',
  );
  return parseAllDocuments(text)
    .map((document) => document.toJSON() as ExpectedObject | null)
    .filter((object): object is ExpectedObject => object !== null)
    .map((object) => {
      const strip = (map: Record<string, string> | undefined) => {
        if (!map) return undefined;
        const kept = Object.fromEntries(
          Object.entries(map).filter(([key]) => !key.startsWith('objectset.rio.cattle.io/')),
        );
        return Object.keys(kept).length > 0 ? kept : undefined;
      };
      const { labels, annotations, ...metadata } = object.metadata;
      const keptLabels = strip(labels);
      const keptAnnotations = strip(annotations);
      return {
        ...object,
        metadata: {
          ...metadata,
          ...(keptLabels ? { labels: keptLabels } : {}),
          ...(keptAnnotations ? { annotations: keptAnnotations } : {}),
        },
      };
    });
}

/**
 * Where `expected` differs from `live`, comparing only what `expected` says (the API server
 * adds defaults and status). Written here, independently of the engine's drift code, so the
 * test does not grade the product with the product.
 */
export function differences(expected: unknown, live: unknown, at = ''): string[] {
  if (expected === null || typeof expected !== 'object') {
    return expected === live || String(expected) === String(live)
      ? []
      : [`${at}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(live)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(live) || live.length !== expected.length)
      return [`${at}: expected ${expected.length} items, found ${JSON.stringify(live)}`];
    return expected.flatMap((item, index) => differences(item, live[index], `${at}[${index}]`));
  }
  if (live === null || typeof live !== 'object') return [`${at}: missing`];
  return Object.entries(expected).flatMap(([key, value]) =>
    differences(value, (live as Record<string, unknown>)[key], at ? `${at}.${key}` : key),
  );
}
