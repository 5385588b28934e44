// playwright-core ships no `expect`; these few waits are all the journeys need, and each
// retries until its timeout like Playwright's web-first assertions do.
import type { Locator, Page } from 'playwright-core';
import type { PageGlobals } from './page-globals.ts';

const timeout = 10_000;

export async function expectVisible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout });
}

export async function expectHidden(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'hidden', timeout });
}

export async function expectCount(locator: Locator, count: number): Promise<void> {
  const deadline = Date.now() + timeout;
  let actual = await locator.count();
  while (actual !== count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    actual = await locator.count();
  }
  if (actual !== count) throw new Error(`expected ${count} of ${locator}, found ${actual}`);
}

export async function expectHtmlLang(page: Page, lang: string): Promise<void> {
  try {
    await page.waitForFunction(
      (expected) => (globalThis as unknown as PageGlobals).document.documentElement.lang === expected,
      lang,
      { timeout },
    );
  } catch {
    const actual = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.lang);
    throw new Error(`expected <html lang="${lang}">, found "${actual}"`);
  }
}

export async function expectPath(page: Page, pathname: string): Promise<void> {
  try {
    await page.waitForURL((url) => url.pathname === pathname, { timeout, waitUntil: 'commit' });
  } catch {
    throw new Error(`expected path ${pathname}, at ${new URL(page.url()).pathname}`);
  }
}

export async function expectTitleContains(page: Page, text: string): Promise<void> {
  try {
    await page.waitForFunction(
      (expected) => (globalThis as unknown as PageGlobals).document.title.includes(expected),
      text,
      { timeout },
    );
  } catch {
    throw new Error(`expected the title to contain "${text}", found "${await page.title()}"`);
  }
}

export async function expectLocalStorage(page: Page, key: string, value: string): Promise<void> {
  const actual = await page.evaluate(
    (name) => (globalThis as unknown as PageGlobals).window.localStorage.getItem(name),
    key,
  );
  if (actual !== value) throw new Error(`expected localStorage ${key}=${value}, found ${actual}`);
}

/** A layout that is wider than the screen means something overflows or overlaps on a phone. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => {
    const { document, window } = globalThis as unknown as PageGlobals;
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth };
  });
  if (scrollWidth > innerWidth) throw new Error(`page is ${scrollWidth}px wide in a ${innerWidth}px viewport`);
}

/** Two elements that must sit side by side without touching, such as the brand and the header tools. */
export async function expectNoOverlap(a: Locator, b: Locator): Promise<void> {
  const [boxA, boxB] = await Promise.all([a.boundingBox(), b.boundingBox()]);
  if (!boxA || !boxB) throw new Error(`cannot measure ${boxA ? b : a}: not rendered`);
  const overlaps =
    boxA.x < boxB.x + boxB.width &&
    boxB.x < boxA.x + boxA.width &&
    boxA.y < boxB.y + boxB.height &&
    boxB.y < boxA.y + boxA.height;
  if (overlaps) throw new Error(`${a} ${JSON.stringify(boxA)} overlaps ${b} ${JSON.stringify(boxB)}`);
}
