// Issue 9's meeting-room app, built in the browser without code. The administrator designs the booking form (a room
// select, a date-time range, attendees) and its archive, gives the head of 行政部 a role 行政负责人, draws the flow
// (more than 20 attendees → that role, otherwise → the initiator's head), lets everyone file it (全体员工), writes the
// rule that copies approved bookings into the archive (the server's check names a bad expression on its mapping
// row first) and the report of bookings per room per week (previewed on live data), publishing each. A buyer files
// two bookings: the large one reaches the administration head, who approves it; the archive then holds the booking
// and the report counts it. Round trip: the app is exported from 应用包, imported into a second platform on a fresh
// database, the role is given to that organisation's head of 行政部, and a booking is filed and approved again there.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { signInAsAdmin, submitLogin } from '../lib/admin.ts';
import { expectCount, expectHidden, expectNoHorizontalOverflow, expectPath, expectVisible } from '../lib/expect.ts';
import { type FreshServer, startFreshServer } from '../lib/fresh-server.ts';
import { journey } from '../lib/journey.ts';

type Person = { login: string; password: string; name: string };

type Cast = Record<'initiator' | 'adminHead' | 'head', Person>;

function castFromCredentials(): Cast {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error('E2E_DATA_DIR is not set (run.mjs sets it)');
  return castOf(
    readFileSync(path.join(dir, 'demo-credentials.txt'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split('\t')),
  );
}

function castOf(rows: string[][]): Cast {
  const holder = (role: string): Person => {
    const row = rows.find((cells) => (cells[3] ?? '').split(',').includes(role));
    const [login, name, password] = row ?? [];
    if (!login || !password || !name) throw new Error(`demo-credentials.txt names no holder of ${role}`);
    return { login, password, name };
  };
  // 行政部 is the demo organisation's department `admin`: its head is the administration head.
  return { initiator: holder('buyer'), adminHead: holder('head:admin'), head: holder('head:purchasing') };
}

// A pack of its own per run, so the journey also passes against a server where an earlier run left its app.
const PACK = `meeting${Date.now().toString(36)}`;
const ROLE = `adminHead${Date.now().toString(36)}`;
const BIG = `大会议 ${Date.now().toString(36)}`;
const SMALL = `小组会 ${Date.now().toString(36)}`;
const ROOMS = [
  ['一号会议室', 'Room 1', 'r1'],
  ['二号会议室', 'Room 2', 'r2'],
  ['三号会议室', 'Room 3', 'r3'],
] as const;

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

async function json<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(url);
  if (!response.ok()) throw new Error(`GET ${url}: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Picks `option` in the antd select `select`; long lists are virtual, so a searchable one is searched first. */
async function pick(page: Page, select: Locator, option: string | RegExp, search?: string): Promise<void> {
  await select.click();
  if (search) await page.keyboard.type(search);
  // A dropdown opened for the first time is appended last; one still closing from the previous pick is earlier.
  const dropdown = page.locator('.ant-select-dropdown:visible').last();
  await dropdown.locator('.ant-select-item-option', { hasText: option }).first().click();
}

// ---- the form designer ----------------------------------------------------------------------------------

const item = (page: Page, key: string) => page.locator(`.designer-item[data-key="${key}"]`);

async function nameField(page: Page, zh: string, en: string, key: string): Promise<void> {
  await page.locator('#prop-label-zh').fill(zh);
  await page.locator('#prop-label-en').fill(en);
  await page.locator('#prop-key').fill(key);
  await expectVisible(item(page, key));
}

async function addField(page: Page, type: string, zh: string, en: string, key: string): Promise<void> {
  await page.locator(`.designer-palette-item[data-type="${type}"]`).click();
  await nameField(page, zh, en, key);
}

async function roomSelect(page: Page): Promise<void> {
  await addField(page, 'select', '会议室', 'Room', 'room');
  await page.locator('#prop-required').click();
  await page.getByRole('button', { name: '添加选项' }).click();
  for (const [index, [zh, en, code]] of ROOMS.entries()) {
    await page.getByLabel(`选项 ${index + 1} 中文`).fill(zh);
    await page.getByLabel(`选项 ${index + 1} 英文`).fill(en);
    await page.getByLabel(`选项 ${index + 1} 编码`).fill(code);
  }
}

async function publishForm(page: Page, key: string, fields: number): Promise<void> {
  await expectVisible(page.locator('.designer-check[data-status="ok"]'));
  await page
    .locator('.page-header-extra')
    .getByRole('button', { name: /发\s*布/ })
    .click();
  const dialog = page.locator('.designer-plan');
  await expectVisible(dialog.locator(`[data-action="add"][data-count="${fields}"]`));
  await dialog.getByRole('button', { name: '确认发布' }).click();
  await expectPath(page, `/admin/forms/${PACK}/${key}`);
  await expectText(page.locator('.page-description'), 'v1');
}

// ---- the flow designer ----------------------------------------------------------------------------------

const card = (page: Page, key: string) => page.locator(`.flow-design-card[data-node="${key}"]`);
const branch = (page: Page, id: string) =>
  page.locator('.flow-design-branch', { has: page.locator(`[data-branch="${id}"]`) });
const drawer = (page: Page) => page.locator('.flow-design-drawer');

async function insertInto(page: Page, plus: Locator, type: string): Promise<void> {
  await plus.click();
  await page.getByRole('menuitem', { name: type }).click();
}

async function closeDrawer(page: Page): Promise<void> {
  await drawer(page).locator('.ant-drawer-close').click();
  await expectHidden(drawer(page));
}

// ---- filing ----------------------------------------------------------------------------------------------

async function pickDateTime(page: Page, id: string, text: string): Promise<void> {
  const input = page.locator(`#${id}`);
  await input.click();
  await input.fill(text);
  await input.press('Enter');
  await expectHidden(page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)'));
}

async function fileBooking(page: Page, title: string, room: string, attendees: number, day: string): Promise<void> {
  await page.goto(`/work/file/${PACK}/booking`);
  await expectVisible(page.getByRole('heading', { level: 1, name: '发起：会议室预订' }));
  await page.locator('#work-title').fill(title);
  await pick(page, page.locator('#f-room'), room);
  await pickDateTime(page, 'f-startAt', `${day} 09:00`);
  await pickDateTime(page, 'f-endAt', `${day} 11:00`);
  await page.locator('#f-attendees').fill(String(attendees));
  await page.locator('.work-action-bar .ant-btn-primary').click();
  await expectPath(page, '/sent');
}

/** An entry of 管理 in the side menu (opening 管理 first when it is closed). */
async function adminMenu(page: Page, label: string): Promise<void> {
  const entry = page.getByRole('menuitem', { name: label });
  if (!(await entry.isVisible())) await page.getByRole('menuitem', { name: '管理' }).click();
  await entry.click();
}

// ---- roles ----------------------------------------------------------------------------------------------

function button(scope: Page | Locator, label: string) {
  const spaced = label.length === 2 ? new RegExp(`^${label[0]}\\s?${label[1]}$`) : label;
  return scope.getByRole('button', { name: spaced });
}

/** Selects role `code` on 角色 and gives it to `person`. */
async function giveRole(page: Page, code: string, name: string, person: Person): Promise<void> {
  await page.getByRole('searchbox', { name: '按名称或编码搜索角色' }).fill(code);
  await page.locator('.roles-table .ant-table-row', { hasText: name }).click();
  await page.locator('.roles-holders-card').getByRole('button', { name: '添加成员' }).click();
  const dialog = page.getByRole('dialog', { name: `为“${name}”添加成员` });
  await dialog.locator('.ant-form-item:has(#memberId) .ant-select').click();
  await page.keyboard.type(person.login);
  await page.locator('.ant-select-item-option', { hasText: person.name }).first().click();
  await dialog.getByRole('button', { name: '添加成员' }).click();
  await expectVisible(page.locator('.roles-holders-table').getByText(person.name, { exact: true }));
}

type Sent = { items: { instanceId: string; title: string; currentNodes: string[]; state: string }[] };

/** The archive lists the approved booking of `person` (25 or `attendees` people in 一号会议室), and nothing else. */
async function expectArchived(page: Page, person: Person, attendees: number): Promise<void> {
  await page.goto(`/records/${PACK}/bookingArchive`);
  const row = page.locator('.ant-table-row', { hasText: '一号会议室' });
  await expectVisible(row);
  await expectText(row, person.name);
  await expectText(row, String(attendees));
  await expectHidden(page.locator('.ant-table-row', { hasText: '二号会议室' }));
}

/** The report counts one booking in 一号会议室 in its one week, in the table, the chart and the API. */
async function expectCounted(page: Page): Promise<void> {
  await page.goto(`/reports/${PACK}/bookingsByRoom`);
  const row = page.locator('.report-table-card .ant-table-row', { hasText: '一号会议室' });
  await expectVisible(row);
  // The booking's week is the cross-tab's one column: one booking there, and one in the row's total.
  await expectCount(row.locator('button.report-figure', { hasText: /^1$/ }), 2);
  await expectVisible(page.locator('.report-chart-card'));
  type Result = { rows: { kind: string; keys: Record<string, unknown>; values: { count: number } }[] };
  const result = await page.request.post(`/api/reports/${PACK}/bookingsByRoom/run`, {
    data: {},
    headers: { 'x-csrf-token': await csrf(page) },
  });
  const body = (await result.json()) as Result;
  const r1 = body.rows.find((r) => r.kind === 'detail' && r.keys.room === 'r1');
  if (r1?.values.count !== 1) throw new Error(`report rows: ${JSON.stringify(body.rows)}`);
}

async function approve(page: Page, title: string): Promise<void> {
  const entry = page.locator('.work-item', { hasText: title });
  await expectVisible(entry);
  await entry.locator('.work-item-title').click();
  await expectVisible(page.getByRole('heading', { level: 1, name: title }));
  await page.locator('.work-action-bar .work-action-approve').click();
  await page.locator('.work-dialog-approve .work-dialog-ok').click();
  await expectPath(page, '/pending');
  await expectHidden(page.locator('.work-item', { hasText: title }));
}

type PackFile = {
  format: string;
  key: string;
  version: string;
  forms: { key: string }[];
  flows: { key: string }[];
  rules: { key: string }[];
  reports: { key: string }[];
  roles: { code: string }[];
};

await journey('meeting-room', async ({ open, step, browser }) => {
  const cast = castFromCredentials();
  const admin = await open('desktop');

  await step(admin, 'booking-form', async () => {
    await signInAsAdmin(admin);
    await admin.goto('/admin/forms/new');
    await admin.locator('#prop-form-label-zh').fill('会议室预订');
    await admin.locator('#prop-form-label-en').fill('Room booking');
    await admin.locator('#prop-form-pack').fill(PACK);
    await admin.locator('#prop-form-key').fill('booking');
    await roomSelect(admin);
    for (const [zh, en, key] of [
      ['开始时间', 'Starts', 'startAt'],
      ['结束时间', 'Ends', 'endAt'],
    ] as const) {
      await addField(admin, 'datetime', zh, en, key);
      await admin.locator('#prop-required').click();
    }
    await addField(admin, 'number', '参会人数', 'Attendees', 'attendees');
    await admin.locator('#prop-required').click();
    await publishForm(admin, 'booking', 4);
  });

  await step(admin, 'archive-form', async () => {
    await admin.goto('/admin/forms/new');
    await admin.locator('#prop-form-label-zh').fill('会议室预订档案');
    await admin.locator('#prop-form-label-en').fill('Booking archive');
    await admin.locator('#prop-form-pack').fill(PACK);
    await admin.locator('#prop-form-key').fill('bookingArchive');
    await admin.locator('.designer-properties').getByText('档案', { exact: true }).click();
    await roomSelect(admin);
    await addField(admin, 'datetime', '开始时间', 'Starts', 'startAt');
    await addField(admin, 'datetime', '结束时间', 'Ends', 'endAt');
    await addField(admin, 'number', '参会人数', 'Attendees', 'attendees');
    await addField(admin, 'member', '预订人', 'Booked by', 'booker');
    await publishForm(admin, 'bookingArchive', 5);
  });

  await step(admin, 'administration-head-role', async () => {
    // Routing to a role, not to a person: the role travels with the app, its holder is each organisation's own.
    await admin.goto('/admin/roles');
    await button(admin, '新建角色').click();
    const dialog = admin.getByRole('dialog', { name: '新建角色' });
    await dialog.getByLabel('角色编码').fill(ROLE);
    await dialog.getByLabel('中文名称').fill('行政负责人');
    await dialog.getByLabel('英文名称').fill('Administration head');
    await button(dialog, '保存').click();
    await expectVisible(admin.getByText('已新建角色“行政负责人”'));
    await giveRole(admin, ROLE, '行政负责人', cast.adminHead);
  });

  await step(admin, 'flow-with-condition', async () => {
    // 新建流程 opened on this form (?form=): its select is not searchable, and the list is long on a used server.
    await admin.goto(`/admin/flows/new?form=${PACK}.booking`);
    await expectText(admin.locator('.flow-design-new'), `(${PACK}.booking)`);
    await admin.getByLabel('应用包', { exact: true }).fill(PACK);
    await admin.getByLabel('标识', { exact: true }).fill('booking');
    await admin.getByLabel('中文名称', { exact: true }).fill('会议室预订');
    await admin.getByLabel('英文名称', { exact: true }).fill('Room booking');
    await admin.getByRole('button', { name: '开始设计' }).click();
    await insertInto(admin, admin.locator('.flow-design-add').first(), '条件分支');
    await admin.locator('[data-branch="condition1.0"]').click();
    await pick(admin, drawer(admin).getByLabel('字段', { exact: true }), '参会人数');
    await drawer(admin).getByLabel('值', { exact: true }).fill('20');
    await expectText(drawer(admin), 'attendees > 20');
    await closeDrawer(admin);
    // More than 20 attendees: whoever holds 行政负责人, wherever they are.
    await insertInto(admin, branch(admin, 'condition1.0').locator('.flow-design-add').last(), '审批人');
    await card(admin, 'approval1').click();
    await drawer(admin).getByRole('button', { name: '添加审批人来源' }).click();
    const source = drawer(admin).locator('[data-testid="assignee-0"]');
    await pick(admin, source.getByLabel('审批人来源', { exact: true }), '角色');
    await source.getByLabel('角色编码', { exact: true }).fill(ROLE);
    await pick(admin, source.getByLabel('范围', { exact: true }), '全部');
    await closeDrawer(admin);
    // Otherwise the initiator's head (the source a new approver starts with).
    await insertInto(admin, branch(admin, 'condition1.1').locator('.flow-design-add').last(), '审批人');
    await card(admin, 'approval2').click();
    await drawer(admin).getByRole('button', { name: '添加审批人来源' }).click();
    await closeDrawer(admin);
    await admin.getByRole('button', { name: /发\s*布/ }).click();
    await expectVisible(admin.locator('.ant-message', { hasText: '已发布为 v1' }));
    await expectPath(admin, `/admin/flows/${PACK}/booking`);
  });

  await step(admin, 'everyone-may-file', async () => {
    await admin.goto('/admin/roles');
    await admin.getByRole('searchbox', { name: '按名称或编码搜索角色' }).fill('everyone');
    await admin.locator('.roles-table .ant-table-row', { hasText: '全体员工' }).click();
    const permissions = admin.locator('.role-permissions-card');
    const code = `flow.${PACK}.booking.start`;
    await permissions.getByRole('searchbox', { name: '按名称或编码查找权限' }).fill(code);
    await permissions.locator('label', { hasText: code }).locator('input[type="checkbox"]').check();
    await permissions.getByRole('button', { name: /保存权限/ }).click();
    await expectVisible(admin.getByText(/已保存，该角色现有 \d+ 项权限/));
  });

  await step(admin, 'rule-server-names-bad-mapping', async () => {
    await adminMenu(admin, '业务规则');
    await expectPath(admin, '/admin/rules');
    await admin.getByRole('button', { name: '新建规则' }).click();
    await expectPath(admin, '/admin/rules/new');
    await admin.locator('#rule-pack').fill(PACK);
    await admin.locator('#rule-key').fill('archiveBooking');
    await admin.locator('#rule-name-zh').fill('审批通过的预订归档');
    await admin.locator('#rule-name-en').fill('Archive approved bookings');
    await pick(admin, admin.locator('#rule-trigger-ref'), `(${PACK}.booking)`, `${PACK}.booking`);
    await admin.locator('[data-section="trigger"]').getByText('审批通过', { exact: true }).click();
    await admin.getByRole('button', { name: '添加动作' }).click();
    await admin.getByRole('menuitem', { name: '回写' }).click();
    const action = admin.locator('.rule-design-action[data-action="0"]');
    await pick(admin, action.locator('#action-0-form'), `(${PACK}.bookingArchive)`, `${PACK}.bookingArchive`);
    const set = action.locator('#action-0-set');
    await set.getByRole('button', { name: '按同名字段填充' }).click();
    for (const key of ['room', 'startAt', 'endAt', 'attendees']) {
      await expectVisible(action.locator(`.rule-mapping-row[data-row="${key}"]`));
    }
    await set.getByRole('button', { name: '添加一行' }).click();
    const fresh = set.locator('.rule-mapping-row').last();
    await pick(admin, fresh.locator('.rule-mapping-key'), '预订人');
    await fresh.locator('textarea').fill('$initiator.member');
    // The server's check (what publishing would say) comes back on the row it is about.
    await expectVisible(admin.locator('.rule-design-check[data-status="issues"]'));
    await expectText(admin.locator('.rule-design-invalid-summary'), 'actions.0.set.booker');
    await expectVisible(action.locator('.rule-mapping-row[data-row="booker"] .formula-issues'));
  });

  await step(admin, 'rule-fixed-and-published', async () => {
    const row = admin.locator('.rule-design-action[data-action="0"] .rule-mapping-row[data-row="booker"]');
    await row.locator('textarea').fill('$initiator.memberId');
    await expectVisible(admin.locator('.rule-design-check[data-status="ok"]'));
    await expectHidden(row.locator('.formula-issues'));
    await admin.locator('.rule-design-publish').click();
    await expectVisible(admin.locator('.ant-message', { hasText: '已发布为 v1' }));
    await expectPath(admin, `/admin/rules/${PACK}/archiveBooking`);
    const rule = await json<{ definition: { on: unknown; actions: { kind: string; set: Record<string, string> }[] } }>(
      admin,
      `/api/rules/${PACK}/archiveBooking`,
    );
    const set = rule.definition.actions[0]?.set ?? {};
    if (set.booker !== '$initiator.memberId' || set.room !== 'room' || set.attendees !== 'attendees') {
      throw new Error(`published mapping: ${JSON.stringify(set)}`);
    }
    await admin.goto('/admin/rules');
    const listed = admin.locator(`.rule-design-list tr[data-rule="${PACK}.archiveBooking"]`);
    await expectText(listed, 'v1');
    await expectVisible(listed.getByRole('switch', { checked: true }));
  });

  await step(admin, 'report-designed-and-previewed', async () => {
    await adminMenu(admin, '报表设计');
    await expectPath(admin, '/admin/reports');
    await admin.getByRole('button', { name: '新建报表' }).click();
    await admin.locator('#report-pack').fill(PACK);
    await admin.locator('#report-key').fill('bookingsByRoom');
    await admin.locator('#report-label-zh').fill('会议室每周预订');
    await admin.locator('#report-label-en').fill('Bookings per room per week');
    await pick(admin, admin.locator('#report-form'), `(${PACK}.bookingArchive)`, `${PACK}.bookingArchive`);
    // Each change is checked by the server; a blank grouping is an issue until its field is chosen (picking waits
    // for the answer, so the page does not move under the pointer).
    const status = (value: string) => expectVisible(admin.locator(`.report-design-check[data-status="${value}"]`));
    await status('ok');
    await admin.locator('.report-design-add-rows').click();
    await status('issues');
    await pick(admin, admin.locator('#report-rows-0-field'), '(room)');
    await status('ok');
    await admin.locator('.report-design-add-columns').click();
    await status('issues');
    await expectText(admin.locator('[data-dimension="columns.0"]'), 'columns.0.field');
    await pick(admin, admin.locator('#report-columns-0-field'), '(startAt)');
    await status('ok');
    await pick(admin, admin.locator('#report-columns-0-bucket'), '周');
    await status('ok');
    await admin.getByRole('tab', { name: '预览' }).click();
    await admin.getByRole('button', { name: '运行预览' }).click();
    // Nothing approved yet: the live data has no booking to count.
    await expectVisible(admin.locator('.report-design-preview').getByText('合计'));
  });

  await step(admin, 'report-published', async () => {
    await admin.locator('.report-design-publish').click();
    await expectVisible(admin.locator('.ant-message', { hasText: '已发布为 v1' }));
    await expectPath(admin, `/admin/reports/${PACK}/bookingsByRoom`);
  });

  const member = await open('desktop');
  await step(member, 'member-files-two-bookings', async () => {
    await member.goto(`/work/file/${PACK}/booking`);
    await submitLogin(member, cast.initiator.login, cast.initiator.password);
    await fileBooking(member, BIG, '一号会议室', 25, '2026-12-14');
    await fileBooking(member, SMALL, '二号会议室', 6, '2026-12-15');
    const sent = await json<Sent>(member, '/api/instances?box=sent');
    const big = sent.items.find((entry) => entry.title === BIG);
    const small = sent.items.find((entry) => entry.title === SMALL);
    // The condition decides: 25 attendees go to approval1 (行政部 head), 6 to approval2 (the buyer's head).
    if (big?.currentNodes.join() !== 'approval1') throw new Error(`large booking at ${big?.currentNodes}`);
    if (small?.currentNodes.join() !== 'approval2') throw new Error(`small booking at ${small?.currentNodes}`);
  });

  const approver = await open('desktop');
  await step(approver, 'administration-head-approves', async () => {
    await approver.goto('/pending');
    await submitLogin(approver, cast.adminHead.login, cast.adminHead.password);
    await expectVisible(approver.locator('.work-item', { hasText: BIG }));
    await expectHidden(approver.locator('.work-item', { hasText: SMALL }));
    await approve(approver, BIG);
  });

  await step(admin, 'archive-holds-the-booking', () => expectArchived(admin, cast.initiator, 25));

  await step(admin, 'report-counts-it', () => expectCounted(admin));

  await step(admin, 'preview-now-shows-it', async () => {
    await admin.goto(`/admin/reports/${PACK}/bookingsByRoom`);
    await admin.getByRole('tab', { name: '预览' }).click();
    await admin.getByRole('button', { name: '运行预览' }).click();
    await expectVisible(admin.locator('.report-design-preview .ant-table-row', { hasText: '一号会议室' }));
  });

  const phone = await open('phone');
  await step(phone, 'rule-editor-on-a-phone', async () => {
    await signInAsAdmin(phone);
    await phone.goto(`/admin/rules/${PACK}/archiveBooking`);
    await expectVisible(phone.locator('.rule-design-action[data-action="0"] .rule-mapping-row[data-row="booker"]'));
    await expectNoHorizontalOverflow(phone);
  });

  // ---- round trip: exported here, imported into a fresh database, filed and approved again there ----------
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'baton-e2e-meeting-')), `${PACK}.baton-pack.json`);
  await step(admin, 'export-the-app', async () => {
    await admin.goto('/admin/packs');
    const row = admin.locator(`.packs-table tr[data-pack="${PACK}"]`);
    await expectVisible(row);
    await row.locator('.packs-export').click();
    // Assembled in the designers, the app is named and versioned on its way out.
    const dialog = admin.locator('.ant-modal', { hasText: `导出应用 ${PACK}` });
    await dialog.getByLabel('中文名称').fill('会议室预订');
    await dialog.getByLabel('英文名称').fill('Meeting rooms');
    const download = admin.waitForEvent('download');
    await button(dialog, '导出').click();
    await (await download).saveAs(file);
    const doc = JSON.parse(await readFile(file, 'utf8')) as PackFile;
    const keys = (list: { key: string }[]) =>
      list
        .map((entry) => entry.key)
        .sort()
        .join();
    const got = [keys(doc.forms), keys(doc.flows), keys(doc.rules), keys(doc.reports)].join(' | ');
    if (doc.key !== PACK || got !== 'booking,bookingArchive | booking | archiveBooking | bookingsByRoom') {
      throw new Error(`exported ${doc.key}: ${got}`);
    }
    if (!doc.roles.some((role) => role.code === ROLE)) throw new Error(`roles: ${doc.roles.map((r) => r.code)}`);
  });

  let fresh: FreshServer | undefined;
  try {
    fresh = await startFreshServer('meeting-room');
    const there = castOf(await fresh.credentials());
    const adminThere = await fresh.adminPage(browser);

    await step(adminThere, 'import-into-a-fresh-database', async () => {
      await adminThere.goto('/admin/packs');
      await adminThere.locator('.packs-import').click();
      await adminThere.locator('.ant-modal .packs-dragger input[type="file"]').setInputFiles(file);
      await adminThere.locator('.ant-modal .packs-check').click();
      await expectVisible(adminThere.locator('.ant-modal .packs-diff[data-step="install"]'));
      await adminThere.locator('.ant-modal .packs-confirm').click();
      await expectVisible(adminThere.locator('.ant-modal .packs-result'));
      await adminThere.locator('.ant-modal .ant-modal-footer button').click();
      await expectVisible(adminThere.locator(`.packs-table tr[data-pack="${PACK}"][data-version="1.0.0"]`));
    });

    await step(adminThere, 'role-holder-there', async () => {
      // The role came with the app; who holds it is this organisation's business.
      await adminThere.goto('/admin/roles');
      await giveRole(adminThere, ROLE, '行政负责人', there.adminHead);
    });

    const memberThere = await fresh.page(browser);
    await step(memberThere, 'member-files-there', async () => {
      await memberThere.goto(`/work/file/${PACK}/booking`);
      await submitLogin(memberThere, there.initiator.login, there.initiator.password);
      await fileBooking(memberThere, BIG, '一号会议室', 30, '2026-12-21');
      const sent = await json<Sent>(memberThere, '/api/instances?box=sent');
      const big = sent.items.find((entry) => entry.title === BIG);
      if (big?.currentNodes.join() !== 'approval1') throw new Error(`the booking is at ${big?.currentNodes}`);
    });

    const approverThere = await fresh.page(browser);
    await step(approverThere, 'administration-head-approves-there', async () => {
      await approverThere.goto('/pending');
      await submitLogin(approverThere, there.adminHead.login, there.adminHead.password);
      await approve(approverThere, BIG);
    });

    await step(adminThere, 'archive-and-report-there', async () => {
      await expectArchived(adminThere, there.initiator, 30);
      await expectCounted(adminThere);
    });
  } finally {
    await fresh?.stop();
  }
});

async function csrf(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  return cookies.find((cookie) => cookie.name === 'baton_csrf')?.value ?? '';
}
