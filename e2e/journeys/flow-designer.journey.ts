// The flow designer: the administrator redraws the demo leave flow (demo.leave) in the browser — start → a
// condition (请假天数 > 3 → the initiator's head, then the HR director; otherwise → the head) → end — sees the
// server's validation error on an approval node without assignees, fixes it and publishes version n+1; a buyer
// files a 5-day request and it reaches the head of purchasing first. At the end the journey republishes the
// version it found (through the API), so the other journeys meet the demo flow as first start left it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { signInAsAdmin, submitLogin } from '../lib/admin.ts';
import { expectHidden, expectPath, expectVisible } from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';

type Person = { login: string; password: string; name: string };

function castFromCredentials(): Record<'initiator' | 'head', Person> {
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
  return { initiator: holder('buyer'), head: holder('head:purchasing') };
}

const TITLE = `长假申请 ${Date.now().toString(36)}`;

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

const card = (page: Page, key: string) => page.locator(`.flow-design-card[data-node="${key}"]`);
const branch = (page: Page, id: string) =>
  page.locator('.flow-design-branch', { has: page.locator(`[data-branch="${id}"]`) });
const drawer = (page: Page) => page.locator('.flow-design-drawer');

/** Opens the + after the chain's last node (the last + of the chain) and picks a node type. */
async function insertInto(page: Page, plus: Locator, type: string): Promise<void> {
  await plus.click();
  await page.getByRole('menuitem', { name: type }).click();
}

/** Picks an option of the antd select labelled `label` inside `scope`. */
async function choose(page: Page, scope: Locator, label: string, option: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

async function closeDrawer(page: Page): Promise<void> {
  await drawer(page).locator('.ant-drawer-close').click();
  await expectHidden(drawer(page));
}

async function fillDate(page: Page, id: string, date: string): Promise<void> {
  const input = page.locator(`#${id}`);
  await input.click();
  await input.fill(date);
  await input.press('Enter');
  await expectVisible(page.locator(`#${id}[value="${date}"]`));
}

await journey('flow-designer', async ({ open, step }) => {
  const cast = castFromCredentials();
  const admin = await open('desktop');
  let original: { version: number; definition: { nodes: { key: string }[] } } | undefined;

  await step(admin, 'open-demo-leave', async () => {
    await signInAsAdmin(admin);
    await admin.goto('/admin/flows');
    await expectVisible(admin.getByRole('heading', { level: 1, name: '流程设计' }));
    const versions = await json<{ versions: { version: number; definition: { nodes: { key: string }[] } }[] }>(
      admin,
      '/api/flows/demo/leave/versions',
    );
    original = versions.versions[0];
    await admin.getByRole('link', { name: '请假申请' }).click();
    await expectPath(admin, '/admin/flows/demo/leave');
    await expectVisible(card(admin, 'head'));
    await expectVisible(card(admin, 'hr'));
  });

  await step(admin, 'draw-condition', async () => {
    for (const key of ['hr', 'head']) {
      await card(admin, key).getByRole('button', { name: '删除' }).click();
      await expectHidden(card(admin, key));
    }
    await insertInto(admin, admin.locator('.flow-design-add').first(), '条件分支');
    await expectVisible(admin.locator('[data-branch="condition1.0"]'));
    await admin.locator('[data-branch="condition1.0"]').click();
    await choose(admin, drawer(admin), '字段', '请假天数');
    await drawer(admin).getByLabel('值', { exact: true }).fill('3');
    await expectText(drawer(admin), 'days > 3');
    await closeDrawer(admin);
    await expectText(admin.locator('[data-branch="condition1.0"]'), 'days > 3');
    // Longer leave: an approval without assignees first — the server must name it.
    await insertInto(admin, branch(admin, 'condition1.0').locator('.flow-design-add').last(), '审批人');
    await expectVisible(card(admin, 'approval1'));
  });

  await step(admin, 'validation-error-on-node', async () => {
    await admin.getByRole('button', { name: /校\s*验/ }).click();
    await expectVisible(admin.locator('.flow-design-invalid'));
    await expectVisible(card(admin, 'approval1').locator('.flow-design-card-issues'));
    await expectText(card(admin, 'approval1'), '请设置审批人');
  });

  await step(admin, 'fix-and-complete', async () => {
    // approval1: the initiator's head (the starter source is 发起人的上级 / 直属主管).
    await card(admin, 'approval1').click();
    await expectVisible(drawer(admin));
    await expectVisible(drawer(admin).locator('.ant-alert-error'));
    await drawer(admin).getByRole('button', { name: '添加审批人来源' }).click();
    await expectVisible(drawer(admin).locator('[data-testid="assignee-0"]'));
    await drawer(admin).getByText('会签', { exact: true }).click();
    // The head reads the reason but may not change it, and has two business days.
    await drawer(admin).getByRole('tab', { name: '字段权限' }).click();
    await drawer(admin).locator('.flow-design-matrix tr', { hasText: '请假事由' }).getByText('只读').click();
    await drawer(admin).getByRole('tab', { name: '时限' }).click();
    await drawer(admin).getByRole('switch', { name: '设置审批时限' }).click();
    await expectVisible(drawer(admin).getByRole('spinbutton', { name: '时限' }));
    await closeDrawer(admin);
    await expectText(card(admin, 'approval1'), '发起人的上级');
    // then the HR director (role hrDirector, everyone holding it).
    await insertInto(admin, branch(admin, 'condition1.0').locator('.flow-design-add').last(), '审批人');
    await card(admin, 'approval2').click();
    await drawer(admin).getByRole('button', { name: '添加审批人来源' }).click();
    const source = drawer(admin).locator('[data-testid="assignee-0"]');
    await choose(admin, source, '审批人来源', '角色');
    await source.getByLabel('角色编码', { exact: true }).fill('hrDirector');
    await choose(admin, source, '范围', '全部');
    await closeDrawer(admin);
    await expectText(card(admin, 'approval2'), '角色');
    // otherwise: the head alone.
    await insertInto(admin, branch(admin, 'condition1.1').locator('.flow-design-add').last(), '审批人');
    await card(admin, 'approval3').click();
    await drawer(admin).getByRole('button', { name: '添加审批人来源' }).click();
    await closeDrawer(admin);
    await admin.getByRole('button', { name: /校\s*验/ }).click();
    await expectVisible(admin.locator('.flow-design-valid'));
    await expectHidden(admin.locator('.flow-design-card-issues'));
  });

  await step(admin, 'publish', async () => {
    await admin.getByRole('button', { name: /发\s*布/ }).click();
    await expectVisible(admin.locator('.ant-message', { hasText: /已发布为 v\d+/ }));
    type Node = { key: string; kind: string; mode?: string; fieldAccess?: unknown; deadline?: unknown };
    const detail = await json<{ definition: { nodes: Node[] } }>(admin, '/api/flows/demo/leave');
    const first = detail.definition.nodes.find((node) => node.key === 'approval1');
    const settings = JSON.stringify({ mode: first?.mode, fieldAccess: first?.fieldAccess, deadline: first?.deadline });
    for (const part of ['"mode":"countersign"', '"fieldAccess":{"reason":"read"}', '"after":{"days":2}']) {
      if (!settings.includes(part)) throw new Error(`approval1 settings: ${settings}`);
    }
    const kinds = detail.definition.nodes.map((node) => `${node.key}:${node.kind}`);
    if (!kinds.includes('condition1:condition') || !kinds.includes('approval2:approval')) {
      throw new Error(`published nodes: ${kinds.join(', ')}`);
    }
    await admin.getByRole('tab', { name: '版本历史' }).click();
    await expectVisible(admin.locator('.flow-design-versions tbody tr').nth(1));
  });

  const member = await open('desktop');
  let instanceId = '';
  await step(member, 'member-files-five-days', async () => {
    await member.goto('/work/file/demo/leave');
    await submitLogin(member, cast.initiator.login, cast.initiator.password);
    await expectVisible(member.getByRole('heading', { level: 1, name: '发起：请假申请' }));
    await member.locator('#work-title').fill(TITLE);
    await fillDate(member, 'f-startDate', '2026-12-14');
    await fillDate(member, 'f-endDate', '2026-12-18');
    await member.locator('#f-days').fill('5');
    await member.locator('#f-reason').fill('年假，工作已交接');
    await member.locator('.work-action-bar .ant-btn-primary').click();
    await expectPath(member, '/sent');
    const sent = await json<{ items: { instanceId: string; title: string; currentNodes: string[] }[] }>(
      member,
      '/api/instances?box=sent',
    );
    const mine = sent.items.find((entry) => entry.title === TITLE);
    if (!mine) throw new Error('the request is not in 已发');
    if (mine.currentNodes.join() !== 'approval1') throw new Error(`current nodes: ${mine.currentNodes.join()}`);
    instanceId = mine.instanceId;
  });

  const head = await open('desktop');
  await step(head, 'head-has-it-first', async () => {
    await head.goto('/pending');
    await submitLogin(head, cast.head.login, cast.head.password);
    await expectVisible(head.locator('.work-item', { hasText: TITLE }));
    if (!instanceId) throw new Error('no instance');
  });

  await step(admin, 'restore-demo-flow', async () => {
    // Version history: load the version found at the start into the designer and publish it again.
    if (!original) throw new Error('no original version');
    await admin.getByRole('tab', { name: '版本历史' }).click();
    const row = admin
      .locator('.flow-design-versions tbody tr')
      .filter({ has: admin.locator('td:first-child', { hasText: new RegExp(`^v${original.version}$`) }) });
    await row.getByRole('button', { name: '载入到设计器' }).click();
    await expectVisible(card(admin, 'head'));
    await expectVisible(card(admin, 'hr'));
    await expectHidden(admin.locator('[data-branch="condition1.0"]'));
    await admin.getByRole('button', { name: /发\s*布/ }).click();
    await expectVisible(admin.locator('.ant-message', { hasText: /已发布为 v\d+/ }).last());
    const detail = await json<{ definition: { nodes: { key: string }[] } }>(admin, '/api/flows/demo/leave');
    const keys = (def: { nodes: { key: string }[] }) => def.nodes.map((node) => node.key).join();
    if (keys(detail.definition) !== keys(original.definition)) {
      throw new Error(`restored nodes: ${keys(detail.definition)}`);
    }
  });
});
