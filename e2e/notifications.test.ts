import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Platform } from '@flotilla/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLogLines, openBrowser, signIn, type BrowserSession } from './harness/browser.ts';
import { apiJson, startFastPlatform } from './harness/platform.ts';

const SECRET = 'journey-signing-secret-0123456789';

/**
 * Issue 13, notifications in the dashboard: a rule made in the form (events, a selector, a
 * webhook with a write-only secret), "Send test" to a receiver that answers 500 first, and the
 * delivery log showing the failed attempt and the retry that got through.
 */
describe('notifications: a rule, a test message, the delivery log', () => {
  let platform: Platform;
  let browser: BrowserSession;
  let receiver: Server;
  let receiverUrl: string;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
        // The first message fails: the worker sends it again.
        response.writeHead(received.length === 1 ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    platform = await startFastPlatform();
    browser = await openBrowser('notifications');
    await signIn(browser, platform);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('creates a rule, sends a test, and shows both attempts in the delivery log', async () => {
    browser.shotOnFailure();
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Notifications' })
      .click();
    await page.getByRole('heading', { name: 'No notification rules' }).waitFor();
    await page.getByRole('button', { name: 'New rule' }).first().click();
    const form = page.getByRole('form', { name: 'New notification rule' });
    await form.getByLabel('Name', { exact: true }).fill('on-call');
    await form.getByLabel('A deployment enters Modified (drift)').check();
    await form.getByLabel('Only on clusters matching a selector').check();
    await form.getByLabel('Match label 1 key').fill('env');
    await form.getByLabel('Match label 1 value').fill('prod');
    await form.getByLabel('URL', { exact: true }).fill(`${receiverUrl}/hooks/on-call`);
    // A bad secret first: the form names the field.
    await form.getByLabel('Signing secret').fill('short');
    await form.getByRole('button', { name: 'Create rule' }).click();
    await form.getByText('must be at least 16 characters').waitFor();
    await browser.shot('rule-refused');
    await form.getByLabel('Signing secret').fill(SECRET);
    await form.getByRole('button', { name: 'Create rule' }).click();

    const row = page
      .getByRole('table', { name: 'Notification rules' })
      .getByRole('row')
      .filter({ hasText: 'on-call' });
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    expect(rowText).toContain('env=prod');
    expect(rowText).toContain('A deployment enters Modified');
    expect(rowText).toContain(receiverUrl);
    expect(rowText).toContain('signed');
    // Write-only: neither the secret nor the URL's path comes back.
    const pageText = (await page.textContent('body')) ?? '';
    expect(pageText).not.toContain(SECRET);
    expect(pageText).not.toContain('/hooks/on-call');
    await browser.shot('rule-created');

    await row.getByRole('button', { name: 'Send test to on-call' }).click();
    const log = page.getByRole('table', { name: 'Deliveries of on-call' });
    await log.getByTestId('delivery-row').filter({ hasText: 'delivered' }).waitFor({
      timeout: 60_000,
    });
    const attempts = await log.getByTestId('delivery-attempt').allTextContents();
    expect(attempts.map((text) => text.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      '#1 HTTP 500',
      '#2 HTTP 200',
    ]);
    await expect(log.textContent()).resolves.toContain(
      'Bundle example on example-cluster entered ErrApplied',
    );
    await browser.shot('delivery-log');

    // What arrived is signed with the secret typed in the form.
    expect(received).toHaveLength(2);
    const [, delivered] = received;
    const timestamp = delivered!.headers['x-flotilla-timestamp'] as string;
    expect(delivered!.headers['x-flotilla-signature-256']).toBe(
      `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${delivered!.body}`).digest('hex')}`,
    );

    // Editing keeps the stored URL and secret when those fields stay empty.
    await row.getByRole('button', { name: 'Edit on-call' }).click();
    const edit = page.getByRole('form', { name: 'Edit on-call' });
    await edit.getByLabel('Window (seconds)').fill('30');
    await edit.getByRole('button', { name: 'Save rule' }).click();
    await row.filter({ hasText: '30 s' }).waitFor();
    const [rule] = (
      await apiJson<{ items: { destination: { urlHint: string; hasSecret: boolean } }[] }>(
        platform,
        '/api/v1/notifications/rules',
      )
    ).items;
    expect(rule!.destination).toEqual({ kind: 'webhook', urlHint: receiverUrl, hasSecret: true });
    await browser.shot('rule-edited');

    await row.getByRole('button', { name: 'Delete on-call' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete rule' }).click();
    await page.getByRole('heading', { name: 'No notification rules' }).waitFor();
    expect(errorLogLines(platform.webLog())).toEqual([]);
  });
});
