// (antd spaces out two-character Chinese button labels, "停 用", hence the /^停\s?用$/ names.)
// Administration › Posts, Levels, Roles and Org import, as the administrator: create a post, rename
// and disable it; create a level; create a business role, give a member the role and find them among
// its holders; edit a member in the member editor; dry-run an import file. Then the same pages on a
// phone: nothing wider than the screen.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { signInAsAdmin } from '../lib/admin.ts';
import {
  expectHidden,
  expectNoHorizontalOverflow,
  expectPath,
  expectTitleContains,
  expectVisible,
} from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';

const stamp = Date.now().toString(36).toUpperCase();
const POST_CODE = `E2E-P-${stamp}`;
const POST_NAME = `端到端测试岗位${stamp}`;
const POST_RENAMED = `端到端评审岗位${stamp}`;
const LEVEL_CODE = `E2E-L-${stamp}`;
const LEVEL_NAME = `端到端级别${stamp}`;
const ROLE_CODE = `e2eReviewer${stamp}`;
const ROLE_NAME = `端到端评审员${stamp}`;

type MemberRow = { id: string; code: string; name: string; phone: string | null };
type RoleRow = { id: string; code: string };

function heading(page: Page, name: string) {
  return page.getByRole('heading', { level: 1, name, exact: true });
}

function button(scope: Page | Locator, label: string) {
  const spaced = label.length === 2 ? new RegExp(`^${label[0]}\\s?${label[1]}$`) : label;
  return scope.getByRole('button', { name: spaced });
}

function applyButton(page: Page) {
  return page.locator('.import-actions').getByRole('button', { name: /^导\s?入$/ });
}

function csvFile(name: string, text: string): string {
  const file = path.join(os.tmpdir(), `baton-e2e-${name}-${stamp}.csv`);
  writeFileSync(file, text, 'utf8');
  return file;
}

async function chooseFiles(page: Page, files: string[]): Promise<void> {
  await page.locator('.import-dragger input[type="file"]').setInputFiles(files);
  for (const file of files) await expectVisible(page.getByText(path.basename(file)));
}

async function getJson<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(url);
  if (!response.ok()) throw new Error(`GET ${url}: HTTP ${response.status()}`);
  return (await response.json()) as T;
}

/** An active demo member to give the role to (the demo org has about 200). */
async function someMember(page: Page): Promise<MemberRow> {
  const { items } = await getJson<{ items: MemberRow[] }>(page, '/api/org/members?limit=50');
  const member = items.find((item) => item.code && item.name && item.code !== 'admin') ?? items[0];
  if (!member) throw new Error('the demo organisation has no members');
  return member;
}

await journey('org-roles', async ({ open, step }) => {
  const desktop = await open('desktop');
  let member: MemberRow | undefined;
  let departmentName = '';
  let otherDepartment = '';

  await step(desktop, 'sign-in', async () => {
    await desktop.goto('/admin/posts');
    await expectPath(desktop, '/login');
    const session = await signInAsAdmin(desktop);
    for (const permission of ['org.write', 'org.role.write']) {
      if (!session.permissions.includes(permission)) throw new Error(`admin lacks ${permission}`);
    }
    await expectPath(desktop, '/admin/posts');
    member = await someMember(desktop);
  });

  await step(desktop, 'posts-page', async () => {
    await desktop.goto('/');
    await desktop.getByRole('menuitem', { name: '管理' }).click();
    await desktop.getByRole('menuitem', { name: '岗位' }).click();
    await expectPath(desktop, '/admin/posts');
    await expectVisible(heading(desktop, '岗位'));
    await expectTitleContains(desktop, '岗位');
    await expectVisible(desktop.locator('.posts-table .ant-table-row').first());
  });

  await step(desktop, 'post-create', async () => {
    await button(desktop, '新建岗位').click();
    const dialog = desktop.getByRole('dialog', { name: '新建岗位' });
    await dialog.getByLabel('岗位编码').fill(POST_CODE);
    await dialog.getByLabel('岗位名称').fill(POST_NAME);
    await button(dialog, '保存').click();
    await expectVisible(desktop.getByText(`已新建岗位“${POST_NAME}”`));
    await desktop.getByRole('searchbox', { name: '按名称或编码搜索岗位' }).fill(stamp);
    await expectVisible(desktop.locator('.posts-table').getByText(POST_NAME, { exact: true }));
  });

  await step(desktop, 'post-rename-disable', async () => {
    await desktop.getByRole('button', { name: `编辑岗位“${POST_NAME}”` }).click();
    const dialog = desktop.getByRole('dialog', { name: `编辑岗位“${POST_NAME}”` });
    await dialog.getByLabel('岗位名称').fill(POST_RENAMED);
    await button(dialog, '保存').click();
    await expectVisible(desktop.locator('.posts-table').getByText(POST_RENAMED, { exact: true }));
    const row = desktop.locator('.posts-table .ant-table-row', { hasText: POST_RENAMED });
    await button(row, '停用').click();
    await button(desktop.locator('.ant-popconfirm'), '停用').click();
    await expectVisible(desktop.getByText(`已停用“${POST_RENAMED}”`));
    await expectVisible(row.getByText('已停用', { exact: true }));
    const posts = await getJson<{ items: Array<{ code: string; name: string; enabled: boolean }> }>(
      desktop,
      '/api/org/posts?includeDisabled=true',
    );
    const saved = posts.items.find((post) => post.code === POST_CODE);
    if (saved?.name !== POST_RENAMED || saved.enabled)
      throw new Error(`post not renamed and disabled: ${JSON.stringify(saved)}`);
  });

  await step(desktop, 'level-create', async () => {
    await desktop.getByRole('menuitem', { name: '职务级别' }).click();
    await expectPath(desktop, '/admin/levels');
    await expectVisible(heading(desktop, '职务级别'));
    await button(desktop, '新建级别').click();
    const dialog = desktop.getByRole('dialog', { name: '新建职务级别' });
    await dialog.getByLabel('级别编码').fill(LEVEL_CODE);
    await dialog.getByLabel('级别名称').fill(LEVEL_NAME);
    await button(dialog, '保存').click();
    await expectVisible(desktop.getByText(`已新建级别“${LEVEL_NAME}”`));
    // Created last (the lowest rank), so moving it up puts it above its neighbour.
    await desktop.getByRole('button', { name: `将“${LEVEL_NAME}”上移` }).click();
    await expectVisible(desktop.getByText(`已调整“${LEVEL_NAME}”的顺序`));
  });

  await step(desktop, 'role-create', async () => {
    await desktop.getByRole('menuitem', { name: '角色' }).click();
    await expectPath(desktop, '/admin/roles');
    await expectVisible(heading(desktop, '角色'));
    await expectVisible(desktop.locator('.roles-table .ant-table-row').first());
    await button(desktop, '新建角色').click();
    const dialog = desktop.getByRole('dialog', { name: '新建角色' });
    await dialog.getByLabel('角色编码').fill(ROLE_CODE);
    await dialog.getByLabel('中文名称').fill(ROLE_NAME);
    await dialog.getByLabel('英文名称').fill(`E2E reviewer ${stamp}`);
    await button(dialog, '保存').click();
    await expectVisible(desktop.getByText(`已新建角色“${ROLE_NAME}”`));
    // The new role is selected: its details and (empty) holders show.
    await expectVisible(desktop.locator('.roles-detail-card .orgx-card-title', { hasText: ROLE_NAME }));
    await expectVisible(desktop.locator('.roles-detail-card').getByText('业务角色', { exact: true }));
    await expectVisible(desktop.locator('.roles-holders-card').getByText('暂无成员'));
  });

  await step(desktop, 'role-assign', async () => {
    if (!member) throw new Error('no member picked');
    await desktop.locator('.roles-holders-card').getByRole('button', { name: '添加成员' }).click();
    const dialog = desktop.getByRole('dialog', { name: `为“${ROLE_NAME}”添加成员` });
    await expectVisible(dialog);
    await dialog.locator('.ant-form-item:has(#memberId) .ant-select').click();
    await desktop.keyboard.type(member.code);
    await expectVisible(desktop.locator('.ant-select-item-option', { hasText: member.code }));
    await desktop.locator('.ant-select-item-option', { hasText: member.code }).first().click();
    await dialog.getByRole('button', { name: '添加成员' }).click();
    await expectVisible(desktop.getByText(`已添加到“${ROLE_NAME}”`));
    await expectVisible(desktop.locator('.roles-holders-table').getByText(member.name, { exact: true }));
    await expectVisible(desktop.locator('.roles-holders-card').getByText('角色成员（1）'));
    const roles = await getJson<{ items: RoleRow[] }>(desktop, '/api/org/roles');
    const role = roles.items.find((item) => item.code === ROLE_CODE);
    if (!role) throw new Error(`role ${ROLE_CODE} not found through the API`);
    const holders = await getJson<{ items: Array<{ memberId: string }> }>(desktop, `/api/org/roles/${role.id}/members`);
    if (!holders.items.some((holder) => holder.memberId === member?.id)) {
      throw new Error(`${member.name} is not a holder of ${ROLE_CODE}`);
    }
  });

  await step(desktop, 'role-listed', async () => {
    await desktop.reload();
    await desktop.getByRole('searchbox', { name: '按名称或编码搜索角色' }).fill(stamp);
    const row = desktop.locator('.roles-table .ant-table-row', { hasText: ROLE_NAME });
    await expectVisible(row);
    await row.click();
    await expectVisible(desktop.locator('.roles-holders-table').getByText(member?.name ?? '', { exact: true }));
  });

  await step(desktop, 'role-permissions', async () => {
    // Grant the new role the audit log; its holder then holds audit.read (checked through the API).
    const card = desktop.locator('.role-permissions-card');
    await expectVisible(card.getByText('功能权限（0 项）'));
    await card.getByRole('searchbox', { name: '按名称或编码查找权限' }).fill('audit.read');
    await card.locator('label', { hasText: 'audit.read' }).locator('input[type="checkbox"]').check();
    await card.getByRole('button', { name: /保存权限/ }).click();
    await expectVisible(desktop.getByText('已保存，该角色现有 1 项权限'));
    const roles = await getJson<{ items: RoleRow[] }>(desktop, '/api/org/roles');
    const role = roles.items.find((item) => item.code === ROLE_CODE);
    const held = await getJson<{ permissions: string[] }>(desktop, `/api/access/roles/${role?.id}/permissions`);
    if (held.permissions.join() !== 'audit.read') throw new Error(`role permissions: ${held.permissions.join()}`);
  });

  await step(desktop, 'member-editor', async () => {
    if (!member) throw new Error('no member picked');
    const detail = await getJson<{ mainDepartmentId: string }>(desktop, `/api/org/members/${member.id}`);
    const tree = await getJson<{ items: Array<{ id: string; name: string; children: unknown[] }> }>(
      desktop,
      '/api/org/departments/tree',
    );
    const names = new Map<string, string>();
    const walk = (nodes: Array<{ id: string; name: string; children: unknown[] }>) => {
      for (const node of nodes) {
        names.set(node.id, node.name);
        walk(node.children as typeof nodes);
      }
    };
    walk(tree.items);
    departmentName = names.get(detail.mainDepartmentId) ?? '';
    if (!departmentName) throw new Error('the member has no department in the tree');
    otherDepartment = [...names.values()].find((name) => name !== departmentName && !name.includes('/')) ?? '';
    await desktop.getByRole('menuitem', { name: '组织架构' }).click();
    await expectPath(desktop, '/admin/org');
    await desktop.getByRole('searchbox', { name: '按名称或编码搜索部门' }).fill(departmentName);
    await desktop
      .locator('.org-tree .ant-tree-node-content-wrapper')
      .filter({ has: desktop.locator('.org-tree-name', { hasText: new RegExp(`^${departmentName}$`) }) })
      .first()
      .click();
    await desktop.locator('.org-member-search input').fill(member.code);
    await desktop.locator('.org-member-search input').press('Enter');
    await desktop.locator('.org-members-table').getByRole('button', { name: member.name, exact: true }).click();
    const drawer = desktop.locator('.member-editor');
    await expectVisible(drawer.getByText('基本信息', { exact: true }));
    // The role given above shows among the roles held.
    await expectVisible(drawer.locator('.member-roles').getByText(ROLE_NAME));
    await drawer.locator('.member-personal-form').getByLabel('手机号码').fill('13900000000');
    await drawer.getByRole('button', { name: '保存基本信息' }).click();
    await expectVisible(desktop.getByText(`已保存“${member.name}”的信息`));
    const after = await getJson<MemberRow>(desktop, `/api/org/members/${member.id}`);
    if (after.phone !== '13900000000') throw new Error(`phone not saved: ${after.phone}`);
  });

  await step(desktop, 'member-concurrent-post', async () => {
    const drawer = desktop.locator('.member-editor');
    await drawer.getByRole('button', { name: '添加兼职' }).click();
    const form = drawer.locator('.member-concurrent-form');
    await form.locator('.ant-select').first().click();
    await desktop.keyboard.type(otherDepartment);
    await desktop.locator('.ant-select-tree-title', { hasText: otherDepartment }).first().click();
    await form.getByRole('button', { name: '添加兼职' }).click();
    await expectVisible(desktop.getByText('已添加兼职'));
    const item = drawer.locator('.member-concurrent-item', { hasText: otherDepartment });
    await expectVisible(item);
    await item.getByRole('button', { name: `结束在“${otherDepartment}”的兼职` }).click();
    await desktop.locator('.ant-popconfirm').getByRole('button', { name: '结束兼职' }).click();
    await expectVisible(desktop.getByText(`已结束在“${otherDepartment}”的兼职`));
    await expectHidden(item);
  });

  await step(desktop, 'member-editor-closed', async () => {
    const drawer = desktop.locator('.member-editor');
    await drawer.locator('.ant-drawer-close').first().click();
    await expectHidden(drawer.getByText('基本信息', { exact: true }));
  });

  await step(desktop, 'member-leaves', async () => {
    if (!member) throw new Error('no member picked');
    // A newcomer in the same department, who then leaves with the demo member as successor.
    const leaverName = `离职测试${stamp}`;
    await desktop.getByRole('button', { name: '新增人员' }).click();
    const dialog = desktop.getByRole('dialog', { name: `在“${departmentName}”新增人员` });
    await dialog.getByLabel('工号').fill(`E2E-L-${stamp}`);
    await dialog.getByLabel('姓名').fill(leaverName);
    await dialog.getByLabel('登录名').fill(`e2e.leaver.${stamp.toLowerCase()}`);
    await button(dialog, '保存').click();
    await expectVisible(desktop.getByText(`已新增人员“${leaverName}”`));
    await desktop.locator('.org-member-search input').fill(`E2E-L-${stamp}`);
    await desktop.locator('.org-member-search input').press('Enter');
    await desktop.locator('.org-members-table').getByRole('button', { name: leaverName, exact: true }).click();
    const drawer = desktop.locator('.member-editor');
    await drawer.getByRole('button', { name: '办理离职…' }).click();
    const leave = desktop.getByRole('dialog', { name: `办理“${leaverName}”离职` });
    await leave.locator('.ant-select').click();
    await desktop.keyboard.type(member.code);
    await desktop.locator('.ant-select-item-option', { hasText: member.code }).first().click();
    await leave.getByRole('button', { name: '确认离职' }).click();
    await expectVisible(desktop.getByText(`“${leaverName}”已离职`, { exact: false }));
    await expectVisible(drawer.getByText('已离职', { exact: true }).first());
    const { items } = await getJson<{ items: Array<{ code: string; status: string }> }>(
      desktop,
      `/api/org/members?status=all&search=E2E-L-${stamp}`,
    );
    if (items[0]?.status !== 'left') throw new Error(`the member did not leave: ${JSON.stringify(items)}`);
    await drawer.locator('.ant-drawer-close').first().click();
  });

  await step(desktop, 'org-import-page', async () => {
    await desktop.getByRole('menuitem', { name: '组织导入导出' }).click();
    await expectPath(desktop, '/admin/org/import');
    await expectVisible(heading(desktop, '组织导入导出'));
    if (await applyButton(desktop).isEnabled()) throw new Error('apply is enabled before any dry run');
  });

  // Until the server mounts /api/org/import and /api/org/export, the page must say so instead of failing.
  const importOffered = (await desktop.request.get('/api/org/export?format=csv')).status() !== 404;

  if (!importOffered) {
    await step(desktop, 'org-import-unavailable', async () => {
      await chooseFiles(desktop, [csvFile('bad', `工号,姓名,登录名,主部门编码\nE2E-X-${stamp},坏数据,x,NO-SUCH\n`)]);
      await button(desktop, '校验').click();
      await expectVisible(desktop.getByText('此服务器暂不支持组织导入导出。'));
      if (await applyButton(desktop).isEnabled()) throw new Error('apply is enabled without a dry run');
    });
  } else {
    await step(desktop, 'org-export', async () => {
      const [download] = await Promise.all([
        desktop.waitForEvent('download'),
        desktop.getByRole('button', { name: '导出 Excel' }).click(),
      ]);
      if (!download.suggestedFilename().endsWith('.xlsx')) {
        throw new Error(`export saved as ${download.suggestedFilename()}`);
      }
    });

    await step(desktop, 'org-import-errors', async () => {
      const bad = csvFile('bad', `工号,姓名,登录名,主部门编码\nE2E-X-${stamp},坏数据,e2e.bad.${stamp},NO-SUCH-DEPT\n`);
      await chooseFiles(desktop, [bad]);
      await button(desktop, '校验').click();
      const table = desktop.locator('.import-errors-table');
      await expectVisible(table);
      await expectVisible(table.getByText('主部门编码').first());
      if (await applyButton(desktop).isEnabled()) throw new Error('apply is enabled although the dry run failed');
    });

    await step(desktop, 'org-import-applied', async () => {
      const tree = await getJson<{ items: Array<{ code: string; enabled: boolean }> }>(
        desktop,
        '/api/org/departments/tree',
      );
      const department = tree.items.find((node) => node.enabled);
      if (!department) throw new Error('no enabled department to import into');
      const code = `E2E-IMP-${stamp}`;
      const good = csvFile(
        'good',
        `工号,姓名,登录名,主部门编码\n${code},导入测试员,e2e.import.${stamp.toLowerCase()},${department.code}\n`,
      );
      // A fresh page: the bad file goes, the good one is the only one sent.
      await desktop.reload();
      await expectVisible(heading(desktop, '组织导入导出'));
      await chooseFiles(desktop, [good]);
      await button(desktop, '校验').click();
      await expectVisible(desktop.getByText('校验通过，可以导入'));
      await applyButton(desktop).click();
      await expectVisible(desktop.getByText('导入完成'));
      const { items } = await getJson<{ items: MemberRow[] }>(desktop, `/api/org/members?search=${code}`);
      if (!items.some((item) => item.code === code)) throw new Error(`imported member ${code} not found`);
    });
  }

  const phone = await open('phone');

  await step(phone, 'phone-roles', async () => {
    await phone.goto('/admin/roles');
    await expectPath(phone, '/login');
    await signInAsAdmin(phone);
    await expectPath(phone, '/admin/roles');
    await expectVisible(heading(phone, '角色'));
    await phone.getByRole('searchbox', { name: '按名称或编码搜索角色' }).fill(stamp);
    await phone.locator('.roles-table .ant-table-row', { hasText: ROLE_NAME }).click();
    await expectVisible(phone.locator('.roles-holders-table').getByText(member?.name ?? '', { exact: true }));
    await expectNoHorizontalOverflow(phone);
    await phone.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  });

  await step(phone, 'phone-assign-dialog', async () => {
    await phone.locator('.roles-holders-card').getByRole('button', { name: '添加成员' }).click();
    const dialog = phone.getByRole('dialog', { name: `为“${ROLE_NAME}”添加成员` });
    await expectVisible(dialog);
    await dialog.getByText('指定部门', { exact: true }).click();
    await expectVisible(dialog.getByText('部门', { exact: true }));
    await expectNoHorizontalOverflow(phone);
    await button(dialog, '取消').click();
    await expectHidden(dialog);
  });

  await step(phone, 'phone-posts', async () => {
    await phone.goto('/admin/posts');
    await expectVisible(heading(phone, '岗位'));
    await expectVisible(phone.locator('.posts-table .ant-table-row').first());
    await expectNoHorizontalOverflow(phone);
  });

  await step(phone, 'phone-levels', async () => {
    await phone.goto('/admin/levels');
    await expectVisible(heading(phone, '职务级别'));
    await expectVisible(phone.locator('.levels-table .ant-table-row').first());
    await expectNoHorizontalOverflow(phone);
  });

  await step(phone, 'phone-import', async () => {
    await phone.goto('/admin/org/import');
    await expectVisible(heading(phone, '组织导入导出'));
    await expectNoHorizontalOverflow(phone);
    await phone.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  });
});
