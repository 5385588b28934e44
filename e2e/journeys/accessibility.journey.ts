// axe-core on the pages people use all day — the workspace, a request, a data-centre list and a report, on a
// desktop and on a 390×844 phone, in Chinese and English: a serious or critical WCAG 2.1 A/AA violation fails
// the step (e2e/lib/axe.ts). A salesperson of the demo organisation: they have customers, reports and requests.
import type { Page } from 'playwright-core';
import { expectAccessible } from '../lib/axe.ts';
import { expectHtmlLang, expectVisible } from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';
import { holderOf, sendJson, signIn } from '../lib/people.ts';

/** The chart and table have drawn (or said there is nothing to draw). */
async function reportDrawn(page: Page): Promise<void> {
  await expectVisible(page.locator('.report-table, .report-empty, .ant-empty').first());
}

await journey('accessibility', async ({ open, step }) => {
  const salesperson = holderOf('salesperson');
  const desktop = await open('desktop');
  const phone = await open('phone');
  let instanceId = '';

  await step(desktop, 'workspace', async () => {
    await signIn(desktop, salesperson, '/');
    await expectVisible(desktop.getByRole('heading', { level: 1, name: '工作台' }));
    await expectVisible(desktop.locator('.work-home-tile').first());
    await expectAccessible(desktop, 'workspace');
  });

  await step(desktop, 'request-page', async () => {
    const filed = await sendJson<{ instanceId: string }>(desktop, '/api/flows/demo/leave/instances', {
      title: `无障碍检查 ${Date.now().toString(36)}`,
      values: { leaveType: 'annual', startDate: '2026-12-28', endDate: '2026-12-29', days: 2, reason: '年假' },
    });
    instanceId = filed.instanceId;
    await desktop.goto(`/work/instances/${instanceId}`);
    await expectVisible(desktop.locator('.work-history'));
    await expectVisible(desktop.locator('.flow-node').first());
    await expectAccessible(desktop, 'request page');
  });

  await step(desktop, 'data-centre-list', async () => {
    await desktop.goto('/records/crm/customerArchive');
    await expectVisible(desktop.locator('.ant-table-row').first());
    await expectAccessible(desktop, 'data centre list');
  });

  await step(desktop, 'report', async () => {
    await desktop.goto('/reports');
    await desktop.locator('.reports-tile').first().click();
    await reportDrawn(desktop);
    await expectAccessible(desktop, 'report');
  });

  await step(desktop, 'report-in-english', async () => {
    await desktop.locator('.language-switch').getByText('English', { exact: true }).click();
    await expectHtmlLang(desktop, 'en-US');
    await reportDrawn(desktop);
    await expectAccessible(desktop, 'report (en-US)');
    // Back to Chinese: the choice is saved on the member, and later journeys read server texts in it.
    await desktop.locator('.language-switch').getByText('中文', { exact: true }).click();
    await expectHtmlLang(desktop, 'zh-CN');
  });

  await step(phone, 'phone-workspace', async () => {
    await signIn(phone, salesperson, '/');
    await expectVisible(phone.locator('.work-home-tile').first());
    await expectAccessible(phone, 'workspace (phone)');
  });

  await step(phone, 'phone-request-page', async () => {
    await phone.goto(`/work/instances/${instanceId}`);
    await expectVisible(phone.locator('.work-history'));
    await expectAccessible(phone, 'request page (phone)');
  });

  await step(phone, 'phone-data-centre-list', async () => {
    await phone.goto('/records/crm/customerArchive');
    await expectVisible(phone.locator('.ant-table-row, .record-card').first());
    await expectAccessible(phone, 'data centre list (phone)');
  });
});
