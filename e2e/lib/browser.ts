import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import type { PageGlobals } from './page-globals.ts';

export const artifactsRoot = path.resolve(import.meta.dirname, '../artifacts');

/** The two sizes every journey is checked at: a common office laptop and a common phone. */
export const viewports = {
  desktop: { viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
} satisfies Record<string, BrowserContextOptions>;

export type ViewportName = keyof typeof viewports;

const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}. Install it (apt-get install -y chromium fonts-wqy-microhei) ` +
        'or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath, args: chromiumArgs });
}

/** The server under test; run.mjs sets BATON_URL, a journey started by hand may too. */
export function baseUrl(): string {
  return (process.env.BATON_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
}

/** A fresh context (own cookies and localStorage) and page at one of the standard viewports. */
export async function openPage(browser: Browser, viewport: ViewportName): Promise<Page> {
  const context = await browser.newContext({ ...viewports[viewport], baseURL: baseUrl() });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.setDefaultNavigationTimeout(20_000);
  return page;
}

/**
 * Waits for running CSS transitions and animations to finish (drawers sliding in, menus fading),
 * so a screenshot shows the state the step asserted rather than a frame in between. Endless
 * ones, such as a pulsing status dot, are ignored.
 */
export async function settleAnimations(page: Page, timeoutMs = 2_000): Promise<void> {
  await page
    .evaluate((limit) => {
      const { document } = globalThis as unknown as PageGlobals;
      return Promise.race([
        Promise.all(
          document
            .getAnimations()
            .filter((animation) => animation.effect?.getComputedTiming().iterations !== Number.POSITIVE_INFINITY)
            .map((animation) => animation.finished.catch(() => undefined)),
        ),
        new Promise((resolve) => setTimeout(resolve, limit)),
      ]);
    }, timeoutMs)
    .catch(() => undefined);
}

/** Saves e2e/artifacts/<journey>/<step>.png and returns its path. */
export async function screenshot(page: Page, journey: string, step: string): Promise<string> {
  const dir = path.join(artifactsRoot, journey);
  await mkdir(dir, { recursive: true });
  await settleAnimations(page);
  const file = path.join(dir, `${step}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
