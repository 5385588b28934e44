import {
  type Cell,
  exportRecords,
  type FormDefinitionInput,
  type ImportRow,
  importRecords,
  listRecords,
  publishForm,
  type RefKind,
  type SheetRefs,
} from '@baton/form';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Env, openEnv } from './fixtures.ts';

const l = (zh: string, en: string) => ({ zh, en });

const supplier: FormDefinitionInput = {
  pack: 'io',
  key: 'supplier',
  kind: 'archive',
  label: l('供应商档案', 'Suppliers'),
  fields: [
    { key: 'code', label: l('供应商编码', 'Supplier code'), type: 'text', required: true },
    { key: 'name', label: l('供应商名称', 'Supplier name'), type: 'text', required: true },
    { key: 'creditLimit', label: l('信用额度', 'Credit limit'), type: 'money' },
    { key: 'since', label: l('合作日期', 'Since'), type: 'date' },
    {
      key: 'grade',
      label: l('等级', 'Grade'),
      type: 'select',
      options: [
        { code: 'a', label: l('优选', 'Preferred') },
        { code: 'b', label: l('合格', 'Qualified') },
      ],
    },
    {
      key: 'tags',
      label: l('类别', 'Categories'),
      type: 'checkboxes',
      options: [
        { code: 'hw', label: l('硬件', 'Hardware') },
        { code: 'sw', label: l('软件', 'Software') },
      ],
    },
    { key: 'active', label: l('启用', 'Active'), type: 'boolean' },
    { key: 'buyer', label: l('采购员', 'Buyer'), type: 'member' },
    { key: 'rating', label: l('评分', 'Rating'), type: 'number' },
    { key: 'note', label: l('备注', 'Note'), type: 'text' },
    { key: 'no', label: l('档案号', 'File no.'), type: 'serial', pattern: 'GYS{seq:4}', reset: 'never' },
  ],
  keys: [['code']],
};

const people = new Map([
  ['m-zhang', { name: '张采购', login: 'zhang' }],
  ['m-li', { name: '李采购', login: 'li' }],
  ['m-li2', { name: '李采购', login: 'li2' }],
]);
const refs: SheetRefs = {
  async names(_ctx: unknown, kind: RefKind, ids: readonly string[]) {
    return new Map(
      kind === 'member' ? ids.flatMap((id) => (people.has(id) ? [[id, people.get(id)?.name ?? '']] : [])) : [],
    );
  },
  async find(_ctx: unknown, kind: RefKind, text: string) {
    if (kind !== 'member') return [];
    return [...people].filter(([, p]) => p.name === text || p.login === text).map(([id]) => id);
  },
};

let env: Env;
beforeAll(async () => {
  env = await openEnv();
  await publishForm(env.ctx, supplier);
});
afterAll(async () => {
  await env?.database.cleanup();
});

const ref = { pack: 'io', key: 'supplier' };
const headers = ['供应商编码', '供应商名称', '信用额度', '合作日期', '等级', '类别', '启用', '采购员', '评分', '备注'];
function rows(data: Array<Array<unknown>>, names = headers): ImportRow[] {
  return data.map((cells, index) => ({
    row: index + 2,
    cells: Object.fromEntries(names.map((h, i) => [h, cells[i] ?? ''])),
  }));
}

async function all() {
  return (await listRecords(env.ctx, { ...ref, sort: [{ field: 'code' }], limit: 200 })).records.map((r) => r.values);
}

async function collect(rowsIn: AsyncIterable<Cell[]>) {
  const out: Cell[][] = [];
  for await (const row of rowsIn) out.push(row);
  return out;
}

describe('importRecords / exportRecords', () => {
  it('reports every bad cell with its row and column, and writes nothing', async () => {
    const report = await importRecords(
      env.ctx,
      {
        ...ref,
        rows: rows([
          ['S001', '好供应商', '1,234.5', '2024/3/7', '优选', '硬件、软件', '是', '张采购', 4.5, ''], // fine
          ['S002', '', '12.345', '2024-13', '钻石', '硬件, 木材', '也许', '王五', 'x', ''], // 8 problems
          ['S001', '重复', '', '', '', '', '', '', '', ''], // unique key repeats
          ['S003', '同名', '', '', '', '', '', '李采购', '', ''], // ambiguous member
        ]),
      },
      { refs, dryRun: true },
    );
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual(
      expect.arrayContaining([
        '3:信用额度:not_money',
        '3:合作日期:not_date',
        '3:等级:not_option',
        '3:类别:not_option',
        '3:启用:not_boolean',
        '3:采购员:unknown_member',
        '3:评分:not_number',
        '4:供应商编码:duplicate',
        '5:采购员:ambiguous_member',
      ]),
    );
    expect(report.errors.every((e) => e.message.zh && e.message.en)).toBe(true);
    expect(await all()).toEqual([]);
  });

  it('reports what createRecord refuses (required) in the same report', async () => {
    const report = await importRecords(
      env.ctx,
      { ...ref, rows: rows([['S009', '', '', '', '', '', '', '', '', '']]) },
      {
        refs,
      },
    );
    expect(report.errors.map((e) => `${e.row}:${e.column}`)).toEqual(['2:供应商名称']);
    expect(await all()).toEqual([]);
  });

  it('applies a valid file, updating by unique key, and round-trips through an export', async () => {
    const first = await importRecords(
      env.ctx,
      {
        ...ref,
        rows: rows([
          ['S001', '好供应商', '1,234.5', '2024/3/7', '优选', '硬件、软件', '是', 'zhang', 4.5, '=1+1'],
          ['S002', '二号', 99, '2024-01-02', 'b', 'sw', 'no', '', '', "'-2"],
        ]),
      },
      { refs },
    );
    expect(first).toMatchObject({ ok: true, applied: { created: 2, updated: 0 } });
    const records = await all();
    expect(records[0]).toMatchObject({
      code: 'S001',
      creditLimit: 123450,
      since: '2024-03-07',
      grade: 'a',
      tags: ['hw', 'sw'],
      active: true,
      buyer: 'm-zhang',
      rating: 4.5,
      note: '=1+1',
      no: 'GYS0001',
    });
    expect(records[1]).toMatchObject({ creditLimit: 9900, grade: 'b', tags: ['sw'], active: false, note: '-2' });

    const exported = await exportRecords(env.ctx, { ...ref, sort: [{ field: 'code' }] }, { refs });
    expect(exported.columns.map((c) => c.header)).toEqual([...headers, '档案号']);
    expect(exported.columns.find((c) => c.key === 'creditLimit')?.kind).toBe('money');
    const cells = await collect(exported.rows);
    expect(cells[0]).toEqual([
      'S001',
      '好供应商',
      1234.5,
      '2024-03-07',
      '优选',
      '硬件、软件',
      '是',
      '张采购',
      4.5,
      '=1+1',
      'GYS0001',
    ]);

    const english = await exportRecords(
      env.ctx,
      { ...ref, locale: 'en-US', filters: [{ field: 'code', op: 'eq', value: 'S002' }] },
      { refs },
    );
    expect(english.columns[4]?.header).toBe('Grade');
    expect(await collect(english.rows)).toEqual([
      ['S002', '二号', 99, '2024-01-02', 'Qualified', 'Software', 'No', null, null, '-2', 'GYS0002'],
    ]);

    // Re-import what was exported (headers and cells as a reader would hand them over): no change.
    const back = cells.map((row, index) => ({
      row: index + 2,
      cells: Object.fromEntries(exported.columns.map((c, i) => [c.header, row[i] ?? ''])),
    }));
    const again = await importRecords(env.ctx, { ...ref, rows: back }, { refs });
    expect(again).toMatchObject({ ok: true, applied: { created: 0, updated: 2 } });
    const after = await all();
    expect(after.map((v) => ({ ...v }))).toEqual(records.map((v) => ({ ...v })));
  });

  it('changes a matched record and leaves a dry run without trace', async () => {
    const dry = await importRecords(
      env.ctx,
      {
        ...ref,
        rows: rows([
          ['S002', '二号改', 1],
          ['S777', '新的'],
        ]),
      },
      {
        refs,
        dryRun: true,
      },
    );
    expect(dry).toMatchObject({ ok: true, dryRun: true, applied: { created: 1, updated: 1 } });
    expect((await all()).map((v) => v.name)).toEqual(['好供应商', '二号']);
    const real = await importRecords(
      env.ctx,
      { ...ref, rows: rows([['S002', '二号改', 1]], ['Supplier code', 'Supplier name', 'Credit limit']) },
      { refs },
    );
    expect(real).toMatchObject({ ok: true, applied: { created: 0, updated: 1 } });
    expect((await all())[1]).toMatchObject({ name: '二号改', creditLimit: 100, grade: 'b' });
  });
});
