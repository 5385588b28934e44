import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { artifactsRoot, launchBrowser, openPage, screenshot, type ViewportName } from './browser.ts';

export type JourneyContext = {
  browser: Browser;
  /** Opens a fresh page at a viewport; uncaught errors in it fail the journey. */
  open(viewport: ViewportName): Promise<Page>;
  /**
   * Runs one step and keeps a screenshot of `page` afterwards, named `<nn>-<name>.png`.
   * The first failing step ends the journey: later steps build on earlier ones.
   */
  step(page: Page, name: string, body: () => Promise<void>): Promise<void>;
};

class StepFailed extends Error {}

/**
 * Runs a journey script: launches Chromium, runs the body, closes everything and sets the
 * exit code. One journey file calls this once; run.mjs starts each file as its own process.
 */
export async function journey(name: string, body: (context: JourneyContext) => Promise<void>): Promise<void> {
  const started = Date.now();
  await rm(path.join(artifactsRoot, name), { recursive: true, force: true });
  const pageErrors: string[] = [];
  let stepNumber = 0;
  let browser: Browser | undefined;
  console.log(`journey ${name}`);
  try {
    browser = await launchBrowser();
    const launched = browser;
    const context: JourneyContext = {
      browser: launched,
      async open(viewport) {
        const page = await openPage(launched, viewport);
        page.on('pageerror', (error) => pageErrors.push(`[${viewport}] ${error.stack ?? error.message}`));
        return page;
      },
      async step(page, stepName, stepBody) {
        stepNumber += 1;
        const label = `${String(stepNumber).padStart(2, '0')}-${stepName}`;
        const stepStarted = Date.now();
        try {
          await stepBody();
        } catch (error) {
          const shot = await screenshot(page, name, `${label}-failed`).catch(() => undefined);
          console.log(`  ✗ ${label} (${Date.now() - stepStarted} ms)`);
          console.log(indent(error instanceof Error ? (error.stack ?? error.message) : String(error)));
          if (shot) console.log(`    screenshot: ${path.relative(process.cwd(), shot)}`);
          throw new StepFailed(label);
        }
        await screenshot(page, name, label);
        console.log(`  ✓ ${label} (${Date.now() - stepStarted} ms)`);
      },
    };
    await body(context);
    if (pageErrors.length > 0) {
      throw new Error(`uncaught errors in the page:\n${pageErrors.join('\n')}`);
    }
    console.log(`journey ${name} passed in ${Date.now() - started} ms`);
  } catch (error) {
    if (!(error instanceof StepFailed)) {
      console.log(indent(error instanceof Error ? (error.stack ?? error.message) : String(error)));
    }
    console.log(`journey ${name} FAILED`);
    process.exitCode = 1;
  } finally {
    await browser?.close().catch(() => undefined);
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
