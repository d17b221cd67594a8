import { startPlatform, type Platform } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signIn, type BrowserSession } from './harness/browser.ts';

/**
 * Access management in the browser (API tokens shown once, members, the audit trail), and the
 * live-updates indicator when the stream drops and comes back.
 */
describe('settings: tokens, members, audit, live status', () => {
  let platform: Platform;
  let browser: BrowserSession;
  let secret = '';

  beforeAll(async () => {
    platform = await startPlatform({ isWorkerStarted: false });
    browser = await openBrowser('settings');
    await signIn(browser, platform);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('creates an API token, shows its secret once, and revokes it', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'API tokens' })
      .click();
    const form = page.getByRole('form', { name: 'Create an API token' });
    await form.getByLabel('Name', { exact: true }).fill('ci-deployer');
    await form.getByLabel('Role', { exact: true }).selectOption('operator');
    await form.getByRole('button', { name: 'Create token' }).click();
    await page.getByText(/it is shown only once/).waitFor();
    secret = (await page.getByTestId('new-token').textContent()) ?? '';
    expect(secret).toMatch(/^flt_/);
    await page.getByRole('button', { name: 'Copy token' }).waitFor();
    await browser.shot('token-created');
    // The secret works against the API, with the role it was given.
    const asToken = await platform.api('/api/v1/clusters', { token: secret });
    expect(asToken.status).toBe(200);

    const row = page
      .getByRole('table', { name: 'API tokens' })
      .getByRole('row')
      .filter({ hasText: 'ci-deployer' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(secret.slice(0, 12));
    await expect(row.textContent()).resolves.not.toContain(secret);
    await row.getByRole('button', { name: /Revoke/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await expect
      .poll(async () => (await platform.api('/api/v1/clusters', { token: secret })).status)
      .toBe(401);
    await browser.shot('token-revoked');
  });

  it('adds a member and changes their role', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Members' })
      .click();
    const form = page.getByRole('form', { name: 'Add a member' });
    await form.getByLabel('Email', { exact: true }).fill('ops@flotilla.test');
    await form.getByLabel('Role', { exact: true }).selectOption('viewer');
    await form.getByLabel('First password', { exact: true }).fill('a-long-enough-password');
    await form.getByRole('button', { name: 'Add member' }).click();
    const role = page.getByLabel('Role of ops@flotilla.test', { exact: true });
    await role.waitFor();
    await expect(role.inputValue()).resolves.toBe('viewer');
    await role.selectOption('operator');
    // A role change asks first, saying what changes.
    const confirm = page.getByRole('dialog', { name: 'Make ops@flotilla.test an operator?' });
    await confirm
      .getByText('From a viewer (reads everything) to an operator (changes the fleet), at once.')
      .waitFor();
    await browser.shot('role-confirm');
    await confirm.getByRole('button', { name: 'Change role' }).click();
    await expect
      .poll(async () => {
        const members = (await (await platform.api('/api/v1/members')).json()) as {
          items: { email: string; role: string }[];
        };
        return members.items.find((member) => member.email === 'ops@flotilla.test')?.role;
      })
      .toBe('operator');
    await browser.shot('members');
  });

  it('lists what was done in the audit trail', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Audit' })
      .click();
    const table = page.getByRole('table', { name: 'Audit trail' });
    await table.getByText('token.create').first().waitFor();
    await table.getByText('member.create').first().waitFor();
    // Names and words, not JSON: the role change names the member and reads from → to.
    const roleChange = table.getByTestId('audit-row').filter({ hasText: 'member.update' });
    await roleChange.getByRole('link', { name: 'ops@flotilla.test' }).waitFor();
    await roleChange.getByText('viewer → operator').waitFor();
    await expect(roleChange.textContent()).resolves.not.toContain('{');
    await page.getByLabel('Action', { exact: true }).fill('token.revoke');
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await browser.shot('audit');
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    await browser.shot('audit-dark');
    await page.getByRole('button', { name: /Switch to light theme/ }).click();
  });

  it('hides what a viewer may not do', async () => {
    const password = 'viewer-password-long-enough';
    const added = await platform.api('/api/v1/members', {
      json: { email: 'view@flotilla.test', role: 'viewer', password },
    });
    expect(added.status).toBe(201);
    const viewer = await openBrowser('settings-viewer');
    try {
      viewer.shotOnFailure();
      await signIn(viewer, {
        url: platform.url,
        adminEmail: 'view@flotilla.test',
        adminPassword: password,
      });
      const { page } = viewer;
      await page.getByRole('heading', { name: 'Your fleet is empty' }).waitFor();
      await expect(page.getByRole('link', { name: 'Register a cluster' }).count()).resolves.toBe(0);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Clusters' })
        .click();
      await page.getByRole('heading', { name: 'No clusters yet' }).waitFor();
      await expect(page.getByRole('button', { name: 'Register a cluster' }).count()).resolves.toBe(
        0,
      );
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'API tokens' })
        .click();
      await page.getByText(/Only admins of this workspace/).waitFor();
      await expect(page.getByRole('form', { name: 'Create an API token' }).count()).resolves.toBe(
        0,
      );
      await viewer.shot('viewer-tokens');
      expect(viewer.consoleErrors).toEqual([]);
    } finally {
      await viewer.close();
    }
  });

  it('kept the page free of errors so far', () => {
    expect(browser.consoleErrors).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });

  it('says when live updates are down and reconnects by itself', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    const status = page.getByTestId('live-status');
    await expect.poll(() => status.textContent()).toContain('Live');
    // Restarting the web server drops the event stream; the page must say so, then recover.
    const restart = platform.restartWeb();
    await expect
      .poll(() => status.textContent(), { timeout: 30_000 })
      .toContain('Live updates disconnected — retrying');
    await browser.shot('live-down');
    await restart;
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe('● Live');
    await browser.shot('live-back');
  });
});
