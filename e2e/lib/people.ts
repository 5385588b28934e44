// Demo members by role, signing them in, and the few API calls journeys make beside the browser (filing in bulk,
// reading what the server says a page must show).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIResponse, Locator, Page } from 'playwright-core';
import { submitLogin } from './admin.ts';
import { expectPath, expectVisible } from './expect.ts';

export type Person = { login: string; password: string; name: string };

type Row = { login: string; name: string; password: string; roles: string[] };

let rows: Row[] | undefined;

function credentials(): Row[] {
  if (rows) return rows;
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error('E2E_DATA_DIR is not set (run.mjs sets it)');
  rows = readFileSync(path.join(dir, 'demo-credentials.txt'), 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [login = '', name = '', password = '', roles = ''] = line.split('\t');
      return { login, name, password, roles: roles ? roles.split(',') : [] };
    });
  return rows;
}

/** The demo member first start wrote beside `role` in demo-credentials.txt (`buyer`, `head:purchasing` …). */
export function holderOf(role: string): Person {
  const row = credentials().find((each) => each.roles.includes(role));
  if (!row) throw new Error(`demo-credentials.txt names no holder of ${role}`);
  return { login: row.login, password: row.password, name: row.name };
}

/** The demo member with this login. */
export function memberByLogin(login: string): Person {
  const row = credentials().find((each) => each.login === login);
  if (!row) throw new Error(`demo-credentials.txt has no ${login}`);
  return { login: row.login, password: row.password, name: row.name };
}

/** Demo members the file names with no role: ordinary employees. */
export function plainMembers(): Person[] {
  return credentials()
    .filter((each) => each.roles.length === 0)
    .map(({ login, password, name }) => ({ login, password, name }));
}

/** Signs a member in on a fresh page (the first load of a protected page redirects to /login). */
export async function signIn(page: Page, who: Person, next = '/'): Promise<void> {
  await page.goto(next);
  await submitLogin(page, who.login, who.password);
}

export async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'baton_csrf')?.value;
  return csrf ? { 'X-CSRF-Token': decodeURIComponent(csrf) } : {};
}

async function ok<T>(response: APIResponse, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok()) throw new Error(`${what}: HTTP ${response.status()} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** GET with the page's session. */
export async function getJson<T>(page: Page, url: string): Promise<T> {
  return ok<T>(await page.request.get(url), `GET ${url}`);
}

/** POST (or PUT) JSON with the page's session and CSRF token. */
export async function sendJson<T>(page: Page, url: string, data: unknown, method: 'POST' | 'PUT' = 'POST'): Promise<T> {
  const headers = await csrfHeaders(page);
  const response =
    method === 'POST'
      ? await page.request.post(url, { data, headers })
      : await page.request.put(url, { data, headers });
  return ok<T>(response, `${method} ${url}`);
}

/** Waits until the locator's text contains `text`. */
export async function expectText(locator: Locator, text: string | RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  while (Date.now() < deadline) {
    seen = (await locator.textContent().catch(() => '')) ?? '';
    if (typeof text === 'string' ? seen.includes(text) : text.test(seen)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`expected ${text} in ${locator}, found "${seen}"`);
}

/** Waits until an element is gone. */
export async function expectGone(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'detached', timeout: 10_000 });
}

/** Counts the clicks a page receives from now on, so a journey can say how many taps something took. */
export async function countTaps(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      __taps?: number;
      document: { addEventListener(type: string, listener: () => void, capture: boolean): void };
    };
    g.__taps = 0;
    g.document.addEventListener(
      'click',
      () => {
        g.__taps = (g.__taps ?? 0) + 1;
      },
      true,
    );
  });
  return () => page.evaluate(() => (globalThis as unknown as { __taps?: number }).__taps ?? 0);
}

/**
 * On a phone, from the open request: 同意 in the bar fixed at the bottom, then the confirmation — at most two
 * taps — and back on 待办.
 */
export async function approveOnPhone(phone: Page): Promise<void> {
  const bar = phone.locator('.work-action-bar.is-fixed');
  await expectVisible(bar);
  const box = await bar.boundingBox();
  if (!box || box.y + box.height > 844 || box.y < 844 - 120) {
    throw new Error(`the action bar is not fixed at the bottom of the phone: ${JSON.stringify(box)}`);
  }
  const taps = await countTaps(phone);
  await bar.locator('.work-action-approve').click();
  const dialog = phone.locator('.work-dialog-approve');
  await expectVisible(dialog);
  await dialog.locator('.work-dialog-ok').click();
  await expectPath(phone, '/pending');
  const count = await taps();
  if (count > 2) throw new Error(`approving took ${count} taps, expected at most 2`);
}

/** Fills an antd date picker: type the date, confirm with Enter. */
export async function fillDate(page: Page, id: string, date: string): Promise<void> {
  const input = page.locator(`#${id}`);
  await input.click();
  await input.fill(date);
  await input.press('Enter');
  await expectVisible(page.locator(`#${id}[value="${date}"]`));
}

/** A one-page PDF the server's content sniffing accepts. */
export function samplePdf(note: string): Buffer {
  return Buffer.from(`%PDF-1.7\n% ${note}\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
}
