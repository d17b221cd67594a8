import { createRequire } from 'node:module';
import { startPlatform, type Platform } from '@flotilla/testkit';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { SEED_STATES, seedFleet, type Seeded } from './harness/seed.ts';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

/** WCAG 2.2 A and AA: what axe can check without a person; the rest is for manual review. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const ENVS = ['prod', 'staging', 'dev'];
const REGIONS = ['eu', 'us'];

interface Visit {
  name: string;
  path: string;
  /** The level-1 heading the page settles on (a regex: titles carry object names). */
  heading: RegExp;
}

function pagesOf(seeded: Seeded): Visit[] {
  return [
    { name: 'overview', path: '/', heading: /^Overview$/ },
    { name: 'clusters', path: '/clusters', heading: /^Clusters$/ },
    {
      name: 'cluster detail',
      path: `/clusters/${seeded.clusterIds[0]}`,
      heading: /edge-000/,
    },
    { name: 'cluster groups', path: '/cluster-groups', heading: /^Cluster groups$/ },
    { name: 'sync windows', path: '/sync-windows', heading: /^Sync windows$/ },
    { name: 'git repos', path: '/gitrepos', heading: /^Git repos/ },
    { name: 'git repo detail', path: `/gitrepos/${seeded.gitRepoId}`, heading: /fleet-apps/ },
    { name: 'bundles', path: '/bundles', heading: /^Bundles$/ },
    { name: 'bundle detail', path: `/bundles/${seeded.bundleIds[0]}`, heading: /web/ },
    { name: 'deployment', path: '/deployments/seeddep0x0', heading: /web/ },
    { name: 'pull requests', path: '/pull-requests', heading: /^Pull requests$/ },
    { name: 'pull request', path: '/pull-requests/seedpreview01', heading: /#42 Scale web/ },
    { name: 'events', path: '/events', heading: /^Events$/ },
    { name: 'notifications', path: '/notifications', heading: /^Notifications$/ },
    { name: 'api tokens', path: '/settings/tokens', heading: /^API tokens$/ },
    { name: 'members', path: '/settings/members', heading: /^Members$/ },
    { name: 'audit', path: '/settings/audit', heading: /^Audit/ },
    { name: 'unknown cluster', path: '/clusters/no-such-cluster', heading: /not found/i },
    { name: 'unknown page', path: '/no-such-page', heading: /not found/i },
  ];
}

function describeViolations(where: string, violations: Result[]): string {
  return violations
    .map((violation) => {
      const targets = violation.nodes
        .slice(0, 5)
        .map(
          (node) =>
            `      ${node.target.join(' ')}: ${node.failureSummary?.split('\n')[1]?.trim() ?? ''}`,
        )
        .join('\n');
      const more =
        violation.nodes.length > 5 ? `\n      … and ${violation.nodes.length - 5} more` : '';
      return `${where}: ${violation.id} (${violation.impact ?? 'n/a'}) ${violation.help}\n${targets}${more}`;
    })
    .join('\n');
}

/**
 * Waits until the page has its heading and nothing says it is loading, then for two animation
 * frames so the last render is painted before axe computes colours.
 */
async function settle(page: Page, heading: RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: heading }).first().waitFor();
  await page.waitForFunction(
    () =>
      ![...document.querySelectorAll('[role="status"]')].some((node) =>
        /Loading/.test(node.textContent ?? ''),
      ),
  );
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

async function axeViolations(page: Page): Promise<Result[]> {
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(
    (tags) =>
      (
        window as unknown as {
          axe: { run: (context: unknown, options: unknown) => Promise<AxeResults> };
        }
      ).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  return results.violations;
}

const VARIANTS = [
  { theme: 'light', width: 1440, height: 900 },
  { theme: 'dark', width: 1440, height: 900 },
  { theme: 'light', width: 390, height: 844 },
  { theme: 'dark', width: 390, height: 844 },
] as const;

/**
 * Every page of the dashboard passes axe's WCAG 2.2 A/AA rules in both themes, on a desktop
 * and on a phone, over one seeded fleet: a regression in a shared component shows on every page.
 */
describe('accessibility: axe on every dashboard page, both themes, desktop and phone', () => {
  let platform: Platform;
  let seeded: Seeded;

  beforeAll(async () => {
    // No worker: the seeded clusters are not real and must not be probed.
    platform = await startPlatform({ isWorkerStarted: false });
    seeded = await seedFleet(platform, {
      clusters: Array.from({ length: 12 }, (_, index) => ({
        name: `edge-${String(index).padStart(3, '0')}`,
        labels: { env: ENVS[index % ENVS.length]!, region: REGIONS[index % REGIONS.length]! },
      })),
      bundleNames: ['web', 'api', 'worker', 'cache'],
      stateOf: (cluster, bundle) => SEED_STATES[(cluster * 3 + bundle) % SEED_STATES.length]!,
    });
    // A pull-request preview as a webhook and a render would leave it: one changed object.
    await platform.database.db.pullRequestPreview.create({
      data: {
        id: 'seedpreview01',
        workspaceId: seeded.workspaceId,
        gitRepoId: seeded.gitRepoId,
        number: 42,
        title: 'Scale web to 5',
        headSha: 'b'.repeat(40),
        baseSha: 'a'.repeat(40),
        state: 'Ready',
        conclusion: 'success',
        summary: '1 bundle, 4 clusters, 1 object changed',
        results: [
          {
            bundleId: seeded.bundleIds[0]!,
            bundleName: 'web',
            path: 'apps/web',
            customizations: [
              {
                name: '',
                clusters: ['edge-000', 'edge-001', 'edge-002', 'edge-003'],
                groups: [
                  {
                    clusters: ['edge-000', 'edge-001', 'edge-002', 'edge-003'],
                    changes: [
                      {
                        apiVersion: 'apps/v1',
                        kind: 'Deployment',
                        namespace: 'web',
                        name: 'web',
                        change: 'changed',
                        diff: '-  replicas: 2\n+  replicas: 5\n',
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    });
    await platform.database.db.event.createMany({
      data: [
        {
          workspaceId: seeded.workspaceId,
          type: 'DeploymentStateChanged',
          clusterId: seeded.clusterIds[0]!,
          bundleId: seeded.bundleIds[0]!,
          deploymentId: 'seeddep0x0',
          fromState: 'Pending',
          toState: 'Ready',
          message: 'seeded event',
        },
      ],
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  for (const variant of VARIANTS) {
    it(`has no violations and fits the width in the ${variant.theme} theme at ${variant.width}x${variant.height}`, async () => {
      const label = `a11y-${variant.theme}-${variant.width}`;
      const browser: BrowserSession = await openBrowser(label, {
        colorScheme: variant.theme,
        width: variant.width,
        height: variant.height,
      });
      try {
        browser.shotOnFailure();
        const { page } = browser;
        const failures: string[] = [];
        await page.goto(`${platform.url}/login`);
        await settle(page, /Sign in/);
        failures.push(describeViolations('login', await axeViolations(page)));
        await signIn(browser, platform);
        for (const visit of pagesOf(seeded)) {
          await page.goto(`${platform.url}${visit.path}`);
          try {
            await settle(page, visit.heading);
          } catch (error) {
            failures.push(
              `${visit.name}: did not show its heading ${visit.heading}: ${String(error).split('\n')[0]}`,
            );
            await browser.shot(visit.name);
            continue;
          }
          // Usable at this width: the page itself never scrolls sideways (wide tables scroll
          // inside their own focusable frame or reflow into cards).
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          if (overflow > 0) failures.push(`${visit.name}: the page is ${overflow}px too wide`);
          const violations = await axeViolations(page);
          if (violations.length > 0) {
            failures.push(describeViolations(visit.name, violations));
            await browser.shot(visit.name);
          }
        }
        // The overlays: the global search with results, and (on a phone) the navigation drawer.
        await page.goto(`${platform.url}/clusters`);
        await settle(page, /^Clusters$/);
        await page.locator('body').press('/');
        const search = page.getByRole('dialog', { name: /^Search/ });
        await search.getByRole('combobox').fill('edge');
        await search.getByRole('option').first().waitFor();
        failures.push(describeViolations('search dialog', await axeViolations(page)));
        await page.keyboard.press('Escape');
        const menu = page.getByRole('button', { name: 'Menu', exact: true });
        if (await menu.isVisible()) {
          await menu.click();
          await page.getByRole('navigation', { name: 'Main' }).waitFor();
          failures.push(describeViolations('navigation drawer', await axeViolations(page)));
        }
        const report = failures.filter(Boolean).join('\n');
        expect(report, `axe violations (${variant.theme}, ${variant.width}px):\n${report}`).toBe(
          '',
        );
      } finally {
        await browser.close();
      }
    });
  }
});
