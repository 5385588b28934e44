// 报表 over the CRM pack's Chinese demo data: a report with parameters is published over the opportunity form,
// opened from the side menu's catalogue; a parameter changes the figures; the chart and the table show them;
// clicking a bar lists exactly the records behind it (each linking to its record); the result is exported as CSV;
// the report is pinned and found on the workspace; a request behind a report prints as its paper form; English
// shows English labels; a phone at 390×844 drills from a figure of the table.
import { readFile } from 'node:fs/promises';
import type { APIResponse, Locator, Page } from 'playwright-core';
import { signInAsAdmin } from '../lib/admin.ts';
import { expectHtmlLang, expectNoHorizontalOverflow, expectPath, expectVisible } from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';

const PACK = 'e2eReports';
const KEY = 'opportunityStages';
const l = (zh: string, en: string) => ({ zh, en });

/** Opportunities by stage, with every kind of parameter the panel draws. */
const definition = {
  pack: PACK,
  key: KEY,
  label: l('商机阶段统计', 'Opportunities by stage'),
  form: { pack: 'crm', key: 'opportunity' },
  params: [
    { key: 'period', type: 'dateRange', label: l('录入日期', 'Entry date') },
    { key: 'team', type: 'department', label: l('部门', 'Department') },
    { key: 'owner', type: 'member', label: l('负责人', 'Owner') },
    { key: 'stages', type: 'options', label: l('销售阶段', 'Sales stage'), field: 'stage' },
  ],
  filters: [
    { field: 'enteredAt', param: 'period' },
    { field: 'departmentId', param: 'team' },
    { field: 'ownerId', param: 'owner' },
    { field: 'stage', param: 'stages' },
  ],
  rows: [{ field: 'stage' }],
  measures: [
    { key: 'opportunities', agg: 'count', label: l('商机数', 'Opportunities') },
    { key: 'amount', agg: 'sum', field: 'expectedAmount', label: l('预计金额', 'Expected amount') },
  ],
  totals: true,
  chart: { kind: 'bar', x: 'stage', measures: ['opportunities'] },
};

type Row = {
  kind: string;
  keys: Record<string, unknown>;
  labels: Record<string, string>;
  values: Record<string, number>;
};

async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'baton_csrf')?.value;
  return csrf ? { 'X-CSRF-Token': decodeURIComponent(csrf) } : {};
}

async function ok<T>(response: APIResponse, what: string): Promise<T> {
  if (!response.ok()) throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The figures the server computes for these parameters: what the page must show. */
async function expected(page: Page, params: Record<string, unknown>): Promise<Row[]> {
  const result = await ok<{ rows: Row[] }>(
    await page.request.post(`/api/reports/${PACK}/${KEY}/run`, {
      data: { params },
      headers: { ...(await csrfHeaders(page)), 'Accept-Language': 'zh-CN' },
    }),
    'run',
  );
  return result.rows;
}

async function expectText(locator: Locator, text: string): Promise<void> {
  await expectVisible(locator);
  const deadline = Date.now() + 10_000;
  let actual = (await locator.textContent()) ?? '';
  while (!actual.includes(text) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    actual = (await locator.textContent()) ?? '';
  }
  if (!actual.includes(text)) throw new Error(`expected "${text}" in ${locator}, found "${actual}"`);
}

/** Waits for the drill list to settle on its whole count and checks it lists that many records. */
async function expectDrillCount(page: Page, count: number, rows: string): Promise<void> {
  const counter = page.locator('.report-drill-count[data-count]');
  await expectVisible(counter);
  const shown = Number(await counter.getAttribute('data-count'));
  if (shown !== count) throw new Error(`the drill list says ${shown} records, the figure was ${count}`);
  const listed = await page.locator(rows).count();
  if (listed !== count) throw new Error(`the drill list shows ${listed} records, the figure was ${count}`);
}

await journey('reports', async ({ open, step }) => {
  const desktop = await open('desktop');
  const chosen = ['lead', 'qualified', 'won'];
  let rows: Row[] = [];

  await step(desktop, 'publish-report-over-demo-opportunities', async () => {
    await signInAsAdmin(desktop);
    await ok(
      await desktop.request.post('/api/reports', { data: definition, headers: await csrfHeaders(desktop) }),
      'publish',
    );
    const all = await expected(desktop, {});
    const total = all.find((row) => row.kind === 'total')?.values.opportunities ?? 0;
    if (total < 5) throw new Error(`the CRM demo data should hold several opportunities, the report counts ${total}`);
  });

  await step(desktop, 'catalogue-from-the-side-menu', async () => {
    await desktop.goto('/');
    await desktop.getByRole('menuitem', { name: '报表', exact: true }).click();
    await expectPath(desktop, '/reports');
    await expectVisible(desktop.getByRole('heading', { name: '客户统计' }));
    await expectVisible(desktop.locator(`[data-report="crm.opportunitiesByStage"]`));
    await desktop.locator(`[data-report="${PACK}.${KEY}"]`).click();
    await expectPath(desktop, `/reports/${PACK}/${KEY}`);
    await expectVisible(desktop.getByRole('heading', { name: '商机阶段统计' }));
    await expectVisible(desktop.locator('.report-chart[data-points]'));
    await expectVisible(desktop.locator('.report-table .report-row-total'));
  });

  await step(desktop, 'change-a-parameter', async () => {
    rows = (await expected(desktop, { stages: chosen })).filter((row) => row.kind === 'detail');
    await desktop.locator('#report-param-stages').click();
    for (const label of ['线索', '已确认', '赢单']) {
      await desktop.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
    }
    await desktop.keyboard.press('Escape');
    await desktop.getByRole('button', { name: '查询' }).click();
    await desktop.waitForURL((url) => url.searchParams.get('p')?.includes('stages') === true);
    // One table row per chosen stage that has opportunities, then the total.
    const detail = desktop.locator('.report-table tbody .report-row-detail');
    const deadline = Date.now() + 10_000;
    while ((await detail.count()) !== rows.length && Date.now() < deadline) await desktop.waitForTimeout(100);
    if ((await detail.count()) !== rows.length) {
      throw new Error(`the table shows ${await detail.count()} stages, the server found ${rows.length}`);
    }
    const total = rows.reduce((sum, row) => sum + (row.values.opportunities ?? 0), 0);
    await expectText(desktop.locator('.report-table .report-row-total'), String(total));
    const points = JSON.parse((await desktop.locator('.report-chart').getAttribute('data-points')) ?? '[]');
    if (points.length !== rows.length) throw new Error(`the chart has ${points.length} bars for ${rows.length} stages`);
  });

  await step(desktop, 'click-a-bar-lists-its-records', async () => {
    const chart = desktop.locator('.report-chart');
    const points = JSON.parse((await chart.getAttribute('data-points')) ?? '[]') as {
      i: number;
      x: number;
      y: number;
    }[];
    // The bar with the most opportunities, so the list has more than one record where the data allows.
    const index = rows.reduce(
      (best, row, i) => ((row.values.opportunities ?? 0) > (rows[best]?.values.opportunities ?? 0) ? i : best),
      0,
    );
    const bar = points.find((point) => point.i === index);
    if (!bar) throw new Error(`no bar for stage ${index}`);
    await chart.click({ position: { x: bar.x, y: bar.y } });
    await expectVisible(desktop.locator('.report-drill'));
    await expectText(desktop.locator('.report-drill-figure'), rows[index]?.labels.stage ?? '');
    await expectDrillCount(
      desktop,
      rows[index]?.values.opportunities ?? -1,
      '.report-drill-table tbody tr.ant-table-row',
    );
    const href = await desktop.locator('.report-drill-record').first().getAttribute('href');
    if (!href?.startsWith('/records/crm/opportunity/')) throw new Error(`a drilled record links to ${href}`);
  });

  await step(desktop, 'open-a-drilled-record', async () => {
    await desktop.locator('.report-drill-record').first().click();
    await desktop.waitForURL((url) => url.pathname.startsWith('/records/crm/opportunity/'));
    await expectVisible(desktop.locator('.form-view[data-form="crm.opportunity"]'));
    await desktop.goBack();
    await expectVisible(desktop.locator('.report-table .report-row-total'));
  });

  await step(desktop, 'export-csv', async () => {
    await desktop.locator('.report-export').hover();
    const download = desktop.waitForEvent('download');
    await desktop.getByRole('menuitem', { name: 'CSV（.csv）' }).click();
    const file = await download;
    if (!file.suggestedFilename().endsWith('.csv')) throw new Error(`saved as ${file.suggestedFilename()}`);
    const text = await readFile((await file.path()) as string, 'utf8');
    for (const row of rows) {
      const label = row.labels.stage ?? '';
      if (!text.includes(label)) throw new Error(`the CSV lacks the stage ${label}: ${text.slice(0, 400)}`);
    }
    if (!text.includes('商机数')) throw new Error(`the CSV has no 商机数 column: ${text.slice(0, 200)}`);
    // The progress notice counted the rows against the total the server sent ahead (X-Total-Count).
    const sent = (await expected(desktop, { stages: chosen })).length;
    await expectVisible(desktop.locator('.export-progress-done', { hasText: new RegExp(`(^|\\D)${sent} 行`) }));
  });

  await step(desktop, 'pin-and-find-it-on-the-workspace', async () => {
    // Run again against the same server, the report may still be pinned from before: start unpinned.
    if ((await desktop.locator('.report-pin').getAttribute('aria-pressed')) === 'true') {
      await desktop.locator('.report-pin').click();
      await expectVisible(desktop.locator('.report-pin[aria-pressed="false"]'));
    }
    await desktop.locator('.report-pin').click();
    await expectVisible(desktop.locator('.report-pin[aria-pressed="true"]'));
    await desktop.getByRole('menuitem', { name: '工作台', exact: true }).click();
    await expectPath(desktop, '/');
    const card = desktop.locator(`.pinned-report[data-report="${PACK}.${KEY}"]`);
    await expectText(card, '商机阶段统计');
    const total = rows.reduce((sum, row) => sum + (row.values.opportunities ?? 0), 0);
    await expectText(card.locator('.pinned-report-figures'), String(total));
    await expectVisible(card.locator('.report-chart'));
    // The installed CRM pack's entries the administrator may use.
    await expectVisible(desktop.locator('.app-entry', { hasText: '客户档案' }));
    await card.locator('.pinned-report-title').click();
    await desktop.waitForURL((url) => url.pathname === `/reports/${PACK}/${KEY}` && url.search.includes('stages'));
  });

  await step(desktop, 'print-a-drilled-request', async () => {
    // A service record of the demo data came through its review flow: from its figure to the request with its
    // flow history, and the request prints with the approvals.
    const drill = await ok<{ records: { flowInstanceId: string | null }[] }>(
      await desktop.request.post('/api/reports/crm/servicesByType/drill', {
        data: { cell: { keys: {} } },
        headers: await csrfHeaders(desktop),
      }),
      'drill',
    );
    const instance = drill.records.find((record) => record.flowInstanceId)?.flowInstanceId;
    if (!instance) throw new Error('no demo service record came through a flow');
    await desktop.goto('/reports/crm/servicesByType');
    await desktop.locator('.report-table .report-row-total .report-figure').last().click();
    await expectVisible(desktop.locator('.report-drill'));
    await desktop.locator(`.report-drill-request[href="/work/instances/${instance}"]`).click();
    await expectPath(desktop, `/work/instances/${instance}`);
    await expectVisible(desktop.locator('.work-history-card .work-history'));
    const href = await desktop.locator('.work-print').getAttribute('href');
    if (href !== `/print/instances/${instance}`) throw new Error(`打印 links to ${href}`);
    await desktop.goto(href);
    await expectVisible(desktop.locator('.print-sheet h1'));
    await expectVisible(desktop.locator('.print-history tbody tr[data-action="approve"]'));
    if ((await desktop.locator('.app-sider, .app-header').count()) > 0)
      throw new Error('the print view shows the menus');
    await desktop.evaluate(() => {
      const page = globalThis as unknown as { print: () => void; printed?: boolean };
      page.print = () => {
        page.printed = true;
      };
    });
    await desktop.locator('.print-now').click();
    const printed = await desktop.evaluate(() => (globalThis as unknown as { printed?: boolean }).printed === true);
    if (!printed) throw new Error('打印 did not call window.print()');
    await desktop.goto(`/reports/${PACK}/${KEY}`);
  });

  await step(desktop, 'english-labels', async () => {
    await desktop.locator('.language-switch').getByText('English', { exact: true }).click();
    await expectHtmlLang(desktop, 'en-US');
    await expectVisible(desktop.getByRole('heading', { name: 'Opportunities by stage' }));
    await expectVisible(desktop.getByRole('button', { name: 'Apply' }));
    await expectVisible(desktop.locator('.report-param-label', { hasText: 'Sales stage' }));
    await expectVisible(desktop.getByRole('columnheader', { name: 'Opportunities' }));
    await expectVisible(desktop.getByRole('button', { name: 'Unpin' }));
    await expectVisible(desktop.getByRole('menuitem', { name: 'Reports', exact: true }));
  });

  await step(desktop, 'back-to-chinese', async () => {
    // The language is remembered on the account; later journeys expect Chinese.
    await desktop.locator('.language-switch').getByText('中文', { exact: true }).click();
    await expectHtmlLang(desktop, 'zh-CN');
  });

  const phone = await open('phone');
  await step(phone, 'phone-report-and-drill', async () => {
    await signInAsAdmin(phone);
    await phone.goto(`/reports/${PACK}/${KEY}`);
    await expectVisible(phone.locator('.report-chart'));
    await expectVisible(phone.locator('.report-table .report-row-total'));
    await expectNoHorizontalOverflow(phone);
    const all = (await expected(phone, {})).find((row) => row.kind === 'total');
    // The total's count: every opportunity the administrator may read.
    await phone.locator('.report-row-total .report-figure').first().click();
    await expectVisible(phone.locator('.report-drill'));
    await expectDrillCount(phone, all?.values.opportunities ?? -1, '.report-drill-item');
  });
});
