// A rule that writes subtable rows and names its output, designed in the browser. Given an order form with items,
// a ledger form with lines and a receipt form (published through the API: the form designer has its own journeys),
// the administrator designs a rule on new orders: a writeBack into the ledger named `ledger` (a bad name first,
// which the server's check names at the field), whose rows editor maps the order's items to the ledger's lines
// (a row condition, 同名映射 of the columns, `$row`), and a second writeBack into the receipt that reads
// `$actions.ledger.*` — offered by the field picker with the ledger's own fields. Published; a new order then
// leaves a ledger with the lines that passed and a receipt pointing at it. The editor reloads the rule as written
// and fits a phone.
import type { Locator, Page } from 'playwright-core';
import { signInAsAdmin } from '../lib/admin.ts';
import { expectAccessible } from '../lib/axe.ts';
import { expectNoHorizontalOverflow, expectPath, expectVisible } from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';
import { expectText, getJson, sendJson } from '../lib/people.ts';

const PACK = `rows${Date.now().toString(36)}`;
const l = (zh: string, en: string) => ({ zh, en });

const forms = [
  {
    pack: PACK,
    key: 'purchase',
    kind: 'archive',
    label: l('订单', 'Order'),
    fields: [
      { key: 'customer', label: l('客户', 'Customer'), type: 'text', required: true },
      { key: 'batch', label: l('批次', 'Batch'), type: 'text' },
    ],
    subtables: [
      {
        key: 'items',
        label: l('明细', 'Items'),
        columns: [
          { key: 'name', label: l('品名', 'Name'), type: 'text' },
          { key: 'qty', label: l('数量', 'Quantity'), type: 'number', scale: 0 },
          { key: 'skip', label: l('不入账', 'Skip'), type: 'boolean' },
        ],
      },
    ],
  },
  {
    pack: PACK,
    key: 'ledger',
    kind: 'archive',
    label: l('台账', 'Ledger'),
    fields: [
      { key: 'ledgerNo', label: l('台账编号', 'Ledger no.'), type: 'serial', pattern: 'LD{seq:4}', reset: 'never' },
      { key: 'customer', label: l('客户', 'Customer'), type: 'text', required: true },
    ],
    subtables: [
      {
        key: 'lines',
        label: l('台账行', 'Lines'),
        columns: [
          { key: 'name', label: l('品名', 'Name'), type: 'text', required: true },
          { key: 'qty', label: l('数量', 'Quantity'), type: 'number', scale: 0 },
          { key: 'origin', label: l('来源', 'Origin'), type: 'text' },
        ],
      },
    ],
  },
  {
    pack: PACK,
    key: 'receipt',
    kind: 'archive',
    label: l('回执', 'Receipt'),
    fields: [
      { key: 'ledgerId', label: l('台账', 'Ledger'), type: 'text', required: true },
      { key: 'ledgerNo', label: l('台账编号', 'Ledger no.'), type: 'text' },
    ],
  },
];

type Row = { id: string; values: Record<string, unknown> };

/** Picks `option` in the antd select `select`, typing `search` first when given. */
async function pick(page: Page, select: Locator, option: string | RegExp, search?: string): Promise<void> {
  await select.click();
  if (search) await page.keyboard.type(search);
  const dropdown = page.locator('.ant-select-dropdown:visible').last();
  await dropdown.locator('.ant-select-item-option', { hasText: option }).first().click();
}

const check = (page: Page, status: 'ok' | 'issues') =>
  expectVisible(page.locator(`.rule-design-check[data-status="${status}"]`));

await journey('rule-rows', async ({ open, step }) => {
  const admin = await open('desktop');

  await step(admin, 'forms-published', async () => {
    await signInAsAdmin(admin);
    for (const form of forms) await sendJson(admin, '/api/forms', form);
  });

  await step(admin, 'rule-named-with-a-bad-name', async () => {
    await admin.goto('/admin/rules/new');
    await admin.locator('#rule-pack').fill(PACK);
    await admin.locator('#rule-key').fill('book');
    await admin.locator('#rule-name-zh').fill('订单入账');
    await admin.locator('#rule-name-en').fill('Book orders');
    const trigger = admin.locator('[data-section="trigger"]');
    await trigger.getByText('表单事件', { exact: true }).click();
    await pick(admin, admin.locator('#rule-trigger-ref'), `(${PACK}.purchase)`, `${PACK}.purchase`);
    await trigger.getByText('新建', { exact: true }).click();
    await admin.getByRole('button', { name: '添加动作' }).click();
    await admin.getByRole('menuitem', { name: '回写' }).click();
    const action = admin.locator('.rule-design-action[data-action="0"]');
    await pick(admin, action.locator('#action-0-form'), `(${PACK}.ledger)`, `${PACK}.ledger`);
    await action.locator('#action-0-set').getByRole('button', { name: '按同名字段填充' }).click();
    await expectVisible(action.locator('.rule-mapping-row[data-row="customer"]'));
    await action.locator('#action-0-as').fill('Ledger');
    // The server's check comes back at the field it is about.
    await check(admin, 'issues');
    await expectVisible(action.locator('[data-setting="as"] [data-path="actions.0.as"]'));
    await action.locator('#action-0-as').fill('ledger');
    await check(admin, 'ok');
  });

  await step(admin, 'rows-mapped', async () => {
    const action = admin.locator('.rule-design-action[data-action="0"]');
    await action.getByRole('button', { name: '添加明细表映射' }).click();
    // The target's one subtable is taken at once; its columns are mapped from the order's items.
    const rows = action.locator('.rule-rows-item[data-subtable="lines"]');
    await expectVisible(rows);
    await pick(admin, rows.locator('#action-0-subtables-0-from'), '(items)');
    await rows.locator('#action-0-subtables-0-when').fill('NOT skip');
    const set = rows.locator('#action-0-subtables-0-set');
    await set.getByRole('button', { name: '按同名字段填充' }).click();
    await expectVisible(set.locator('.rule-mapping-row[data-row="name"]'));
    await expectVisible(set.locator('.rule-mapping-row[data-row="qty"]'));
    await set.getByRole('button', { name: '添加一行' }).click();
    const origin = set.locator('.rule-mapping-row').last();
    await pick(admin, origin.locator('.rule-mapping-key'), '(origin)');
    // A header field of the record is readable beside the row's cells: a typo is named on its row.
    await origin.locator('textarea').fill("batchNo & '-' & TEXT($row)");
    await check(admin, 'issues');
    await expectText(admin.locator('.rule-design-invalid-summary'), 'actions.0.subtables.lines.set.origin');
    await expectVisible(origin.locator('.formula-issues'));
    await origin.locator('textarea').fill("batch & '-' & TEXT($row)");
    await check(admin, 'ok');
  });

  await step(admin, 'later-action-reads-the-output', async () => {
    await admin.getByRole('button', { name: '添加动作' }).click();
    await admin.getByRole('menuitem', { name: '回写' }).click();
    const action = admin.locator('.rule-design-action[data-action="1"]');
    await pick(admin, action.locator('#action-1-form'), `(${PACK}.receipt)`, `${PACK}.receipt`);
    const set = action.locator('#action-1-set');
    for (const [index, key] of ['ledgerId', 'ledgerNo'].entries()) {
      await set.getByRole('button', { name: '添加一行' }).click();
      const row = set.locator('.rule-mapping-row').nth(index);
      await pick(admin, row.locator('.rule-mapping-key'), `(${key})`);
      // The field picker offers what the action named ledger hands on: its id and the ledger's own fields.
      const name = `$actions.ledger.${key === 'ledgerId' ? 'id' : key}`;
      await pick(admin, row.locator('.formula-field-picker'), name, name);
      const value = await row.locator('textarea').inputValue();
      if (value !== name) throw new Error(`${key} reads "${value}"`);
    }
    await check(admin, 'ok');
    // Renaming the output carries the new name into what reads it: at once, and after the name was cleared and
    // typed again letter by letter.
    const as = admin.locator('#action-0-as');
    const reads = async (want: string) => {
      const value = await set.locator('.rule-mapping-row').first().locator('textarea').inputValue();
      if (value !== want) throw new Error(`after the rename ledgerId reads "${value}", not "${want}"`);
    };
    await as.fill('booked');
    await reads('$actions.booked.id');
    await as.fill('');
    await as.pressSequentially('ledger');
    await reads('$actions.ledger.id');
    await check(admin, 'ok');
  });

  await step(admin, 'rule-published', async () => {
    await admin.locator('.rule-design-publish').click();
    await expectVisible(admin.locator('.ant-message', { hasText: '已发布为 v1' }));
    await expectPath(admin, `/admin/rules/${PACK}/book`);
    const rule = await getJson<{ definition: { actions: Record<string, unknown>[] } }>(
      admin,
      `/api/rules/${PACK}/book`,
    );
    const [ledger, receipt] = rule.definition.actions;
    const want = {
      as: 'ledger',
      subtables: {
        lines: {
          from: 'items',
          when: 'NOT skip',
          set: { name: 'name', qty: 'qty', origin: "batch & '-' & TEXT($row)" },
          onUpdate: 'replace',
        },
      },
    };
    if (JSON.stringify({ as: ledger?.as, subtables: ledger?.subtables }) !== JSON.stringify(want)) {
      throw new Error(`published ledger action: ${JSON.stringify(ledger)}`);
    }
    const set = receipt?.set as Record<string, string> | undefined;
    if (set?.ledgerId !== '$actions.ledger.id' || set.ledgerNo !== '$actions.ledger.ledgerNo') {
      throw new Error(`published receipt action: ${JSON.stringify(receipt)}`);
    }
  });

  await step(admin, 'an-order-is-booked', async () => {
    const order = await sendJson<{ id: string }>(admin, `/api/forms/${PACK}/purchase/records`, {
      values: {
        customer: '甲公司',
        batch: 'B7',
        items: [
          { name: '纸', qty: 2, skip: false },
          { name: '笔', qty: 5, skip: true },
          { name: '墨', qty: 1, skip: false },
        ],
      },
    });
    if (!order.id) throw new Error('no order created');
    const ledgers = await sendJson<{ records: Row[] }>(admin, `/api/forms/${PACK}/ledger/records/query`, {});
    if (ledgers.records.length !== 1) throw new Error(`ledgers: ${JSON.stringify(ledgers.records)}`);
    const ledger = await getJson<Row>(admin, `/api/forms/${PACK}/ledger/records/${ledgers.records[0]?.id}`);
    const lines = (ledger.values.lines as Record<string, unknown>[]).map((line) => [line.name, line.qty, line.origin]);
    // The skipped item is left out; $row is the item's number in the order.
    if (
      JSON.stringify(lines) !==
      JSON.stringify([
        ['纸', 2, 'B7-1'],
        ['墨', 1, 'B7-3'],
      ])
    ) {
      throw new Error(`ledger lines: ${JSON.stringify(ledger.values.lines)}`);
    }
    const receipts = await sendJson<{ records: Row[] }>(admin, `/api/forms/${PACK}/receipt/records/query`, {});
    const receipt = receipts.records[0]?.values;
    if (receipt?.ledgerId !== ledger.id || receipt.ledgerNo !== ledger.values.ledgerNo || !receipt.ledgerNo) {
      throw new Error(`receipt ${JSON.stringify(receipt)} for ledger ${ledger.id} ${ledger.values.ledgerNo}`);
    }
    await admin.goto(`/records/${PACK}/receipt`);
    await expectVisible(admin.locator('.ant-table-row', { hasText: String(ledger.values.ledgerNo) }));
  });

  await step(admin, 'editor-reloads-the-rule', async () => {
    await admin.goto(`/admin/rules/${PACK}/book`);
    await expectVisible(admin.locator('.rule-rows-item[data-subtable="lines"]'));
    if ((await admin.locator('#action-0-as').inputValue()) !== 'ledger') throw new Error('the name did not load');
    await check(admin, 'ok');
  });

  await step(admin, 'compensation-beside-the-actions', async () => {
    // A compensation action beside the main ones: its controls have ids of their own, so every label names its own
    // control (axe does not fail on an id used twice: the page is asked directly).
    const compensate = admin.locator('[data-section="compensate"]');
    await compensate.getByRole('switch', { name: '补偿' }).click();
    await compensate.getByRole('button', { name: '添加动作' }).click();
    await admin.getByRole('menuitem', { name: '回写' }).click();
    // The menu fades out after the click; half-faded, its items would be measured for contrast.
    await admin.getByRole('menuitem', { name: '回写' }).waitFor({ state: 'hidden' });
    await expectVisible(compensate.locator('#compensate-action-0-when'));
    await expectVisible(admin.locator('[data-section="actions"] #action-0-when'));
    const ids = await admin
      .locator('[id]')
      .evaluateAll((elements) => elements.map((element) => (element as unknown as { id: string }).id));
    const shared = [...new Set(ids.filter((id, at) => ids.indexOf(id) !== at))];
    if (shared.length > 0) throw new Error(`ids used twice: ${shared.join(', ')}`);
    // The pointer off the button just clicked: its hover colours are not what axe should measure.
    await admin.mouse.move(0, 0);
    // The pack and key of a published rule are disabled inputs: inactive controls need no contrast (WCAG 1.4.3).
    await expectAccessible(admin, 'rule editor with compensation', { exclude: ['.ant-input-group-wrapper-disabled'] });
  });

  const phone = await open('phone');
  await step(phone, 'rows-editor-on-a-phone', async () => {
    await signInAsAdmin(phone);
    await phone.goto(`/admin/rules/${PACK}/book`);
    await expectVisible(phone.locator('.rule-rows-item[data-subtable="lines"] .rule-mapping-row[data-row="origin"]'));
    await expectVisible(phone.locator('#action-0-as'));
    await expectNoHorizontalOverflow(phone);
  });
});
