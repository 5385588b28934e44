// The approval workspace with the demo organisation's 请假申请 (demo.leave, published at first start): a
// buyer files a leave request from the workspace; the head of purchasing sees it in 待办 with its count and
// approves it on a 390×844 phone in two taps (同意, then the confirmation); the HR director returns it to
// the head's step, who approves again; the HR director rejects it; the buyer finds it in 已发 with its
// history and the flow graph, then switches to English. Along the way the head batch-approves two more
// requests from the pending list and reads a result per request.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { submitLogin } from '../lib/admin.ts';
import { expectHtmlLang, expectNoHorizontalOverflow, expectPath, expectVisible } from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';

type Person = { login: string; password: string; name: string };

/** Demo members by the roles first start wrote beside them in demo-credentials.txt (`buyer`, `head:hr` …). */
function castFromCredentials(): Record<'initiator' | 'head' | 'hr', Person> {
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
  // A buyer's head is the head of purchasing; leave requests then go to the HR director.
  return { initiator: holder('buyer'), head: holder('head:purchasing'), hr: holder('hrDirector') };
}

const TITLE = `年假申请 ${Date.now().toString(36)}`;
const batchTitles = [`${TITLE} 批量一`, `${TITLE} 批量二`];

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

async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'baton_csrf')?.value;
  return csrf ? { 'X-CSRF-Token': decodeURIComponent(csrf) } : {};
}

async function json<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(url);
  if (!response.ok()) throw new Error(`GET ${url}: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

function item(page: Page, title: string): Locator {
  return page.locator('.work-item', { hasText: title });
}

/** Fills an antd date picker: type the date, confirm with Enter. */
async function fillDate(page: Page, id: string, date: string): Promise<void> {
  const input = page.locator(`#${id}`);
  await input.click();
  await input.fill(date);
  await input.press('Enter');
  await expectVisible(page.locator(`#${id}[value="${date}"]`));
}

/** Signs in a demo member on a fresh page (the first page load redirects to /login). */
async function signIn(page: Page, who: Person, next = '/'): Promise<void> {
  await page.goto(next);
  await submitLogin(page, who.login, who.password);
}

/** Counts the clicks a page receives, so a journey can say how many taps something took. */
async function countTaps(page: Page): Promise<() => Promise<number>> {
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

/** The phone's action bar sits in the last rows of the 844 px screen, whatever the page's length. */
async function expectFixedAtBottom(bar: Locator): Promise<void> {
  await expectVisible(bar);
  const box = await bar.boundingBox();
  if (!box || box.y + box.height > 844 || box.y < 844 - 120) {
    throw new Error(`the action bar is not fixed at the bottom of the phone: ${JSON.stringify(box)}`);
  }
}

/** On a phone, from the open request: 同意 in the bottom bar, then the confirmation. Two taps. */
async function approveOnPhone(phone: Page): Promise<void> {
  const bar = phone.locator('.work-action-bar.is-fixed');
  await expectFixedAtBottom(bar);
  const taps = await countTaps(phone);
  await bar.locator('.work-action-approve').click();
  const dialog = phone.locator('.work-dialog-approve');
  await expectVisible(dialog);
  await dialog.locator('.work-dialog-ok').click();
  await expectPath(phone, '/pending');
  const count = await taps();
  if (count > 2) throw new Error(`approving took ${count} taps, expected at most 2`);
}

await journey('approval', async ({ open, step }) => {
  const cast = castFromCredentials();
  const initiator = await open('desktop');
  const phone = await open('phone');
  const hr = await open('desktop');

  await step(initiator, 'initiator-workspace', async () => {
    await signIn(initiator, cast.initiator);
    await expectVisible(initiator.getByRole('heading', { level: 1, name: '工作台' }));
    await expectVisible(initiator.locator('.work-home-tile[data-box="pending"]'));
    await initiator.locator('.work-catalogue-tile', { hasText: '请假申请' }).click();
    await expectPath(initiator, '/work/file/demo/leave');
    await expectVisible(initiator.getByRole('heading', { level: 1, name: '发起：请假申请' }));
  });

  await step(initiator, 'initiator-files', async () => {
    await initiator.locator('#work-title').fill(TITLE);
    await fillDate(initiator, 'f-startDate', '2026-12-10');
    await fillDate(initiator, 'f-endDate', '2026-12-08');
    await initiator.locator('#f-days').fill('3');
    await initiator.locator('#f-reason').fill('回老家探亲，工作已交接');
    // The client checks what the server will: an end before the start is refused before anything is sent.
    await initiator.locator('.work-action-bar .ant-btn-primary').click();
    await expectText(initiator.locator('.form-cell[data-field="endDate"]'), '结束日期不能早于开始日期');
    await fillDate(initiator, 'f-endDate', '2026-12-12');
    await initiator.locator('.work-action-bar .ant-btn-primary').click();
    await expectPath(initiator, '/sent');
    await expectVisible(item(initiator, TITLE));
    await expectText(item(initiator, TITLE), '审批中');
  });

  let headPending = 0;
  await step(phone, 'head-pending-on-phone', async () => {
    await signIn(phone, cast.head, '/pending');
    await expectPath(phone, '/pending');
    await expectVisible(item(phone, TITLE));
    headPending = (await json<{ pending: number }>(phone, '/api/tasks/counts')).pending;
    if (headPending < 1) throw new Error('the head has no pending task');
    const shown = await phone.locator('.work-tab-label[data-box="pending"]').getAttribute('data-count');
    if (shown !== String(headPending)) throw new Error(`待办 shows ${shown}, the server counts ${headPending}`);
    await expectNoHorizontalOverflow(phone);
  });

  await step(phone, 'head-opens-request', async () => {
    await item(phone, TITLE).locator('.work-item-title').click();
    await expectVisible(phone.getByRole('heading', { level: 1, name: TITLE }));
    await expectText(phone.locator('.form-cell[data-field="reason"]'), '回老家探亲');
    await expectVisible(phone.locator('.flow-node.is-current[data-node="head"]'));
    await expectNoHorizontalOverflow(phone);
  });

  let taps: () => Promise<number> = async () => 0;
  await step(phone, 'head-taps-approve', async () => {
    const bar = phone.locator('.work-action-bar.is-fixed');
    await expectFixedAtBottom(bar);
    taps = await countTaps(phone);
    await bar.locator('.work-action-approve').click();
    await expectVisible(phone.locator('.work-dialog-approve'));
  });

  await step(phone, 'head-confirms-second-tap', async () => {
    await phone.locator('.work-dialog-approve .work-dialog-ok').click();
    await expectPath(phone, '/pending');
    const count = await taps();
    if (count > 2) throw new Error(`approving took ${count} taps, expected at most 2`);
    await expectHidden(item(phone, TITLE));
  });

  await step(hr, 'hr-returns-to-head', async () => {
    await signIn(hr, cast.hr, '/pending');
    await item(hr, TITLE).locator('.work-item-title').click();
    await expectVisible(hr.locator('.flow-node.is-current[data-node="hr"]'));
    await expectVisible(hr.locator('.flow-node.is-completed[data-node="head"]'));
    await hr.locator('.work-phrase', { hasText: '请补充材料' }).click();
    await hr.locator('.work-action-bar .work-action-return').click();
    const dialog = hr.locator('.work-dialog-return');
    await expectVisible(dialog);
    await dialog.getByRole('radio', { name: '部门主管审批' }).check();
    await dialog.locator('.work-dialog-ok').click();
    await expectPath(hr, '/pending');
    await expectHidden(item(hr, TITLE));
  });

  await step(phone, 'head-approves-again', async () => {
    await phone.reload();
    await item(phone, TITLE).locator('.work-item-title').click();
    await expectVisible(phone.locator('.flow-node.is-current[data-node="head"]'));
    await approveOnPhone(phone);
  });

  await step(hr, 'hr-rejects', async () => {
    await hr.reload();
    await item(hr, TITLE).locator('.work-item-title').click();
    await hr.locator('#work-opinion').fill('年底项目冲刺，请改期');
    await hr.locator('.work-action-bar .work-action-reject').click();
    const dialog = hr.locator('.work-dialog-reject');
    await expectVisible(dialog);
    await expectText(dialog, '驳回后申请结束');
    await dialog.locator('.work-dialog-ok').click();
    await expectPath(hr, '/pending');
  });

  await step(initiator, 'initiator-sees-history', async () => {
    await initiator.goto('/sent');
    await expectText(item(initiator, TITLE), '已驳回');
    await item(initiator, TITLE).locator('.work-item-title').click();
    const history = initiator.locator('.work-history');
    await expectVisible(history);
    const actions = await history
      .locator('[data-action]')
      .evaluateAll((nodes) => nodes.map((node) => (node as unknown as { dataset: { action: string } }).dataset.action));
    const expected = ['submit', 'approve', 'return', 'approve', 'reject'];
    if (actions.join() !== expected.join()) throw new Error(`history ${actions.join()}, expected ${expected.join()}`);
    await expectText(history, '年底项目冲刺，请改期');
    await expectText(history, cast.hr.name);
    await expectVisible(initiator.locator('.flow-node.is-rejected[data-node="hr"]'));
  });

  await step(initiator, 'initiator-in-english', async () => {
    await initiator.locator('.language-switch').getByText('English', { exact: true }).click();
    await expectHtmlLang(initiator, 'en-US');
    await expectVisible(initiator.getByText('History', { exact: true }));
    await expectText(initiator.locator('.work-history'), 'rejected');
    await expectText(initiator.locator('.work-history'), 'returned');
    await expectVisible(initiator.locator('.ant-tag[data-state="rejected"]', { hasText: 'Rejected' }));
    await expectText(initiator.locator('.flow-node[data-node="hr"]'), 'HR director');
    await initiator.goto('/sent');
    await expectVisible(initiator.getByRole('heading', { level: 1, name: 'Sent' }));
    await expectText(item(initiator, TITLE), 'Rejected');
    // Back to Chinese: the choice is saved on the member and follows him into later journeys' new browsers.
    await initiator.locator('.language-switch').getByText('中文', { exact: true }).click();
    await expectHtmlLang(initiator, 'zh-CN');
  });

  await step(phone, 'head-batch-approves', async () => {
    // Two more requests by the buyer, filed over the API; the head approves both from the list.
    for (const title of batchTitles) {
      const response = await initiator.request.post('/api/flows/demo/leave/instances', {
        headers: await csrfHeaders(initiator),
        data: {
          title,
          values: {
            leaveType: 'personal',
            startDate: '2026-12-21',
            endDate: '2026-12-21',
            days: 1,
            reason: '办理证件',
          },
        },
      });
      if (response.status() !== 201) throw new Error(`filing ${title}: HTTP ${response.status()}`);
    }
    await phone.goto('/pending');
    for (const title of batchTitles) await item(phone, title).locator('.work-item-check').click();
    await phone.locator('.work-batch-approve').click();
    const dialog = phone.locator('.work-batch-dialog');
    await expectVisible(dialog);
    await dialog.locator('.work-batch-ok').click();
    await expectVisible(dialog.locator('.work-batch-results'));
    await expectText(dialog.locator('.ant-modal-title'), '2/2');
    const oks = await dialog.locator('.work-batch-results li.is-ok').count();
    if (oks !== 2) throw new Error(`expected 2 approved, found ${oks}`);
  });

  await step(phone, 'head-batch-done', async () => {
    await phone.locator('.work-batch-done').click();
    for (const title of batchTitles) await expectHidden(item(phone, title));
    await expectNoHorizontalOverflow(phone);
  });
});

async function expectHidden(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'detached', timeout: 10_000 });
}
