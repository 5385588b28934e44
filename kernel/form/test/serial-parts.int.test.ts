import { createFakeClock, isBatonError } from '@baton/core';
import type { DbCtx } from '@baton/db';
import {
  createRecord,
  type FormDefinitionInput,
  formMigrations,
  listRecords,
  provideDepartmentCodes,
  publishForm,
  validateForm,
} from '@baton/form';
import { createDepartment, createUnit, getDepartment, orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Serial patterns with record parts: {department} (the record's department code, through the org as the
// composition root wires it) and {field:key}, one counter per distinct prefix, refused when a part is blank.

const l = (text: string) => ({ zh: text, en: text });
const sales = { pack: 'demo', key: 'salesOrder' };
const contract = { pack: 'demo', key: 'contract' };

const salesOrder: FormDefinitionInput = {
  ...sales,
  kind: 'archive',
  label: l('销售单'),
  fields: [
    { key: 'orderNo', label: l('单号'), type: 'serial', pattern: 'XS-{department}-{yyyy}-{seq:4}', reset: 'yearly' },
    { key: 'title', label: l('标题'), type: 'text' },
  ],
};

const contractForm: FormDefinitionInput = {
  ...contract,
  kind: 'archive',
  label: l('合同'),
  fields: [
    {
      key: 'kind',
      label: l('合同类型'),
      type: 'select',
      options: [
        { code: 'XS', label: l('销售') },
        { code: 'CG', label: l('采购') },
      ],
    },
    { key: 'branch', label: l('分部'), type: 'text' },
    { key: 'contractNo', label: l('合同编号'), type: 'serial', pattern: 'HT-{field:kind}-{yyyy}{MM}-{seq:3}' },
    { key: 'otherNo', label: l('备用编号'), type: 'serial', pattern: '{field:branch|ZB}-{seq:2}' },
  ],
};

const teamForm: FormDefinitionInput = {
  pack: 'demo',
  key: 'teamDoc',
  kind: 'archive',
  label: l('部门文件'),
  fields: [
    { key: 'team', label: l('承办部门'), type: 'department' },
    { key: 'docNo', label: l('文号'), type: 'serial', pattern: 'WJ-{field:team}-{seq:3}' },
  ],
};

let database: TestDatabase;
let ctx: DbCtx;
let unset: () => void;
const dept: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [orgMigrations, formMigrations] });
  ctx = testCtx(database.db, { clock: createFakeClock('2026-11-28T01:00:00.000Z') });
  unset = provideDepartmentCodes(async (tx, id) => (await getDepartment(tx, { id })).code);
  const unit = await createUnit(ctx, { code: 'U1', name: '总部', kind: 'headquarters' });
  for (const code of ['BJ', 'SH']) {
    dept[code] = (await createDepartment(ctx, { unitId: unit.id, parentId: null, code, name: code })).id;
  }
  await publishForm(ctx, salesOrder);
  await publishForm(ctx, contractForm);
  await publishForm(ctx, teamForm);
});
afterAll(async () => {
  unset?.();
  await database?.cleanup();
});

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) {
      return { code: error.code, fields: error.fields.map((f) => ({ path: f.path.join('.'), code: f.code })) };
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('serial record parts', () => {
  it('count per department: concurrent creates of one department get consecutive numbers, each starts at 1', async () => {
    const create = (code: string) =>
      createRecord(ctx, { ...sales, values: { title: code } }, { context: { departmentId: dept[code] as string } });
    const records = await Promise.all([create('BJ'), create('SH'), create('BJ'), create('BJ'), create('SH')]);
    const numbers = records.map((record) => record.values.orderNo as string).sort();
    expect(numbers).toEqual([
      'XS-BJ-2026-0001',
      'XS-BJ-2026-0002',
      'XS-BJ-2026-0003',
      'XS-SH-2026-0001',
      'XS-SH-2026-0002',
    ]);
  });

  it('uses option codes and text values, with a default for a blank one', async () => {
    const a = await createRecord(ctx, { ...contract, values: { kind: 'XS', branch: ' GZ ' } });
    const b = await createRecord(ctx, { ...contract, values: { kind: 'CG' } });
    const c = await createRecord(ctx, { ...contract, values: { kind: 'XS' } });
    expect([a, b, c].map((r) => [r.values.contractNo, r.values.otherNo])).toEqual([
      ['HT-XS-202611-001', 'GZ-01'],
      ['HT-CG-202611-001', 'ZB-01'],
      ['HT-XS-202611-002', 'ZB-02'],
    ]);
  });

  it('uses a department field’s code', async () => {
    const create = (code: string) =>
      createRecord(ctx, { pack: 'demo', key: 'teamDoc', values: { team: dept[code] as string } });
    const numbers = [];
    for (const code of ['SH', 'SH', 'BJ']) numbers.push((await create(code)).values.docNo);
    expect(numbers).toEqual(['WJ-SH-001', 'WJ-SH-002', 'WJ-BJ-001']);
  });

  it('refuses a blank part without a default, naming the field, and writes nothing', async () => {
    const before = (await listRecords(ctx, { ...contract, limit: 100 })).records.length;
    expect(await refusal(createRecord(ctx, { ...contract, values: { branch: 'GZ' } }))).toEqual({
      code: 'FORM_SERIAL_PART_BLANK',
      fields: [{ path: 'kind', code: 'serial_part_blank' }],
    });
    expect(await refusal(createRecord(ctx, { ...sales, values: { title: 'x' } }))).toEqual({
      code: 'FORM_SERIAL_PART_BLANK',
      fields: [{ path: 'orderNo', code: 'serial_part_blank' }],
    });
    expect((await listRecords(ctx, { ...contract, limit: 100 })).records.length).toBe(before);
    // The refused creates took no number.
    const next = await createRecord(ctx, { ...contract, values: { kind: 'CG', branch: 'GZ' } });
    expect([next.values.contractNo, next.values.otherNo]).toEqual(['HT-CG-202611-002', 'GZ-02']);
  });

  it('are checked at definition time, every problem with its path', () => {
    const issues = validateForm({
      ...contract,
      kind: 'archive',
      label: l('x'),
      fields: [
        { key: 'no', label: l('x'), type: 'serial', pattern: '{field:ghost}{field:amount}{field:code}{field:no}-X' },
        { key: 'amount', label: l('x'), type: 'number' },
        { key: 'code', label: l('x'), type: 'text', default: { expr: "'A'" } },
      ],
    });
    expect(issues.map((issue) => [issue.path.join('.'), issue.code, issue.params])).toEqual([
      ['fields.0.pattern', 'serial_sequence', { count: 0 }],
      ['fields.0.pattern', 'unknown_field', { field: 'ghost' }],
      ['fields.0.pattern', 'serial_field_type', { field: 'amount', type: 'number' }],
      ['fields.0.pattern', 'serial_field_later', { field: 'code' }],
      ['fields.0.pattern', 'serial_field_type', { field: 'no', type: 'serial' }],
    ]);
  });
});
