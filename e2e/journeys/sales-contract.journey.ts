// Filing a sales contract (contracts.salesContract, the contracts pack): a salesperson fills the contract with two
// product lines and two payment terms (live column totals, the amount in words) and attaches the contract text;
// legal approves at their desk and the salesperson's sales director on a 390×844 phone in two taps; then the
// contract archive has the row and the report 合同执行状态 counts one more sales contract in force, with its amount.
import type { Page } from 'playwright-core';
import { signInAsAdmin } from '../lib/admin.ts';
import { expectAccessible } from '../lib/axe.ts';
import { expectNoHorizontalOverflow, expectPath, expectVisible } from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';
import {
  approveOnPhone,
  expectText,
  fillDate,
  getJson,
  holderOf,
  memberByLogin,
  samplePdf,
  sendJson,
  signIn,
} from '../lib/people.ts';

const RUN = Date.now().toString(36);
const CUSTOMER = `杭州云帆信息技术有限公司 ${RUN}`;
const NAME = `云帆协同平台年度服务合同 ${RUN}`;
const FIGURE = '执行中 · 销售合同';

type Row = { kind: string; keys: Record<string, string>; cells: ({ contracts: number; amount: number } | null)[] };
type Result = { columns: { keys: { kind: string } }[]; rows: Row[] };

/** 执行中 (inForce) sales contracts the member's scopes reach: how many and their amount in fen. */
async function inForceSales(page: Page): Promise<{ contracts: number; amount: number }> {
  const result = await sendJson<Result>(page, '/api/reports/contracts/contractsByStatus/run', { params: {} });
  const column = result.columns.findIndex((each) => each.keys.kind === 'sales');
  const row = result.rows.find((each) => each.kind === 'detail' && each.keys.contractStatus === 'inForce');
  const cell = column >= 0 ? row?.cells[column] : null;
  return { contracts: cell?.contracts ?? 0, amount: cell?.amount ?? 0 };
}

/** The figure the report page shows for 执行中 × 销售合同 and one measure (its button names where it is). */
async function shownFigure(page: Page, measure: string): Promise<string> {
  const button = page.locator(`.report-table .report-figure[aria-label*="${FIGURE} · ${measure}"]`).first();
  await expectVisible(button);
  return ((await button.textContent()) ?? '').trim();
}

const yuan = (fen: number) =>
  (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).replace(/,/g, '');

await journey('sales-contract', async ({ open, step }) => {
  const salesperson = holderOf('salesperson');
  const legal = holderOf('legalStaff');
  const desk = await open('desktop');
  const legalDesk = await open('desktop');
  const phone = await open('phone');
  let before = { contracts: 0, amount: 0 };
  let instanceId = '';

  await step(desk, 'report-before', async () => {
    await signIn(desk, salesperson, '/reports/contracts/contractsByStatus');
    // Server texts (report labels) follow the member's saved language, which another journey may have changed.
    await sendJson(desk, '/api/auth/locale', { locale: 'zh-CN' }, 'PUT');
    await desk.reload();
    before = await inForceSales(desk);
    await expectVisible(desk.locator('.report-table'));
  });

  await step(desk, 'salesperson-fills-the-contract', async () => {
    await desk.goto('/work/file/contracts/salesContract');
    await expectVisible(desk.getByRole('heading', { level: 1, name: '发起：销售合同审批' }));
    await desk.locator('#work-title').fill(NAME);
    await desk.locator('#f-contractName').fill(NAME);
    await desk.locator('#f-customerName').fill(CUSTOMER);
    await desk.locator('#f-contactName').fill('周敏');
    await desk.locator('#f-contactPhone').fill('0571-88886666');
    await desk.locator('#f-contractAmount').fill('120000');
    await desk.locator('#f-contractAmount').blur();
    await expectText(desk.locator('.form-cell[data-field="contractAmountUpper"]'), '壹拾贰万元整');
    await fillDate(desk, 'f-termStart', '2027-01-01');
    await fillDate(desk, 'f-termEnd', '2027-12-31');
  });

  await step(desk, 'two-product-lines-and-two-payment-terms', async () => {
    const products = desk.locator('.subtable[data-subtable="products"]');
    if ((await desk.locator('#f-products-0-name').count()) === 0) await products.locator('.subtable-add').click();
    await desk.locator('#f-products-0-name').fill('协同平台企业版授权');
    await desk.locator('#f-products-0-quantity').fill('1');
    await desk.locator('#f-products-0-amount').fill('70000');
    await products.locator('.subtable-add').click();
    await desk.locator('#f-products-1-name').fill('实施与培训服务');
    await desk.locator('#f-products-1-quantity').fill('1');
    await desk.locator('#f-products-1-amount').fill('50000');
    await desk.locator('#f-products-1-amount').blur();
    await expectText(products.locator('.subtable-total[data-total="amount"]'), '120,000.00');

    const terms = desk.locator('.subtable[data-subtable="paymentTerms"]');
    if ((await desk.locator('#f-paymentTerms-0-milestone').count()) === 0) await terms.locator('.subtable-add').click();
    await desk.locator('#f-paymentTerms-0-milestone').fill('合同签订后');
    await desk.locator('#f-paymentTerms-0-amount').fill('60000');
    await fillDate(desk, 'f-paymentTerms-0-plannedDate', '2027-01-15');
    await terms.locator('.subtable-add').click();
    await desk.locator('#f-paymentTerms-1-milestone').fill('验收合格后');
    await desk.locator('#f-paymentTerms-1-amount').fill('60000');
    await fillDate(desk, 'f-paymentTerms-1-plannedDate', '2027-06-30');
    await expectText(terms.locator('.subtable-total[data-total="amount"]'), '120,000.00');
  });

  await step(desk, 'contract-text-attached', async () => {
    await desk.locator('#f-contractFile').setInputFiles({
      name: '云帆服务合同.pdf',
      mimeType: 'application/pdf',
      buffer: samplePdf(`contract ${RUN}`),
    });
    await expectVisible(desk.locator('.form-cell[data-field="contractFile"] .ant-upload-list-item-done'));
    await expectAccessible(desk, 'filing a sales contract');
  });

  await step(desk, 'salesperson-submits', async () => {
    await desk.locator('.work-action-bar .ant-btn-primary').click();
    await expectPath(desk, '/sent');
    await expectText(desk.locator('.work-item', { hasText: NAME }), '审批中');
    const sent = await getJson<{ items: { instanceId: string; title: string }[] }>(
      desk,
      `/api/instances?box=sent&keyword=${encodeURIComponent(RUN)}`,
    );
    instanceId = sent.items[0]?.instanceId ?? '';
    if (!instanceId) throw new Error('the contract is not among the sent requests');
  });

  await step(legalDesk, 'legal-approves-at-the-desk', async () => {
    await signIn(legalDesk, legal, `/work/instances/${instanceId}`);
    await expectVisible(legalDesk.locator('.flow-node.is-current[data-node="legal"]'));
    const file = legalDesk.locator('.form-cell[data-field="contractFile"] a', { hasText: '云帆服务合同.pdf' });
    await expectVisible(file);
    const download = await legalDesk.request.get((await file.getAttribute('href')) ?? '');
    if (download.status() !== 200 || !(await download.body()).toString('latin1').startsWith('%PDF')) {
      throw new Error(`legal cannot open the contract text: HTTP ${download.status()}`);
    }
    await legalDesk.locator('.work-action-bar .work-action-approve').click();
    const dialog = legalDesk.locator('.work-dialog-approve');
    await expectVisible(dialog);
    await dialog.locator('.work-dialog-ok').click();
    await expectPath(legalDesk, '/pending');
  });

  await step(phone, 'sales-director-approves-on-a-phone', async () => {
    // The director nearest the salesperson's department: whoever the request waits for at that step.
    const detail = await getJson<{ graph: { nodes: { key: string; assignees: string[] }[] } }>(
      desk,
      `/api/instances/${instanceId}`,
    );
    const directorId = detail.graph.nodes.find((node) => node.key === 'salesDirector')?.assignees[0];
    if (!directorId) throw new Error('nobody is assigned at the sales director step');
    const admin = await open('desktop');
    await signInAsAdmin(admin);
    const { login } = await getJson<{ login: string }>(admin, `/api/org/members/${directorId}`);
    await admin.close();
    await signIn(phone, memberByLogin(login), '/pending');
    await phone.locator('.work-item', { hasText: NAME }).locator('.work-item-title').click();
    await expectVisible(phone.locator('.flow-node.is-completed[data-node="legal"]'));
    await expectNoHorizontalOverflow(phone);
    await approveOnPhone(phone);
  });

  await step(desk, 'approved-and-in-the-archive', async () => {
    await desk.goto('/sent');
    await expectText(desk.locator('.work-item', { hasText: NAME }), '已通过');
    await desk.goto('/records/contracts/contractArchive');
    await expectText(desk.locator('.records-table'), CUSTOMER);
    await expectText(desk.locator('.records-table'), NAME);
  });

  await step(desk, 'report-figure-changed', async () => {
    const after = await inForceSales(desk);
    if (after.contracts !== before.contracts + 1 || after.amount !== before.amount + 12_000_000) {
      throw new Error(`in force: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    }
    await desk.goto('/reports/contracts/contractsByStatus');
    await expectVisible(desk.locator('.report-chart[data-points] svg'));
    const count = await shownFigure(desk, '合同数');
    if (count !== String(after.contracts)) throw new Error(`the report shows ${count}, expected ${after.contracts}`);
    const amount = (await shownFigure(desk, '合同金额')).replace(/[^\d.]/g, '');
    if (amount !== yuan(after.amount)) throw new Error(`the report shows ${amount}, expected ${yuan(after.amount)}`);
  });
});
