// Notices and the live unread badge: a demo member signed in on a phone watches the bell while the
// administrator, on a desktop, files requests the member must approve. The count rises without a reload
// (server-sent events), opening a notice marks it read and leads to the request, and "mark all read"
// clears the badge. The administrator then finds the dead-letter page in 管理.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIResponse, Page } from 'playwright-core';
import { signInAsAdmin, submitLogin } from '../lib/admin.ts';
import { expectVisible } from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';
import type { PageGlobals } from '../lib/page-globals.ts';

const PACK = 'e2eNotice';
const KEY = 'leave';
const label = (zh: string, en: string) => ({ zh, en });

async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'baton_csrf')?.value;
  return csrf ? { 'X-CSRF-Token': decodeURIComponent(csrf) } : {};
}

async function ok(response: APIResponse, what: string): Promise<Record<string, unknown>> {
  if (!response.ok()) throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** A demo member other than admin, with the password first start generated (demo-credentials.txt). */
function demoMember(): { login: string; password: string } {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error('E2E_DATA_DIR is not set (run.mjs sets it)');
  const lines = readFileSync(path.join(dir, 'demo-credentials.txt'), 'utf8').split('\n');
  const row = lines.find((line) => line && !line.startsWith('#') && !line.startsWith('admin\t'));
  const [login, , password] = row?.split('\t') ?? [];
  if (!login || !password) throw new Error('demo-credentials.txt lists no member');
  return { login, password };
}

/** The bell's count as the page shows it (0 when the badge is hidden). */
async function bellCount(page: Page): Promise<number> {
  const value = await page.locator('.message-bell').getAttribute('data-unread');
  return value ? Number(value) : 0;
}

async function waitForBell(page: Page, expected: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const bell = (globalThis as unknown as PageGlobals).document.querySelector('.message-bell');
      return Number(bell?.getAttribute('data-unread') || 0) === n;
    },
    expected,
    { timeout: 15_000 },
  );
}

await journey('messages', async ({ open, step }) => {
  const desktop = await open('desktop');
  const phone = await open('phone');
  const member = demoMember();
  let memberId = '';
  let before = 0;

  await step(desktop, 'publish-flow-for-member', async () => {
    await signInAsAdmin(desktop);
    const found = await ok(
      await desktop.request.get(`/api/org/members?search=${encodeURIComponent(member.login)}&limit=5`),
      'find member',
    );
    const match = (found.items as Array<{ id: string; login: string }>).find((m) => m.login === member.login);
    if (!match) throw new Error(`demo member ${member.login} not found`);
    memberId = match.id;
    if ((await desktop.request.get(`/api/forms/${PACK}/${KEY}`)).status() === 404) {
      await ok(
        await desktop.request.post('/api/forms', {
          headers: await csrfHeaders(desktop),
          data: {
            pack: PACK,
            key: KEY,
            kind: 'flow',
            label: label('调休申请', 'Time-off request'),
            fields: [{ key: 'reason', label: label('事由', 'Reason'), type: 'text', required: true }],
          },
        }),
        'publish form',
      );
    }
    await ok(
      await desktop.request.post('/api/flows', {
        headers: await csrfHeaders(desktop),
        data: {
          pack: PACK,
          key: KEY,
          name: label('调休审批', 'Time-off approval'),
          form: { pack: PACK, key: KEY },
          nodes: [
            { key: 'start', kind: 'start' },
            { key: 'approve', kind: 'approval', assignees: [{ source: 'members', ids: [memberId] }] },
            { key: 'end', kind: 'end' },
          ],
          edges: [
            { from: 'start', to: 'approve' },
            { from: 'approve', to: 'end' },
          ],
        },
      }),
      'publish flow',
    );
  });

  await step(phone, 'member-sees-the-bell', async () => {
    await phone.goto('/');
    await submitLogin(phone, member.login, member.password);
    await expectVisible(phone.locator('.message-bell'));
    // The first event of the stream carries the count; wait until the badge has it.
    await phone.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelector('.message-bell')?.getAttribute('data-unread') !==
        '',
      undefined,
      { timeout: 15_000 },
    );
    before = await bellCount(phone);
  });

  await step(phone, 'count-rises-live', async () => {
    for (const reason of ['家中有事', '<b>调休</b> 一天']) {
      await ok(
        await desktop.request.post(`/api/flows/${PACK}/${KEY}/instances`, {
          headers: await csrfHeaders(desktop),
          data: { values: { reason } },
        }),
        'file request',
      );
    }
    // The worker turns each new task into a notice; the server pushes the count without a reload.
    await waitForBell(phone, before + 2);
  });

  await step(phone, 'open-a-notice', async () => {
    await phone.locator('.message-bell').click();
    await phone.waitForURL((url) => url.pathname === '/messages');
    const first = phone.locator('.message-item.message-unread').first();
    await expectVisible(first);
    await first.click();
    await phone.waitForURL((url) => url.pathname.startsWith('/work/instances/'));
    await waitForBell(phone, before + 1);
  });

  await step(phone, 'mark-all-read', async () => {
    await phone.goto('/messages');
    await phone.locator('.messages-toolbar button', { hasText: /全部标为已读|Mark all read/ }).click();
    await waitForBell(phone, 0);
    if ((await phone.locator('.message-item.message-unread').count()) !== 0) {
      throw new Error('unread notices remain after marking all read');
    }
    if (await phone.locator('.message-item b').count()) throw new Error('markup in a notice became live');
  });

  await step(desktop, 'dead-letter-page', async () => {
    await desktop.goto('/admin/dead-letters');
    await expectVisible(desktop.locator('h1', { hasText: /投递失败|Failed deliveries/ }));
    await expectVisible(desktop.locator('.ant-table'));
  });
});
