import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * Real charts and what Helm v3.17.1 printed for them (../shared/fixtures/helm, see its
 * SOURCE.md): each case is rendered by spawning the real `flotilla template` CLI with the
 * case's flags, and must give the same documents in the same order. Values Helm makes at
 * random (listed in `randomPaths`) must be there with the same shape.
 */
const execFileAsync = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const CLI = path.join(REPO_ROOT, 'apps/cli/bin/flotilla.mjs');
// CI sets FLOTILLA_SHARED_DIR; a missing folder fails the test (readdirSync throws), never skips.
const FIXTURES = path.resolve(
  process.env.FLOTILLA_SHARED_DIR ?? path.resolve(REPO_ROOT, '../shared'),
  'fixtures/helm',
);

const caseSchema = z.object({
  chart: z.string(),
  release: z.string(),
  namespace: z.string(),
  kubeVersion: z.string(),
  apiVersions: z.array(z.string()),
  values: z.string().nullable(),
  skipTests: z.boolean(),
  randomPaths: z.array(z.object({ doc: z.number().int(), object: z.string(), path: z.string() })),
});

const cases = readdirSync(path.join(FIXTURES, 'cases')).flatMap((chart) =>
  readdirSync(path.join(FIXTURES, 'cases', chart)).map((variant) => `${chart}/${variant}`),
);

function documents(text: string): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    if ('errors' in doc && doc.errors.length > 0) throw new Error(doc.errors[0]?.message);
    return doc.toJS() as unknown;
  });
}

/** Reads and blanks the value at a JSON pointer, returning it (undefined when absent). */
function takePointer(root: unknown, pointer: string): unknown {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  let parent: unknown = root;
  for (const part of parts.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) return undefined;
    parent = (parent as Record<string, unknown>)[part];
  }
  const last = parts[parts.length - 1];
  if (typeof parent !== 'object' || parent === null || last === undefined) return undefined;
  const record = parent as Record<string, unknown>;
  const value = record[last];
  record[last] = '<random>';
  return value;
}

function shapeOf(v: unknown): string {
  if (typeof v === 'string') {
    const isBase64 = /^[A-Za-z0-9+/]+={0,2}$/.test(v) && v.length % 4 === 0;
    return `string(${v.length}${isBase64 ? ', base64' : ''})`;
  }
  return v === null ? 'null' : typeof v;
}

describe('flotilla template renders the Helm fixtures as Helm v3.17.1 does', () => {
  it('finds the 19 cases', () => {
    expect(cases).toHaveLength(19);
  });

  it.each(cases)('%s', async (name) => {
    const dir = path.join(FIXTURES, 'cases', name);
    const spec = caseSchema.parse(JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')));
    const args = [
      CLI,
      'template',
      path.join(FIXTURES, spec.chart),
      '--release',
      spec.release,
      '--namespace',
      spec.namespace,
      '--kube-version',
      spec.kubeVersion,
      ...spec.apiVersions.flatMap((v) => ['--api-versions', v]),
      ...(spec.skipTests ? ['--skip-tests'] : []),
      ...(spec.values ? ['-f', spec.values] : []),
    ];
    const { stdout } = await execFileAsync(process.execPath, args, {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
    });
    const actual = documents(stdout);
    const expected = documents(readFileSync(path.join(dir, 'expected.yaml'), 'utf8'));
    expect(actual).toHaveLength(expected.length);
    for (const random of spec.randomPaths) {
      const got = takePointer(actual[random.doc], random.path);
      const want = takePointer(expected[random.doc], random.path);
      expect(got, `${random.object} ${random.path}`).toBeDefined();
      expect(shapeOf(got), `${random.object} ${random.path}`).toBe(shapeOf(want));
    }
    for (const [i, doc] of expected.entries()) {
      expect(actual[i], `document ${i} of ${name}`).toEqual(doc);
    }
  });
});
