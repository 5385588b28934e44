// The request journeys of issue 8 beside approval.journey.ts, on the demo organisation's 请假申请 (demo.leave):
// a buyer half-fills a leave request, switches to English and back without losing a value, and files it; the head
// of purchasing returns it to the buyer, who finds it in 草稿, adds what was asked and resubmits — straight back to
// the head, who approves it on a 390×844 phone in two taps; the head comments on it with a file that the buyer
// downloads; a member with no part in it opens its URL, and a colleague's opportunity record, and is refused both;
// the buyer withdraws another request; the administrator moves a request of a flow they administer to a later
// step (跳转, confirmed and audited); and the head batch-approves twenty requests, one of which the buyer withdrew
// meanwhile, reading a result for each.
import type { Page } from 'playwright-core';
import { signInAsAdmin } from '../lib/admin.ts';
import { expectHtmlLang, expectNoHorizontalOverflow, expectPath, expectVisible } from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';
import {
  approveOnPhone,
  expectGone,
  expectText,
  fillDate,
  getJson,
  holderOf,
  type Person,
  plainMembers,
  samplePdf,
  sendJson,
  signIn,
} from '../lib/people.ts';

const RUN = Date.now().toString(36);
const TITLE = `调休申请 ${RUN}`;
const BATCH = `批量请假 ${RUN}`;

type Item = { instanceId: string; title: string; state: string; currentNodes?: string[] };
type Detail = {
  instance: { instanceId: string; state: string; currentNodes: string[] };
  history: { actions: { action: string; actorId: string; opinion: string | null; attachments: string[] }[] };
  files: { id: string; fileName: string }[];
};

const leave = (title: string, reason = '办理证件') => ({
  title,
  values: { leaveType: 'personal', startDate: '2026-12-21', endDate: '2026-12-21', days: 1, reason },
});

function item(page: Page, title: string) {
  return page.locator('.work-item', { hasText: title });
}

/** Signs in over the API only: the page's context keeps the cookies for its later requests. */
async function apiSignIn(page: Page, who: Person): Promise<void> {
  const response = await page.request.post('/api/auth/login', { data: { login: who.login, password: who.password } });
  if (!response.ok()) throw new Error(`sign-in of ${who.login}: HTTP ${response.status()}`);
}

async function findSent(page: Page, title: string): Promise<Item> {
  const sent = await getJson<{ items: Item[] }>(page, `/api/instances?box=sent&keyword=${encodeURIComponent(title)}`);
  const found = sent.items.find((each) => each.title === title);
  if (!found) throw new Error(`${title} is not among the sent requests`);
  return found;
}

await journey('requests', async ({ open, step }) => {
  const initiator = holderOf('buyer');
  const head = holderOf('head:purchasing');
  const outsider = plainMembers().find((each) => ![initiator.login, head.login].includes(each.login));
  if (!outsider) throw new Error('the demo organisation has no plain member');
  const colleague = plainMembers().find((each) => ![initiator.login, head.login, outsider.login].includes(each.login));
  if (!colleague) throw new Error('the demo organisation has too few plain members');

  const buyer = await open('desktop');
  const desk = await open('desktop');
  const phone = await open('phone');
  let instanceId = '';

  await step(buyer, 'half-filled-form', async () => {
    await signIn(buyer, initiator, '/work/file/demo/leave');
    await expectVisible(buyer.getByRole('heading', { level: 1, name: '发起：请假申请' }));
    await buyer.locator('#work-title').fill(TITLE);
    await fillDate(buyer, 'f-startDate', '2026-12-14');
    await fillDate(buyer, 'f-endDate', '2026-12-15');
    await buyer.locator('#f-days').fill('2');
    await buyer.locator('#f-reason').fill('周末加班调休');
  });

  await step(buyer, 'switch-to-english-keeps-values', async () => {
    await buyer.locator('.language-switch').getByText('English', { exact: true }).click();
    await expectHtmlLang(buyer, 'en-US');
    await expectVisible(buyer.getByRole('heading', { level: 1, name: 'File: Leave request' }));
    await expectText(buyer.locator('.form-cell[data-field="reason"] .form-cell-label'), 'Reason');
    const kept = {
      title: await buyer.locator('#work-title').inputValue(),
      start: await buyer.locator('#f-startDate').inputValue(),
      days: await buyer.locator('#f-days').inputValue(),
      reason: await buyer.locator('#f-reason').inputValue(),
    };
    const expected = { title: TITLE, start: '2026-12-14', days: '2.0', reason: '周末加班调休' };
    if (JSON.stringify(kept) !== JSON.stringify(expected)) {
      throw new Error(`switching language lost values: ${JSON.stringify(kept)}`);
    }
  });

  await step(buyer, 'back-to-chinese-and-file', async () => {
    await buyer.locator('.language-switch').getByText('中文', { exact: true }).click();
    await expectHtmlLang(buyer, 'zh-CN');
    if ((await buyer.locator('#f-reason').inputValue()) !== '周末加班调休') throw new Error('the reason was lost');
    await buyer.locator('.work-action-bar .ant-btn-primary').click();
    await expectPath(buyer, '/sent');
    await expectText(item(buyer, TITLE), '审批中');
    instanceId = (await findSent(buyer, TITLE)).instanceId;
  });

  await step(desk, 'head-returns-to-initiator', async () => {
    await signIn(desk, head, `/work/instances/${instanceId}`);
    await expectVisible(desk.locator('.flow-node.is-current[data-node="head"]'));
    await desk.locator('#work-opinion').fill('请注明工作交接人');
    await desk.locator('.work-action-bar .work-action-return').click();
    const dialog = desk.locator('.work-dialog-return');
    await expectVisible(dialog);
    await dialog.getByRole('radio', { name: '发起人' }).check();
    await dialog.locator('.work-dialog-ok').click();
    await expectPath(desk, '/pending');
  });

  await step(buyer, 'initiator-finds-it-in-drafts', async () => {
    await buyer.goto('/drafts');
    await expectVisible(item(buyer, TITLE));
    await item(buyer, TITLE).locator('.work-item-title').click();
    await expectVisible(buyer.getByRole('heading', { level: 1, name: TITLE }));
    await expectText(buyer.locator('.work-history'), '请注明工作交接人');
    await expectVisible(buyer.locator('.work-action-bar .work-action-submit'));
  });

  await step(buyer, 'initiator-resubmits-straight-back', async () => {
    await buyer.locator('#f-reason').fill('周末加班调休，工作交接给王磊');
    await buyer.locator('.work-action-bar .work-action-submit').click();
    await expectPath(buyer, '/sent');
    await expectText(item(buyer, TITLE), '审批中');
    const detail = await getJson<Detail>(buyer, `/api/instances/${instanceId}`);
    if (detail.instance.currentNodes.join() !== 'head') {
      throw new Error(`resubmitted to ${detail.instance.currentNodes.join()}, expected straight back to head`);
    }
    const actions = detail.history.actions.map((each) => each.action).join();
    if (actions !== 'submit,return,submit') throw new Error(`history ${actions}`);
  });

  await step(phone, 'head-approves-on-phone-in-two-taps', async () => {
    await signIn(phone, head, '/pending');
    await item(phone, TITLE).locator('.work-item-title').click();
    await expectText(phone.locator('.form-cell[data-field="reason"]'), '工作交接给王磊');
    await expectNoHorizontalOverflow(phone);
    await approveOnPhone(phone);
  });

  let fileId = '';
  await step(desk, 'head-comments-with-a-file', async () => {
    await desk.goto(`/work/instances/${instanceId}`);
    await expectVisible(desk.locator('.flow-node.is-current[data-node="hr"]'));
    await desk.locator('.work-action-bar .work-action-comment').click();
    const dialog = desk.locator('.work-dialog-comment');
    await expectVisible(dialog);
    await dialog.locator('#work-comment-text').fill('已与王磊确认交接安排');
    await dialog.locator('.work-comment-files input[type="file"]').setInputFiles({
      name: '交接清单.pdf',
      mimeType: 'application/pdf',
      buffer: samplePdf(`handover ${RUN}`),
    });
    await expectVisible(dialog.locator('.ant-upload-list-item-done'));
    await dialog.locator('.work-dialog-ok').click();
    await expectGone(dialog);
    await expectText(desk.locator('.work-history'), '已与王磊确认交接安排');
    await expectVisible(desk.locator('.work-history-files a', { hasText: '交接清单.pdf' }));
  });

  await step(buyer, 'initiator-reads-the-comment-and-downloads', async () => {
    await buyer.goto(`/work/instances/${instanceId}`);
    const link = buyer.locator('.work-history-files a', { hasText: '交接清单.pdf' });
    await expectVisible(link);
    const href = (await link.getAttribute('href')) ?? '';
    const download = await buyer.request.get(href);
    if (download.status() !== 200 || !(await download.body()).toString('latin1').startsWith('%PDF')) {
      throw new Error(`downloading the comment's file: HTTP ${download.status()}`);
    }
    fileId = href.split('/').pop() ?? '';
  });

  const stranger = await open('desktop');
  await step(stranger, 'outsider-is-refused-the-request', async () => {
    await signIn(stranger, outsider, `/work/instances/${instanceId}`);
    await expectVisible(stranger.locator('.ant-result-404'));
    await expectGone(stranger.locator('.work-history'));
    if ((await stranger.request.get(`/api/instances/${instanceId}`)).status() !== 404) {
      throw new Error('the API served the request to an outsider');
    }
    if ((await stranger.request.get(`/api/attachments/${fileId}`)).status() !== 404) {
      throw new Error('the API served the comment file to an outsider');
    }
  });

  await step(stranger, 'member-is-refused-another-members-record', async () => {
    // Every member may enter opportunities (商机) and reads their own: a colleague's, opened by its URL, is refused
    // although the form itself is open to them.
    const owner = await open('desktop');
    await apiSignIn(owner, colleague);
    const company = `星河测试科技 ${RUN}`;
    const record = await sendJson<{ id: string }>(owner, '/api/forms/crm/opportunity/records', {
      values: { customerName: company, stage: 'lead' },
    });
    if ((await owner.request.get(`/api/forms/crm/opportunity/records/${record.id}`)).status() !== 200) {
      throw new Error('the owner cannot read their own opportunity');
    }
    await owner.close();
    if ((await stranger.request.get('/api/forms/crm/opportunity')).status() !== 200) {
      throw new Error('the form should be open to every member');
    }
    await stranger.goto(`/records/crm/opportunity/${record.id}`);
    await expectVisible(stranger.locator('.ant-result-404'));
    if ((await stranger.getByText(company).count()) > 0) throw new Error('the refused page shows the record');
    const status = (await stranger.request.get(`/api/forms/crm/opportunity/records/${record.id}`)).status();
    if (status !== 404) throw new Error(`the API answered ${status} to another member`);
  });

  await step(buyer, 'initiator-withdraws', async () => {
    const title = `${TITLE} 撤回`;
    await sendJson(buyer, '/api/flows/demo/leave/instances', leave(title));
    const filed = await findSent(buyer, title);
    await buyer.goto(`/work/instances/${filed.instanceId}`);
    await buyer.locator('.work-action-bar .work-action-withdraw').click();
    const confirm = buyer.locator('.ant-modal-confirm');
    await expectText(confirm, '撤回后申请结束');
    await confirm.locator('.ant-btn-dangerous').click();
    await expectPath(buyer, '/sent');
    await expectText(item(buyer, title), '已撤回');
  });

  const admin = await open('desktop');
  await step(admin, 'administrator-jumps-to-a-later-step', async () => {
    const session = await signInAsAdmin(admin);
    const me = session.member.id;
    const l = (zh: string, en: string) => ({ zh, en });
    if ((await admin.request.get('/api/forms/e2e/errand')).status() === 404) {
      await sendJson(admin, '/api/forms', {
        pack: 'e2e',
        key: 'errand',
        kind: 'flow',
        label: l('外出登记（E2E）', 'Errand (E2E)'),
        fields: [{ key: 'place', label: l('地点', 'Place'), type: 'text', required: true }],
      });
    }
    await sendJson(admin, '/api/flows', {
      pack: 'e2e',
      key: 'errand',
      name: l('外出登记（E2E）', 'Errand (E2E)'),
      form: { pack: 'e2e', key: 'errand' },
      administrators: [me],
      nodes: [
        { key: 'start', kind: 'start' },
        {
          key: 'first',
          kind: 'approval',
          name: l('初审', 'First check'),
          assignees: [{ source: 'members', ids: [me] }],
        },
        {
          key: 'second',
          kind: 'approval',
          name: l('复核', 'Second check'),
          assignees: [{ source: 'members', ids: [me] }],
        },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'first' },
        { from: 'first', to: 'second' },
        { from: 'second', to: 'end' },
      ],
    });
    const filed = await sendJson<{ instanceId: string }>(admin, '/api/flows/e2e/errand/instances', {
      title: `外出 ${RUN}`,
      values: { place: '西湖' },
    });
    await admin.goto(`/work/instances/${filed.instanceId}`);
    await expectVisible(admin.locator('.flow-node.is-current[data-node="first"]'));
    await admin.locator('.work-action-bar .work-action-jump').click();
    const dialog = admin.locator('.work-dialog-jump');
    await expectVisible(dialog);
    await dialog.getByRole('radio', { name: '复核' }).check();
    await dialog.locator('.work-dialog-ok').click();
    const confirm = admin.locator('.ant-modal-confirm');
    await expectText(confirm, '确定跳转到「复核」');
    await confirm.locator('.work-jump-confirm').click();
    await expectVisible(admin.locator('.flow-node.is-current[data-node="second"]'));
    await expectVisible(admin.locator('.work-history [data-action="jump"]'));
    const audit = await getJson<{ items: { action: string; target: { id: string | null } | null }[] }>(
      admin,
      '/api/audit?action=flow.instance.jump&limit=5',
    );
    if (!audit.items.some((entry) => entry.target?.id === filed.instanceId)) {
      throw new Error('the jump is not in the audit log');
    }
  });

  await step(desk, 'head-selects-twenty', async () => {
    for (let i = 1; i <= 20; i += 1) {
      await sendJson(buyer, '/api/flows/demo/leave/instances', leave(`${BATCH} #${String(i).padStart(2, '0')}`));
    }
    await desk.goto('/pending');
    await desk.locator('.work-search input').fill(BATCH);
    await desk.locator('.work-search input').press('Enter');
    const items = desk.locator('.work-item', { hasText: BATCH });
    const deadline = Date.now() + 10_000;
    while ((await items.count()) !== 20 && Date.now() < deadline) await desk.waitForTimeout(100);
    if ((await items.count()) !== 20) throw new Error(`found ${await items.count()} of the 20 requests`);
    await desk.locator('.work-select-all').click();
    await expectText(desk.locator('.work-batch-approve'), '20');
    await desk.locator('.work-batch-approve').click();
    await expectVisible(desk.locator('.work-batch-dialog'));
  });

  await step(desk, 'batch-result-per-request', async () => {
    // While the head reads the list, the buyer takes one of them back: that one cannot be approved.
    const gone = await findSent(buyer, `${BATCH} #07`);
    await sendJson(buyer, `/api/instances/${gone.instanceId}/withdraw`, {});
    const dialog = desk.locator('.work-batch-dialog');
    await dialog.locator('.work-batch-ok').click();
    await expectVisible(dialog.locator('.work-batch-results'));
    await expectText(dialog.locator('.ant-modal-title'), '19/20');
    const oks = await dialog.locator('.work-batch-results li.is-ok').count();
    const failed = dialog.locator('.work-batch-results li.is-failed');
    if (oks !== 19 || (await failed.count()) !== 1) throw new Error(`${oks} approved, ${await failed.count()} failed`);
    await expectText(failed, `${BATCH} #07`);
  });

  await step(desk, 'batch-done', async () => {
    await desk.locator('.work-batch-done').click();
    await expectGone(desk.locator('.work-item', { hasText: BATCH }));
    const sent = await getJson<{ items: Item[] }>(
      buyer,
      `/api/instances?box=sent&keyword=${encodeURIComponent(BATCH)}&limit=50`,
    );
    const states = sent.items.map((each) => each.state);
    if (states.length !== 20 || states.filter((s) => s === 'withdrawn').length !== 1) {
      throw new Error(`after the batch: ${states.join()}`);
    }
  });
});
