import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, createToken, json, signIn, type Session } from './access-helpers.ts';
import { startPlatform, type Platform } from './testkit.ts';

interface SearchResult {
  kind: 'cluster' | 'bundle' | 'gitrepo';
  id: string;
  name: string;
  detail: string;
  labels: Record<string, string>;
}
interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}
interface Named {
  id: string;
  name: string;
}

const CLUSTERS: [string, Record<string, string>][] = [
  ['edge-prod-eu', { env: 'prod', region: 'eu' }],
  ['edge-prod-us', { env: 'prod', region: 'us' }],
  ['edge-dev', { env: 'dev', region: 'eu' }],
  ['core-db', { env: 'prod', tier: 'data' }],
  ['web', { env: 'staging' }],
];

/**
 * The global search (GET /search) and the list parameters (q, sort) on clusters, bundles and
 * repositories: what they match, in which order, page by page, and that they validate input and
 * stay in the caller's workspace. Who may call them at all is in permissions.test.ts.
 */
describe('search and list parameters', () => {
  let platform: Platform;
  let adminSession: Session;
  let otherSession: Session;
  let viewerToken = '';

  const search = async (query: string, token?: string) =>
    (
      await json<{ items: SearchResult[] }>(
        await platform.api(`/api/v1/search?${query}`, token ? { token } : {}),
      )
    ).items;
  const clusterNames = async (query: string) =>
    (await json<{ items: Named[] }>(await platform.api(`/api/v1/clusters?${query}`))).items.map(
      (cluster) => cluster.name,
    );
  const problem = async (pathname: string) => {
    const response = await platform.api(pathname);
    return { status: response.status, body: (await response.json()) as Problem };
  };

  beforeAll(async () => {
    platform = await startPlatform({ isWorkerStarted: false });
    for (const [name, labels] of CLUSTERS) {
      await json(
        await platform.api('/api/v1/clusters', {
          json: { name, labels, apiServerUrl: 'https://127.0.0.1:1', token: 'unused' },
        }),
      );
    }
    // A repository with bundles, as a sync leaves them (no worker runs here to fetch one).
    const db = platform.database.db;
    const workspace = await db.workspace.findFirstOrThrow({ orderBy: { createdAt: 'asc' } });
    await db.gitRepo.create({
      data: {
        id: 'searchrepo01',
        workspaceId: workspace.id,
        name: 'edge-apps',
        url: 'https://example.invalid/edge-apps.git',
      },
    });
    await db.bundle.createMany({
      data: ['edge-web', 'billing', 'edge-api'].map((name, index) => ({
        id: `searchbundle${index}`,
        workspaceId: workspace.id,
        gitRepoId: 'searchrepo01',
        name,
        path: `apps/${['z', 'a', 'm'][index]}`,
      })),
    });

    adminSession = await signIn(platform, platform.adminEmail, platform.adminPassword);
    viewerToken = (await createToken(platform, adminSession, 'viewer')).token;
    // Workspace B, where the same admin has a production cluster of its own.
    otherSession = await signIn(platform, platform.adminEmail, platform.adminPassword, {
      ip: '198.51.100.2',
    });
    const other = await json<{ id: string }>(
      await browser(platform, otherSession, '/workspaces', {
        method: 'POST',
        json: { name: 'search-other' },
      }),
    );
    await json(
      await browser(platform, otherSession, '/auth/workspace', {
        method: 'POST',
        json: { workspaceId: other.id },
      }),
    );
    await json(
      await browser(platform, otherSession, '/clusters', {
        method: 'POST',
        json: {
          name: 'edge-prod-elsewhere',
          labels: { env: 'prod' },
          apiServerUrl: 'https://127.0.0.1:1',
          token: 'unused',
        },
      }),
    );
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('finds clusters by every key=value label given, and nothing else of the fleet', async () => {
    const results = await search('q=env%3Dprod');
    expect(results.map((result) => [result.kind, result.name])).toEqual([
      ['cluster', 'core-db'],
      ['cluster', 'edge-prod-eu'],
      ['cluster', 'edge-prod-us'],
    ]);
    expect(results[1]!.labels).toEqual({ env: 'prod', region: 'eu' });
    const both = await search(`q=${encodeURIComponent('env=prod region=us')}`);
    expect(both.map((result) => result.name)).toEqual(['edge-prod-us']);
    expect(await search('q=env%3Dnowhere')).toEqual([]);
  });

  it('finds clusters, bundles and repositories by part of the name, exact and prefix first', async () => {
    const results = await search('q=EDGE');
    expect(results.map((result) => `${result.kind}:${result.name}`)).toEqual([
      'cluster:edge-dev',
      'cluster:edge-prod-eu',
      'cluster:edge-prod-us',
      'bundle:edge-api',
      'bundle:edge-web',
      'gitrepo:edge-apps',
    ]);
    expect(results.find((result) => result.name === 'edge-web')!.detail).toBe('edge-apps · apps/z');
    // A name that is the whole query comes before longer names that contain it.
    await json(
      await platform.api('/api/v1/clusters', {
        json: { name: 'a-web-mirror', apiServerUrl: 'https://127.0.0.1:1', token: 'unused' },
      }),
    );
    expect((await search('q=web')).map((result) => result.name)).toEqual([
      'web',
      'a-web-mirror',
      'edge-web',
    ]);
    // Words and labels together: every one must match.
    expect(
      (await search(`q=${encodeURIComponent('edge env=prod')}`)).map((result) => result.name),
    ).toEqual(['edge-prod-eu', 'edge-prod-us']);
    expect((await search('q=prod&limit=1')).map((result) => result.name)).toEqual(['edge-prod-eu']);
  });

  it('finds clusters by a word in a label key or value, after the name matches', async () => {
    expect((await search('q=PROD')).map((result) => result.name)).toEqual([
      'edge-prod-eu',
      'edge-prod-us',
      'core-db',
    ]);
    expect((await search('q=staging')).map((result) => result.name)).toEqual(['web']);
    expect((await search('q=tier')).map((result) => result.name)).toEqual(['core-db']);
    // LIKE's wildcards are taken literally.
    expect(await search('q=%25')).toEqual([]);
    expect(await search('q=_')).toEqual([]);
  });

  it('answers within the caller’s workspace, to a viewer as well', async () => {
    const inOther = await json<{ items: SearchResult[] }>(
      await browser(platform, otherSession, '/search?q=env%3Dprod'),
    );
    expect(inOther.items.map((result) => result.name)).toEqual(['edge-prod-elsewhere']);
    const asViewer = await search('q=env%3Dprod', viewerToken);
    expect(asViewer.map((result) => result.name)).toEqual([
      'core-db',
      'edge-prod-eu',
      'edge-prod-us',
    ]);
    const anonymous = await platform.api('/api/v1/search?q=edge', { token: null });
    expect(anonymous.status).toBe(401);
  });

  it.each([
    ['/api/v1/search', 'query.q', /is required/],
    ['/api/v1/search?q=%20%20', 'query.q', /must not be empty/],
    [`/api/v1/search?q=${'x'.repeat(257)}`, 'query.q', /at most 256/],
    ['/api/v1/search?q=edge&limit=0', 'query.limit', /at least 1/],
    ['/api/v1/search?q=a+b+c+d+e+f+g+h+i', 'query.q', /at most 8 words/],
    ['/api/v1/clusters?sort=color', 'query.sort', /must be one of name, -name/],
    [`/api/v1/clusters?q=${'x'.repeat(254)}`, 'query.q', /at most 253/],
    ['/api/v1/bundles?sort=state', 'query.sort', /must be one of name, -name, path, -path/],
    ['/api/v1/gitrepos?sort=url', 'query.sort', /must be one of/],
  ])('refuses %s naming %s', async (pathname, field, message) => {
    const { status, body } = await problem(pathname);
    expect(status).toBe(422);
    const error = body.errors?.find((entry) => entry.path === field);
    expect(error?.message).toMatch(message);
  });

  it('lists clusters by name by default, filtered by name and selector, in either order', async () => {
    expect(await clusterNames('')).toEqual([
      'a-web-mirror',
      'core-db',
      'edge-dev',
      'edge-prod-eu',
      'edge-prod-us',
      'web',
    ]);
    expect(await clusterNames('q=EDGE')).toEqual(['edge-dev', 'edge-prod-eu', 'edge-prod-us']);
    expect(await clusterNames('q=%25')).toEqual([]);
    expect(await clusterNames('q=edge&selector=env%3Dprod&sort=-name')).toEqual([
      'edge-prod-us',
      'edge-prod-eu',
    ]);
  });

  it('keeps the cursor working under every sort: each cluster once, in order', async () => {
    for (const sort of ['name', '-name', 'createdAt', '-connectivity']) {
      const all = await clusterNames(`sort=${sort}`);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await json<{ items: Named[]; nextCursor: string | null }>(
          await platform.api(`/api/v1/clusters?${query}`),
        );
        paged.push(...page.items.map((cluster) => cluster.name));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged, sort).toEqual(all);
      expect(new Set(paged).size).toBe(6);
    }
    expect(await clusterNames('sort=-name')).toEqual([
      'web',
      'edge-prod-us',
      'edge-prod-eu',
      'edge-dev',
      'core-db',
      'a-web-mirror',
    ]);
  });

  it('filters and sorts bundles and repositories', async () => {
    const bundles = async (query: string) =>
      (await json<{ items: Named[] }>(await platform.api(`/api/v1/bundles?${query}`))).items.map(
        (bundle) => bundle.name,
      );
    expect(await bundles('')).toEqual(['billing', 'edge-api', 'edge-web']);
    expect(await bundles('sort=-name')).toEqual(['edge-web', 'edge-api', 'billing']);
    expect(await bundles('sort=path')).toEqual(['billing', 'edge-api', 'edge-web']);
    expect(await bundles('q=EDGE&sort=-path')).toEqual(['edge-web', 'edge-api']);
    const repos = async (query: string) =>
      (await json<{ items: Named[] }>(await platform.api(`/api/v1/gitrepos?${query}`))).items.map(
        (repo) => repo.name,
      );
    expect(await repos('q=apps')).toEqual(['edge-apps']);
    expect(await repos('q=nothing')).toEqual([]);
  });

  it('filters events by text and turns their order round, cursor and all', async () => {
    const db = platform.database.db;
    const workspace = await db.workspace.findFirstOrThrow({ orderBy: { createdAt: 'asc' } });
    await db.event.createMany({
      data: Array.from({ length: 5 }, (_, index) => ({
        id: `searchevent${index}`,
        workspaceId: workspace.id,
        at: new Date(Date.UTC(2026, 0, 1, 0, index)),
        type: 'ClusterConnectivityChanged',
        message: index % 2 === 0 ? `edge link DOWN ${index}` : `edge link up ${index}`,
      })),
    });
    const messages = async (query: string) => {
      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { message: string }[]; nextCursor: string | null } = await json(
          await platform.api(`/api/v1/events?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`),
        );
        all.push(...page.items.map((event) => event.message));
        cursor = page.nextCursor;
      } while (cursor);
      return all;
    };
    expect(await messages('q=link%20down')).toEqual([
      'edge link DOWN 4',
      'edge link DOWN 2',
      'edge link DOWN 0',
    ]);
    expect(await messages('q=edge%20link&sort=at')).toEqual([
      'edge link DOWN 0',
      'edge link up 1',
      'edge link DOWN 2',
      'edge link up 3',
      'edge link DOWN 4',
    ]);
    expect(await messages('q=connectivitychanged')).toHaveLength(5);
    const { status, body } = await problem('/api/v1/events?sort=when');
    expect(status).toBe(422);
    expect(body.errors?.find((entry) => entry.path === 'query.sort')?.message).toBe(
      'must be one of -at, at',
    );
    // Workspace B sees none of A's events, whatever it searches for.
    const inOther = await json<{ items: unknown[] }>(
      await browser(platform, otherSession, '/events?q=edge'),
    );
    expect(inOther.items).toEqual([]);
  });
});
