// The administrator's system pages: 系统设置 (a refused combination comes back on its field, a valid change is saved,
// audited and read by the next sign-in), 定时任务 (a timed rule's schedule paused with a confirmation and resumed,
// timers with their due time and lease), the version history of a flow in 流程设计 and a rule's latest runs in 业务规则;
// the overview 管理 with a card per area the member may use (none for a member without rights);
// the pages pass axe and fit a 390 px phone. The settings are put back as they were at the end, so other journeys
// meet the defaults.
import { signInAsAdmin } from '../lib/admin.ts';
import { expectAccessible } from '../lib/axe.ts';
import { expectCount, expectNoHorizontalOverflow, expectPath, expectVisible } from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';
import { expectText, getJson, holderOf, sendJson, signIn } from '../lib/people.ts';

type Settings = {
  access: { values: { sessionIdleMs: number; sessionAbsoluteMs: number }; defaults: Record<string, number> };
  upload: { values: { maxFileMb: number }; defaults: { maxFileMb: number } };
};
type Schedules = { schedules: { key: string; enabled: boolean; nextDueAt: string | null }[] };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

await journey('admin-system', async ({ open, step }) => {
  const admin = await open('desktop');
  const phone = await open('phone');
  let before: Settings | undefined;

  await step(admin, 'settings-page', async () => {
    await signInAsAdmin(admin);
    // Start from the defaults whatever an earlier run left, so every change below is one.
    const found = await getJson<Settings>(admin, '/api/settings');
    const { sessionIdleMs, sessionAbsoluteMs } = found.access.defaults as {
      sessionIdleMs: number;
      sessionAbsoluteMs: number;
    };
    before = await sendJson<Settings>(
      admin,
      '/api/settings',
      { access: { sessionIdleMs, sessionAbsoluteMs }, upload: { maxFileMb: found.upload.defaults.maxFileMb } },
      'PUT',
    );
    await admin.goto('/admin/settings');
    await expectVisible(admin.getByRole('heading', { level: 1, name: '系统设置' }));
    await expectVisible(admin.locator('.settings-deployment'));
    await expectText(admin.locator('.settings-deployment'), 'SQLite');
    await expectAccessible(admin, 'settings');
  });

  await step(admin, 'settings-refused-on-its-field', async () => {
    await admin.getByLabel('空闲超时').fill('600');
    await admin.getByLabel('最长会话').fill('4');
    await admin.locator('.settings-save').click();
    await expectText(admin.locator('.settings-form'), '空闲超时不能长于最长会话');
    const unchanged = await getJson<Settings>(admin, '/api/settings');
    if (unchanged.access.values.sessionIdleMs !== before?.access.values.sessionIdleMs) {
      throw new Error('a refused change was stored');
    }
  });

  await step(admin, 'settings-saved-and-audited', async () => {
    await admin.getByLabel('空闲超时').fill('30');
    await admin.getByLabel('最长会话').fill('8');
    await admin.getByLabel('单个文件上限').fill('25');
    await admin.locator('.settings-save').click();
    await expectVisible(admin.getByText('系统设置已保存'));
    await expectText(admin.locator('.settings-changed').first(), '修改');
    const saved = await getJson<Settings>(admin, '/api/settings');
    if (saved.access.values.sessionIdleMs !== 30 * MINUTE || saved.access.values.sessionAbsoluteMs !== 8 * HOUR) {
      throw new Error(`saved ${JSON.stringify(saved.access.values)}`);
    }
    if (saved.upload.values.maxFileMb !== 25) throw new Error(`upload ceiling ${saved.upload.values.maxFileMb}`);
    const audit = await getJson<{
      items: { action: string; detail: { access?: { after: { sessionIdleMs: number } } } }[];
    }>(admin, '/api/audit?action=settings.update&limit=1');
    if (audit.items[0]?.detail.access?.after.sessionIdleMs !== 30 * MINUTE)
      throw new Error('the change is not audited');
  });

  await step(phone, 'next-sign-in-gets-the-new-session-length', async () => {
    const member = holderOf('buyer');
    await signIn(phone, member, '/');
    const session = (await phone.context().cookies()).find((cookie) => cookie.name === 'baton_session');
    const hours = session ? (session.expires * 1000 - Date.now()) / HOUR : 0;
    if (hours > 8.05 || hours < 7.5) throw new Error(`the session cookie lasts ${hours.toFixed(2)} h, expected 8`);
  });

  await step(phone, 'overview-without-rights', async () => {
    // The buyer administers nothing: 管理 says so instead of showing cards that lead to refusals.
    await phone.goto('/admin');
    await expectVisible(phone.getByRole('heading', { level: 1, name: '管理' }));
    await expectText(phone.locator('.admin-home-empty'), '您没有任何管理权限');
    await expectCount(phone.locator('.admin-home-card'), 0);
  });

  await step(admin, 'overview-cards-lead-to-the-areas', async () => {
    // 管理 → 概览 (the sub-menu is open on an administration page) lists the other entries of the sub-menu as
    // cards, each with a line and, where cheap, a figure.
    await admin.getByRole('menuitem', { name: '概览' }).click();
    await expectPath(admin, '/admin');
    await expectVisible(admin.getByRole('heading', { level: 1, name: '管理' }));
    const entries = await admin.locator('.app-sider .ant-menu-sub .ant-menu-item').count();
    if (entries < 10) throw new Error(`the 管理 menu shows ${entries} entries to the administrator`);
    await expectCount(admin.locator('.admin-home-card'), entries - 1);
    await expectText(admin.locator('[data-path="/admin/forms"] .admin-home-figure'), /^已发布 [1-9]\d* 个表单$/);
    await expectText(admin.locator('[data-path="/admin/schedules"] .admin-home-figure'), /定时器/);
    await expectText(admin.locator('[data-path="/admin/settings"] .admin-home-description'), '会话时长');
    await expectAccessible(admin, 'administration overview');
    await admin.locator('[data-path="/admin/schedules"]').click();
    await expectPath(admin, '/admin/schedules');
    await expectVisible(admin.getByRole('heading', { level: 1, name: '定时任务' }));
  });

  await step(admin, 'schedules-page', async () => {
    await admin.goto('/admin/schedules');
    await expectVisible(admin.getByRole('heading', { level: 1, name: '定时任务' }));
    await expectVisible(admin.locator('.schedules-recurring .ant-table-row').first());
    await expectVisible(admin.locator('.schedules-timers .ant-table-row').first());
    await expectVisible(admin.locator('.schedules-counts .ant-table-row').first());
    await expectAccessible(admin, 'schedules');
  });

  let key = '';
  await step(admin, 'schedule-paused-with-confirmation', async () => {
    const row = admin.locator('.schedules-recurring .ant-table-row').first();
    key = (await row.getAttribute('data-schedule')) ?? '';
    await row.locator('.schedules-switch').click();
    const confirm = admin.locator('.ant-modal-confirm');
    await expectText(confirm, '暂停定时计划');
    await confirm.locator('.schedules-pause-ok').click();
    await expectText(admin.locator(`[data-schedule="${key}"]`), '已暂停');
    const listed = await getJson<Schedules>(admin, '/api/schedules');
    if (listed.schedules.find((s) => s.key === key)?.enabled !== false) throw new Error(`${key} is not paused`);
  });

  await step(admin, 'schedule-resumed', async () => {
    await admin.locator(`[data-schedule="${key}"] .schedules-switch`).click();
    await expectVisible(admin.locator(`[data-schedule="${key}"] .schedules-switch.ant-switch-checked`));
    const listed = await getJson<Schedules>(admin, '/api/schedules');
    const schedule = listed.schedules.find((s) => s.key === key);
    if (!schedule?.enabled || !schedule.nextDueAt)
      throw new Error(`${key} did not resume: ${JSON.stringify(schedule)}`);
    const audit = await getJson<{ items: { action: string }[] }>(admin, '/api/audit?action=schedule.*&limit=2');
    if (audit.items.map((entry) => entry.action).join() !== 'schedule.resume,schedule.pause') {
      throw new Error(`audit: ${audit.items.map((entry) => entry.action).join()}`);
    }
  });

  await step(admin, 'failed-timers-filter', async () => {
    await admin.locator('.schedules-timers .ant-segmented-item', { hasText: '失败' }).click();
    await expectVisible(admin.locator('.schedules-timers .ant-segmented-item-selected', { hasText: '失败' }));
    await expectVisible(
      admin.locator('.schedules-timers .ant-table-row, .schedules-timers .ant-table-placeholder').first(),
    );
  });

  await step(admin, 'flow-versions', async () => {
    await admin.goto('/admin/flows');
    const row = admin.locator('.ant-table-row', { hasText: 'demo.leave' });
    await row.locator('.ant-table-row-expand-icon').click();
    const versions = admin.locator('.flow-design-versions');
    await expectVisible(versions);
    await expectText(versions, 'v1');
  });

  await step(admin, 'rule-recent-runs', async () => {
    // The demo's approved sales contracts ran the archive rule: its latest runs link to their requests.
    await admin.goto('/admin/rules');
    const row = admin.locator('[data-rule="contracts.salesContractApproved"]');
    await row.locator('.ant-table-row-expand-icon').click();
    const runs = admin.locator('.rule-runs');
    await expectVisible(runs.locator('.ant-table-row').first());
    await expectText(runs, '已生效');
    const href = (await runs.locator('a', { hasText: '查看申请' }).first().getAttribute('href')) ?? '';
    if (!href.startsWith('/work/instances/')) throw new Error(`a run links to ${href}`);
  });

  await step(phone, 'schedules-on-a-phone', async () => {
    // The buyer holds no schedule.admin: the administrator's phone session does.
    await phone.context().clearCookies();
    await phone.goto('/admin/schedules');
    await signInAsAdmin(phone);
    await phone.goto('/admin/schedules');
    await expectVisible(phone.locator('.schedules-recurring .ant-table-row').first());
    await expectNoHorizontalOverflow(phone);
  });

  await step(phone, 'overview-on-a-phone', async () => {
    await phone.goto('/admin');
    await expectVisible(phone.locator('.admin-home-card').first());
    await expectText(phone.locator('[data-path="/admin/org"] .admin-home-figure'), /^\d+ 个部门$/);
    await expectNoHorizontalOverflow(phone);
  });

  await step(admin, 'settings-put-back', async () => {
    if (!before) throw new Error('no settings read at the start');
    const defaults = before.access.defaults as { sessionIdleMs: number; sessionAbsoluteMs: number };
    await sendJson(
      admin,
      '/api/settings',
      {
        access: { sessionIdleMs: defaults.sessionIdleMs, sessionAbsoluteMs: defaults.sessionAbsoluteMs },
        upload: { maxFileMb: before.upload.values.maxFileMb },
      },
      'PUT',
    );
    await admin.goto('/admin/settings');
    await expectVisible(admin.getByLabel('空闲超时'));
    if ((await admin.getByLabel('空闲超时').inputValue()) !== String(defaults.sessionIdleMs / MINUTE)) {
      throw new Error('the settings were not put back');
    }
  });
});
