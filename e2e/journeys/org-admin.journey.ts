// (antd spaces out two-character Chinese button labels, "移 动", hence the /^移\s?动$/ names.)
// Administration › Organisation and › Audit log, as the administrator on a desktop: find a
// department, move it under another (through the accessible "move to…" dialog, then once more by
// drag-and-drop in the tree), add a member, and find both changes in the audit log. Then the
// organisation page on a phone: tree above the details, nothing wider than the screen.
import type { Page } from 'playwright-core';
import {
  ADMIN_LOGIN,
  changeAdminPassword,
  currentAdminPassword,
  readSession,
  signInAsAdmin,
  submitLogin,
  tryWeakPassword,
} from '../lib/admin.ts';
import {
  expectHidden,
  expectNoHorizontalOverflow,
  expectPath,
  expectTitleContains,
  expectVisible,
} from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';

type Department = { id: string; name: string; parentId: string | null };
type TreeNode = Department & { children: TreeNode[] };

function heading(page: Page, name: string) {
  return page.getByRole('heading', { level: 1, name, exact: true });
}

function treeNode(page: Page, name: string) {
  return page
    .locator('.org-tree .ant-tree-node-content-wrapper')
    .filter({ has: page.locator('.org-tree-name', { hasText: new RegExp(`^${name}$`) }) });
}

async function departmentsByName(page: Page): Promise<Map<string, Department>> {
  const response = await page.request.get('/api/org/departments/tree');
  if (!response.ok()) throw new Error(`GET /api/org/departments/tree: HTTP ${response.status()}`);
  const byName = new Map<string, Department>();
  const walk = (nodes: TreeNode[]) => {
    for (const node of nodes) {
      byName.set(node.name, node);
      walk(node.children);
    }
  };
  walk(((await response.json()) as { items: TreeNode[] }).items);
  return byName;
}

async function expectParent(page: Page, child: string, parent: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let found: string | null | undefined;
  while (Date.now() < deadline) {
    const departments = await departmentsByName(page);
    found = departments.get(child)?.parentId;
    if (found && found === departments.get(parent)?.id) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`expected ${child} under ${parent}, its parent is ${found}`);
}

/** Opens an antd Select, types to filter its options and takes the first match. */
async function pick(page: Page, select: ReturnType<Page['locator']>, text: string): Promise<void> {
  await select.click();
  await page.keyboard.type(text);
  await expectVisible(page.locator('.ant-select-item-option-active', { hasText: text }));
  await page.keyboard.press('Enter');
}

await journey('org-admin', async ({ open, step }) => {
  const desktop = await open('desktop');

  let mustChange = false;
  await step(desktop, 'sign-in', async () => {
    await desktop.goto('/admin/org');
    await expectPath(desktop, '/login');
    const session = await submitLogin(desktop, ADMIN_LOGIN, currentAdminPassword());
    if (!session.permissions.includes('org.write') || !session.permissions.includes('audit.read')) {
      throw new Error(`admin lacks org.write or audit.read: ${session.permissions.join(', ')}`);
    }
    // Either this journey is the first to sign in (the first-start password must change) or not.
    mustChange = session.mustChangePassword;
    await expectPath(desktop, mustChange ? '/change-password' : '/admin/org');
  });

  if (mustChange) {
    await step(desktop, 'change-password-weak', async () => {
      await tryWeakPassword(desktop);
      await expectPath(desktop, '/change-password');
      // The server's rule code, worded in the page's language.
      await expectVisible(desktop.getByText('需包含小写字母、大写字母、数字、符号中的至少三类', { exact: true }));
    });

    await step(desktop, 'change-password', async () => {
      await changeAdminPassword(desktop);
      // ?next= brings the administrator on to the page they asked for.
      await expectPath(desktop, '/admin/org');
      const session = await readSession(desktop);
      if (session?.mustChangePassword !== false) throw new Error('mustChangePassword still set');
    });
  }

  await step(desktop, 'open-organisation', async () => {
    await desktop.goto('/');
    await desktop.getByRole('menuitem', { name: '管理' }).click();
    await desktop.getByRole('menuitem', { name: '组织架构' }).click();
    await expectPath(desktop, '/admin/org');
    await expectVisible(heading(desktop, '组织架构'));
    await expectTitleContains(desktop, '组织架构');
    await expectVisible(treeNode(desktop, '财务中心'));
    await expectVisible(desktop.getByRole('button', { name: '新增人员' }));
  });

  await step(desktop, 'search-department', async () => {
    await desktop.getByRole('searchbox', { name: '按名称或编码搜索部门' }).fill('政策研究');
    await expectVisible(treeNode(desktop, '政策研究院'));
    await expectHidden(treeNode(desktop, '财务中心'));
    await treeNode(desktop, '政策研究院').click();
    await expectVisible(desktop.locator('.org-detail-title', { hasText: '政策研究院' }));
    await expectVisible(desktop.locator('.org-detail-card').getByText('20-00138', { exact: true }));
    await expectVisible(desktop.locator('.org-breadcrumb', { hasText: '政府事务部 / 政策研究院' }));
  });

  await step(desktop, 'move-dialog', async () => {
    await desktop.getByRole('button', { name: '移动到…' }).click();
    const dialog = desktop.getByRole('dialog', { name: '移动“政策研究院”' });
    await expectVisible(dialog);
    await pick(desktop, dialog.locator('.org-move-select'), '战略部');
    await dialog.getByRole('button', { name: '下一步' }).click();
    await expectVisible(desktop.getByText('将“政策研究院”（含其下级部门）移动到“战略部”之下？'));
  });

  await step(desktop, 'move-confirmed', async () => {
    await desktop
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /^移\s?动$/ })
      .click();
    await expectVisible(desktop.getByText('已移动“政策研究院”'));
    await expectVisible(desktop.locator('.org-breadcrumb', { hasText: '战略部 / 政策研究院' }));
    await expectParent(desktop, '政策研究院', '战略部');
  });

  await step(desktop, 'drag-and-drop-move', async () => {
    await desktop.getByRole('searchbox', { name: '按名称或编码搜索部门' }).fill('');
    await expectVisible(treeNode(desktop, '档案室'));
    // antd reads the drop depth from how far right the pointer moved: start at the left edge of the
    // dragged title and let go at the right end of the target's lower half (the upper half means
    // "after the node above"), so it lands inside the target, not beside it.
    const target = await treeNode(desktop, '法务部').boundingBox();
    if (!target) throw new Error('法务部 is not rendered');
    await treeNode(desktop, '档案室').dragTo(treeNode(desktop, '法务部'), {
      sourcePosition: { x: 4, y: 10 },
      targetPosition: { x: target.width - 8, y: target.height * 0.75 },
    });
    const confirm = desktop.locator('.ant-modal-confirm');
    await expectVisible(confirm.getByText('将“档案室”（含其下级部门）移动到“法务部”之下？'));
    await confirm.getByRole('button', { name: /^移\s?动$/ }).click();
    await expectVisible(desktop.getByText('已移动“档案室”'));
    await expectParent(desktop, '档案室', '法务部');
  });

  await step(desktop, 'add-member-form', async () => {
    await desktop.getByRole('searchbox', { name: '按名称或编码搜索部门' }).fill('政策研究院');
    await treeNode(desktop, '政策研究院').click();
    await expectVisible(desktop.locator('.org-detail-title', { hasText: '政策研究院' }));
    await desktop.getByRole('button', { name: '新增人员' }).click();
    const dialog = desktop.getByRole('dialog', { name: '在“政策研究院”新增人员' });
    await expectVisible(dialog);
    await dialog.getByLabel('工号').fill('E2E-0001');
    await dialog.getByLabel('姓名').fill('测试员工');
    await dialog.getByLabel('登录名').fill('e2e.tester');
    await dialog.getByLabel('电子邮箱').fill('e2e.tester@example.com');
    await dialog.getByLabel('手机号码').fill('13800000000');
    await pick(desktop, dialog.locator('.ant-form-item:has(#postId) .ant-select'), '政策研究员');
    await pick(desktop, dialog.locator('.ant-form-item:has(#levelId) .ant-select'), '专员');
  });

  await step(desktop, 'add-member-saved', async () => {
    await desktop
      .getByRole('dialog')
      .getByRole('button', { name: /^保\s?存$/ })
      .click();
    await expectVisible(desktop.getByText('已新增人员“测试员工”'));
    await expectVisible(desktop.locator('.org-members-table').getByText('测试员工', { exact: true }));
    await expectVisible(desktop.locator('.org-members-table').getByText('E2E-0001', { exact: true }));
  });

  await step(desktop, 'audit-log', async () => {
    await desktop.getByRole('menuitem', { name: '审计日志' }).click();
    await expectPath(desktop, '/admin/audit');
    await expectVisible(heading(desktop, '审计日志'));
    await expectVisible(desktop.locator('.audit-table').getByText('org.member.create', { exact: true }));
  });

  await step(desktop, 'audit-log-filtered', async () => {
    await desktop.locator('.audit-action-filter input').fill('org.department.*');
    await desktop.keyboard.press('Escape');
    await desktop.getByRole('button', { name: '查询' }).click();
    const table = desktop.locator('.audit-table');
    await expectVisible(table.getByText('org.department.move', { exact: true }).first());
    await expectHidden(table.getByText('org.member.create', { exact: true }));
    const moves = await table.getByText('org.department.move', { exact: true }).count();
    if (moves !== 2) throw new Error(`expected 2 org.department.move entries, found ${moves}`);
    // The actor is shown by name, not id, and the detail opens on demand.
    const row = table.locator('tr', { hasText: 'org.department.move' }).first();
    await row.locator('.audit-detail summary').click();
    await expectVisible(row.locator('.audit-detail pre', { hasText: '"parentId"' }));
  });

  const phone = await open('phone');

  await step(phone, 'phone-organisation', async () => {
    await phone.goto('/admin/org');
    await expectPath(phone, '/login');
    await signInAsAdmin(phone);
    await expectPath(phone, '/admin/org');
    await expectVisible(heading(phone, '组织架构'));
    await expectVisible(treeNode(phone, '财务中心'));
    await expectVisible(phone.locator('.org-detail-title').first());
    const tree = await phone.locator('.org-tree-card').boundingBox();
    const detail = await phone.locator('.org-detail-card').boundingBox();
    if (!tree || !detail) throw new Error('tree or details not rendered');
    if (detail.y < tree.y + tree.height) throw new Error('the details do not sit below the tree on a phone');
    await expectNoHorizontalOverflow(phone);
  });

  await step(phone, 'phone-department-details', async () => {
    await treeNode(phone, '财务中心').click();
    await expectVisible(phone.locator('.org-detail-title', { hasText: '财务中心' }));
    await expectNoHorizontalOverflow(phone);
    // Back to the top, so the full-page screenshot is not crossed by the sticky header.
    await phone.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  });
});
