import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@flotilla/testkit';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results/screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export interface BrowserSession {
  page: Page;
  context: BrowserContext;
  /** console.error output and messages of the `error` type, in order. */
  consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** Any alert/confirm/prompt that opened: a journey never expects one (XSS would show here). */
  dialogs: string[];
  /** Saves test-results/screenshots/<test>-<step>.png. */
  shot: (step: string) => Promise<void>;
  /** Call inside a test: a screenshot is saved if that test fails. */
  shotOnFailure: () => void;
  close: () => Promise<void>;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Debian's Chromium through playwright-core, with a fresh profile per session, collecting
 * console errors, page errors and dialogs so a journey can assert the page stayed clean.
 */
export async function openBrowser(
  testName: string,
  {
    colorScheme = 'light',
    width = 1440,
    height = 900,
  }: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {},
): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'flotilla-chromium-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width, height },
    colorScheme,
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const session: BrowserSession = {
    page,
    context,
    consoleErrors: [],
    pageErrors: [],
    dialogs: [],
    shot: async (step) => {
      await page
        .screenshot({
          path: path.join(SCREENSHOT_DIR, `${slug(testName)}-${slug(step)}.png`),
          fullPage: false,
        })
        .catch(() => undefined);
    },
    shotOnFailure: () => onTestFailed((context) => session.shot(`failure-${context.task.name}`)),
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  page.on('console', (message) => {
    if (message.type() === 'error')
      session.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => session.pageErrors.push(`${error.name}: ${error.message}`));
  page.on('dialog', (dialog) => {
    session.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.setDefaultTimeout(20_000);
  return session;
}

/** Signs in through the login form, as a person would, and waits for the overview. */
export async function signIn(
  session: BrowserSession,
  platform: { url: string; adminEmail: string; adminPassword: string },
): Promise<void> {
  const { page } = session;
  await page.goto(`${platform.url}/login`);
  await page.getByLabel('Email', { exact: true }).fill(platform.adminEmail);
  await page.getByLabel('Password', { exact: true }).fill(platform.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${platform.url}/`);
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}

/**
 * Lines of a server log at error level: pino's pretty form (`ERROR (web/...)`), its JSON
 * form (level 50 and above), and Next's own `⨯` error lines.
 */
export function errorLogLines(log: string): string[] {
  return log
    .split('\n')
    .filter(
      (line) =>
        /\b(ERROR|FATAL)\b/.test(line) ||
        /"level":\s*(50|60)\b/.test(line) ||
        /"level":\s*"(error|fatal)"/.test(line) ||
        line.includes('⨯'),
    );
}

/** Marks the current document; `hasReloaded` is true once the page was loaded anew. */
export async function markDocument(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    (window as unknown as { __flotillaSameDocument?: boolean }).__flotillaSameDocument = true;
  });
  return async () =>
    !(await page.evaluate(
      () =>
        (window as unknown as { __flotillaSameDocument?: boolean }).__flotillaSameDocument === true,
    ));
}
