// Borrowing a customer archive (CRM, catalog §2.3, F09, P-63): a salesperson of 华北销售部 records a customer; the
// sales director of 华东销售部 cannot open it, files a borrowing request from the workspace picking it by name;
// sales management approves it; the director reads the customer (read only) — and after the period ends
// (the end of its last day, China time) he cannot any more. Time passes by moving the server's clock forward
// (lib/clock.ts: BATON_TEST_CLOCK, only in end-to-end runs), so this journey runs after the others.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { submitLogin } from '../lib/admin.ts';
import { advanceServerClock, untilChinaMidnight } from '../lib/clock.ts';
import { expectHidden, expectPath, expectVisible } from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';

type Person = { login: string; password: string; name: string };

/** Demo members by the roles first start wrote beside them in demo-credentials.txt. */
function castFromCredentials(): Record<'salesperson' | 'director' | 'salesAdmin', Person> {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error('E2E_DATA_DIR is not set (run.mjs sets it)');
  const rows = readFileSync(path.join(dir, 'demo-credentials.txt'), 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split('\t'));
  const holder = (role: string): Person => {
    const row = rows.find((cells) => (cells[3] ?? '').split(',').includes(role));
    const [login, name, password] = row ?? [];
    if (!login || !password || !name) throw new Error(`demo-credentials.txt names no holder of ${role}`);
    return { login, password, name };
  };
  // The first salesperson sits in 华北销售部; the head of 华东销售部 is that team's sales director.
  return { salesperson: holder('salesperson'), director: holder('head:salesEast'), salesAdmin: holder('salesAdmin') };
}

const suffix = Date.now().toString(36);
const COMPANY = `杭州云帆数据科技有限公司 ${suffix}`;
const TITLE = `借阅 ${COMPANY}`;

async function expectText(locator: Locator, text: string | RegExp): Promise<void> {
  const deadline = Date.now() + 10_000;
  let seen = '';
  while (Date.now() < deadline) {
    seen = (await locator.textContent().catch(() => '')) ?? '';
    if (typeof text === 'string' ? seen.includes(text) : text.test(seen)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`expected ${text} in ${locator}, found "${seen}"`);
}

const cell = (page: Page, field: string) => page.locator(`.form-cell[data-field="${field}"]`);
const item = (page: Page, title: string) => page.locator('.work-item', { hasText: title });
const editButton = (page: Page) => page.getByRole('button', { name: /^编\s*辑$/ });

/** Signs in a demo member on a fresh page (the first page load redirects to /login). */
async function signIn(page: Page, who: Person, next = '/'): Promise<void> {
  await page.goto(next);
  await submitLogin(page, who.login, who.password);
}

/** `/records/crm/customerArchive/<id>` → `/api/forms/crm/customerArchive/records/<id>`. */
const apiPath = (recordPath: string) =>
  `/api${recordPath.replace('/records/', '/forms/').replace(/\/([^/]+)$/, '/records/$1')}`;

async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'baton_csrf')?.value;
  return csrf ? { 'X-CSRF-Token': decodeURIComponent(csrf) } : {};
}

/** The record page answers "not found" (404: outside the member's reach, existence not revealed). */
async function expectNotFound(page: Page, recordPath: string): Promise<void> {
  await page.goto(recordPath);
  await expectVisible(page.locator('.ant-result-404'));
  const api = await page.request.get(apiPath(recordPath));
  if (api.status() !== 404) throw new Error(`GET the record as the director: HTTP ${api.status()}, expected 404`);
}

await journey('crm-borrowing', async ({ open, step }) => {
  const cast = castFromCredentials();
  const seller = await open('desktop');
  const director = await open('desktop');
  const admin = await open('desktop');
  let recordPath = '';

  await step(seller, 'salesperson-records-customer', async () => {
    await signIn(seller, cast.salesperson, '/records/crm/customerArchive/new');
    await expectVisible(cell(seller, 'companyName'));
    await seller.locator('#f-companyName').fill(COMPANY);
    await seller.locator('#f-contactName').fill('陈思远');
    await seller.locator('#f-contactPhone').fill('0571-8888****');
    await seller.locator('#f-address').fill('杭州市西湖区文三路 90 号');
    await seller.getByRole('button', { name: /保\s*存/ }).click();
    await seller.waitForURL(
      (url) => /^\/records\/crm\/customerArchive\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'),
    );
    recordPath = new URL(seller.url()).pathname;
    await expectText(cell(seller, 'companyName'), COMPANY);
    // The salesperson's own record: 编辑 is offered.
    await expectVisible(editButton(seller));
  });

  await step(director, 'other-team-director-cannot-open-it', async () => {
    await signIn(director, cast.director, '/');
    await expectNotFound(director, recordPath);
  });

  await step(director, 'director-files-borrowing-request', async () => {
    await director.goto('/work/file/crm/customerArchiveGrant');
    await expectVisible(cell(director, 'customerRef'));
    await director.locator('#work-title').fill(TITLE);
    // The picker lists customers the applicant cannot read otherwise, by name only.
    await director.locator('#f-customerRef').click();
    await director.locator('#f-customerRef').fill(suffix);
    await director
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: COMPANY })
      .click();
    await director.locator('#f-reason').fill('华东客户拟与该公司合作，需了解其合作历史。');
    await director.locator('.work-action-bar .ant-btn-primary').click();
    await expectPath(director, '/sent');
    await expectVisible(item(director, TITLE));
  });

  await step(admin, 'sales-management-approves', async () => {
    await signIn(admin, cast.salesAdmin, '/pending');
    await item(admin, TITLE).locator('.work-item-title').click();
    await expectVisible(admin.getByRole('heading', { level: 1, name: TITLE }));
    await expectText(cell(admin, 'customerRef'), COMPANY);
    await admin.locator('#work-opinion').fill('同意借阅，到期自动收回。');
    await admin.locator('.work-action-bar .work-action-approve').click();
    await expectVisible(admin.locator('.work-dialog-approve'));
    await admin.locator('.work-dialog-approve .work-dialog-ok').click();
    await expectPath(admin, '/pending');
    await expectHidden(item(admin, TITLE));
  });

  await step(director, 'director-reads-the-borrowed-customer', async () => {
    await director.goto(recordPath);
    await expectText(cell(director, 'companyName'), COMPANY);
    await expectText(cell(director, 'contactName'), '陈思远');
    // A read grant: the page offers no 编辑, and a change is refused as if the record were not there.
    const api = apiPath(recordPath);
    const record = (await (await director.request.get(api)).json()) as { version: number };
    const changed = await director.request.patch(api, {
      data: { version: record.version, values: { contactName: '改名' } },
      headers: await csrfHeaders(director),
    });
    if (changed.status() !== 404) throw new Error(`PATCH as the borrower: HTTP ${changed.status()}, expected 404`);
    await expectHidden(editButton(director));
  });

  await step(director, 'access-ends-after-the-period', async () => {
    // The request asked for the default 7 days: the grant ends at the end of the 7th day after today, China
    // time. A minute before that the director still reads it …
    await advanceServerClock(untilChinaMidnight(8, -60_000));
    // … (sessions last 12 hours at most, so he signs in again after the days that passed).
    await signIn(director, cast.director, recordPath);
    await expectText(cell(director, 'companyName'), COMPANY);
    await advanceServerClock(2 * 60_000);
    await expectNotFound(director, recordPath);
  });
});
