import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { getCompactFleetMatrix, getFleetMatrix, type Principal } from '@flotilla/core';
import type { Db } from '@flotilla/db';
import { createTestDatabase } from '@flotilla/testkit';
import { percentile } from './report.ts';

/**
 * `npx tsx bench/matrix-at-scale.ts [--clusters 1000] [--bundles 50] [--requests 30] [--keep]`: P5's
 * database and server-side work without the rest of the platform (no web server, no worker):
 * a fresh database filled by SQL with N x M deployments whose rows are as wide as the bench's
 * (~1.2 kB: resources, counts, message), then the use cases behind
 * `GET /api/v1/fleet/matrix` timed one after another: full form, compact form, and the
 * compact form's "not modified" path. Twice: right after every deployment changed state (dead
 * row versions, index entries not yet all-visible) and after VACUUM (what autovacuum leaves).
 * HTTP and JSON serialisation are not included: `npm run bench` measures those end to end.
 */
const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000' },
    bundles: { type: 'string', default: '50' },
    requests: { type: 'string', default: '30' },
    // Keep the database afterwards (its URL is printed) to look at query plans by hand.
    keep: { type: 'boolean', default: false },
  },
});
const clusters = Number(values.clusters);
const bundles = Number(values.bundles);
const requests = Number(values.requests);

async function seed(db: Db): Promise<string> {
  const workspaceId = 'bench-ws';
  await db.$executeRaw`INSERT INTO "Workspace" (id, name) VALUES (${workspaceId}, 'bench')`;
  await db.$executeRaw`
    INSERT INTO "GitRepo" (id, "workspaceId", name, url, "updatedAt")
    VALUES ('bench-repo', ${workspaceId}, 'bench', 'https://git.example/bench.git', now())`;
  await db.$executeRaw`
    INSERT INTO "Cluster" (id, "workspaceId", name, labels, "apiServerUrl", credentials,
      "credentialKind", connectivity, "updatedAt")
    SELECT 'c' || i, ${workspaceId}, 'cluster-' || lpad(i::text, 5, '0'),
      jsonb_build_object('env', CASE WHEN i % 3 = 0 THEN 'prod' ELSE 'dev' END, 'region', 'r' || (i % 7)),
      'https://127.0.0.1:6443', '\\x00'::bytea, 'token', 'Online', now()
    FROM generate_series(1, ${clusters}) AS i`;
  await db.$executeRaw`
    INSERT INTO "Bundle" (id, "workspaceId", "gitRepoId", name, path, "updatedAt")
    SELECT 'b' || j, ${workspaceId}, 'bench-repo', 'bundle-' || lpad(j::text, 3, '0'), 'b' || j, now()
    FROM generate_series(1, ${bundles}) AS j`;
  // Rows as wide as the bench's: a few resources with their status, counts and a message.
  await db.$executeRaw`
    INSERT INTO "BundleDeployment" (id, "workspaceId", "bundleId", "clusterId", state, message,
      counts, resources, "updatedAt")
    SELECT 'd' || i || '-' || j, ${workspaceId}, 'b' || j, 'c' || i, 'Pending', 'waiting for the first apply',
      '{"desiredReady": 1, "ready": 0}'::jsonb,
      (SELECT jsonb_agg(jsonb_build_object('apiVersion', 'apps/v1', 'kind', 'Deployment',
        'namespace', 'bundle-' || j, 'name', 'workload-' || k || '-' || md5(i::text || j::text),
        'state', 'Ready', 'message', 'deployment is available with 1/1 ready replicas'))
       FROM generate_series(1, 6) AS k),
      now()
    FROM generate_series(1, ${clusters}) AS i, generate_series(1, ${bundles}) AS j`;
  return workspaceId;
}

async function time(run: () => Promise<unknown>): Promise<number[]> {
  const timings: number[] = [];
  for (let index = 0; index < requests + 3; index += 1) {
    const started = performance.now();
    await run();
    if (index >= 3) timings.push(performance.now() - started);
  }
  return timings;
}

function line(what: string, timings: number[]): string {
  return `${what.padEnd(44)} p50 ${percentile(timings, 0.5).toFixed(1).padStart(7)} ms   p95 ${percentile(timings, 0.95).toFixed(1).padStart(7)} ms`;
}

const database = await createTestDatabase();
try {
  const db = database.db;
  const workspaceId = await seed(db);
  const principal: Principal = {
    kind: 'bootstrap',
    id: 'bootstrap',
    label: 'bench',
    workspaceId,
    role: 'admin',
  };
  const ctx = { db };
  const [size] = await db.$queryRaw<{ average: number }[]>`
    SELECT avg(pg_column_size(d.*))::float8 AS average FROM "BundleDeployment" d`;
  console.log(
    `${clusters} clusters x ${bundles} bundles, ${clusters * bundles} cells, rows ${Math.round(size?.average ?? 0)} B on average`,
  );
  for (const phase of ['after every state changed', 'after VACUUM (ANALYZE)']) {
    if (phase.startsWith('after VACUUM')) await db.$executeRawUnsafe('VACUUM (ANALYZE)');
    else {
      await db.$executeRawUnsafe('ANALYZE');
      await db.$executeRaw`UPDATE "BundleDeployment" SET state = CASE WHEN random() < 0.9
        THEN 'Ready'::"DeploymentState" ELSE 'NotReady'::"DeploymentState" END`;
    }
    const full = await time(() => getFleetMatrix({ ctx, principal }));
    const compact = await time(() => getCompactFleetMatrix({ ctx, principal }));
    const current = await getCompactFleetMatrix({ ctx, principal });
    const notModified = await time(async () => {
      const result = await getCompactFleetMatrix({ ctx, principal, ifNoneMatch: current.etag });
      if (!result.notModified) throw new Error('the ETag changed while nothing was written');
    });
    const bytes = (value: unknown) => (JSON.stringify(value).length / 1024).toFixed(0);
    const fullBody = await getFleetMatrix({ ctx, principal });
    const compactBody = current.notModified ? null : current.matrix;
    console.log(`-- ${phase}`);
    console.log(`${line('full (getFleetMatrix)', full)}   ${bytes(fullBody)} KiB`);
    console.log(`${line('compact (getCompactFleetMatrix)', compact)}   ${bytes(compactBody)} KiB`);
    console.log(line('compact, If-None-Match current (304 path)', notModified));
  }
} finally {
  if (values.keep) console.log(`kept: ${database.url}`);
  else await database.drop();
}
