import { accessMigrations } from '@baton/access';
import { createFakeClock, isBatonError } from '@baton/core';
import {
  createRecord,
  type FormDefinitionInput,
  formMigrations,
  getRecord,
  listRecords,
  publishForm,
  searchReferences,
  updateRecord,
  validateForm,
  voidRecord,
} from '@baton/form';
import { createDepartment, createMember, createUnit, orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const l = (text: string) => ({ zh: text, en: text });
const cust = { pack: 'crm', key: 'customer' };
const ord = { pack: 'crm', key: 'deal' };

const customer: FormDefinitionInput = {
  ...cust,
  kind: 'archive',
  label: l('Customer'),
  fields: [
    { key: 'name', label: l('Name'), type: 'text', required: true },
    { key: 'salesperson', label: l('Salesperson'), type: 'member' },
    { key: 'region', label: l('Region'), type: 'text' },
    {
      key: 'status',
      label: l('Status'),
      type: 'select',
      options: [
        { code: 'open', label: l('Open') },
        { code: 'closed', label: l('Closed') },
      ],
    },
    { key: 'address', label: l('Address'), type: 'text' },
    { key: 'contact', label: l('Contact'), type: 'text' },
    { key: 'credit', label: l('Credit'), type: 'money' },
  ],
};

const order: FormDefinitionInput = {
  ...ord,
  kind: 'archive',
  label: l('Order'),
  fields: [
    { key: 'region', label: l('Region'), type: 'text' },
    {
      key: 'customer',
      label: l('Customer'),
      type: 'reference',
      form: cust,
      display: 'name',
      filter: "salesperson = me.memberId AND status != 'closed'",
      fill: { shipTo: 'address', contact: 'contact', creditLimit: 'credit' },
    },
    { key: 'shipTo', label: l('Ship to'), type: 'text' },
    { key: 'contact', label: l('Contact'), type: 'text' },
    { key: 'creditLimit', label: l('Credit limit'), type: 'money' },
    {
      key: 'sameRegion',
      label: l('Same region'),
      type: 'reference',
      form: cust,
      display: 'name',
      filter: 'region = this.region',
    },
  ],
  subtables: [
    {
      key: 'lines',
      label: l('Lines'),
      columns: [
        {
          key: 'consignee',
          label: l('Consignee'),
          type: 'reference',
          form: 'crm.customer',
          display: 'name',
          filter: "status IN ('open')",
          fill: { dropOff: 'address' },
        },
        { key: 'dropOff', label: l('Where'), type: 'text' },
      ],
    },
  ],
};

let database: TestDatabase;
let ctx: ReturnType<typeof testCtx>;
const m: Record<string, string> = {};
const c: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [orgMigrations, accessMigrations, formMigrations] });
  ctx = testCtx(database.db, { clock: createFakeClock('2026-11-28T01:00:00.000Z') });
  const unit = await createUnit(ctx, { code: 'U1', name: 'HQ', kind: 'headquarters' });
  const sales = await createDepartment(ctx, { unitId: unit.id, parentId: null, code: 'D1', name: 'Sales' });
  let n = 0;
  for (const login of ['alice', 'bob']) {
    const member = await createMember(ctx, { code: `M${++n}`, name: login, login, mainDepartmentId: sales.id });
    m[login] = member.id;
  }
  await publishForm(ctx, customer);
  await publishForm(ctx, order);
  const rows: [string, string, string, string][] = [
    ['Acme Trading', 'alice', 'open', 'east'],
    ['Apex 100%_Tools', 'alice', 'open', 'west'],
    ['Closed Corp', 'alice', 'closed', 'east'],
    ['Bobs Bikes', 'bob', 'open', 'east'],
    ['Gone Ltd', 'alice', 'open', 'east'],
  ];
  for (const [name, owner, status, region] of rows) {
    const record = await createRecord(
      ctx,
      {
        ...cust,
        values: {
          name,
          salesperson: m[owner],
          status,
          region,
          address: `${name} street`,
          contact: `${name} contact`,
          credit: 100000,
        },
      },
      { context: { memberId: m[owner] as string, departmentId: sales.id } },
    );
    c[name] = record.id;
  }
  await voidRecord(ctx, { ...cust, id: c['Gone Ltd'] as string, version: 1 });
});
afterAll(async () => {
  await database?.cleanup();
});

async function caught(promise: Promise<unknown>): Promise<{ code: string; paths: string[] }> {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) return { code: error.code, paths: error.fields.map((f) => f.path.join('.')) };
    throw error;
  }
  throw new Error('expected an error');
}

const alice = () => ({ memberId: m.alice as string, scopes: ['all' as const] });
const bob = () => ({ memberId: m.bob as string, scopes: ['all' as const] });

describe('reference definitions', () => {
  const withField = (config: Record<string, unknown>): FormDefinitionInput => ({
    ...order,
    key: 'probe',
    subtables: [],
    fields: [
      { key: 'region', label: l('Region'), type: 'text' },
      { key: 'ref', label: l('Ref'), type: 'reference', form: cust, display: 'name', ...config },
    ],
  });
  const issues = (config: Record<string, unknown>) =>
    validateForm(withField(config)).map((issue) => `${issue.path.join('.')}:${issue.code}`);

  it('accepts comparisons, AND/OR/NOT, IN, ISBLANK, = null, me.* and this.*', () => {
    for (const filter of [
      "salesperson = me.memberId AND status != 'paid'",
      "NOT (status IN ('a', 'b')) OR ISBLANK(region)",
      'region = this.region AND credit >= ¥100.00 AND credit < 5 AND me.departmentId = region',
      'address = null OR contact != null',
      "status NOT IN ('closed')",
    ]) {
      expect(issues({ filter }), filter).toEqual([]);
    }
  });

  it('refuses anything else with the path of the filter', () => {
    for (const filter of [
      'LEN(name) > 3',
      'name + 1 = 2',
      'name = address',
      'name',
      "me.password = 'x'",
      'this.nope = name',
      'constructor = 1',
      'name = ',
      "IF(name = 'a', TRUE, FALSE)",
      'name < null',
      '$initiator = name',
    ]) {
      expect(issues({ filter }), filter).toEqual([expect.stringMatching(/^fields\.1\.filter:/)]);
    }
    expect(issues({ fill: { nope: 'address' } })).toEqual(['fields.1.fill.nope:unknown_field']);
    expect(issues({ fill: { region: 'bad key!' } })[0]).toMatch(/^fields\.1\.fill\.region/);
    expect(issues({ form: { pack: 'crm', key: 'drop table' } })[0]).toMatch(/^fields\.1\.form/);
  });
});

describe('searchReferences', () => {
  const search = (input: Record<string, unknown>, viewer = alice()) =>
    searchReferences(ctx, { ...ord, field: 'customer', ...input } as never, { viewer });

  it('applies the filter, the viewer, voided records and q', async () => {
    const options = await search({});
    expect(options.map((o) => o.display)).toEqual(['Acme Trading', 'Apex 100%_Tools']);
    expect(options[0]).toEqual({
      id: c['Acme Trading'],
      display: 'Acme Trading',
      fill: { shipTo: 'Acme Trading street', contact: 'Acme Trading contact', creditLimit: 100000 },
    });
    expect((await search({ q: 'acme' })).map((o) => o.display)).toEqual(['Acme Trading']);
    expect((await search({ q: '%_' })).map((o) => o.display)).toEqual(['Apex 100%_Tools']);
    expect((await search({ q: 'zzz' })).map((o) => o.display)).toEqual([]);
    expect((await search({}, bob())).map((o) => o.display)).toEqual(['Bobs Bikes']);
    expect(await search({ limit: 1 })).toHaveLength(1);
  });

  it('applies the viewer scopes on the target form', async () => {
    const own = { memberId: m.bob as string, scopes: ['all' as const], targets: { 'crm.customer': ['own' as const] } };
    const lines = await searchReferences(ctx, { ...ord, field: 'lines.consignee' }, { viewer: own });
    expect(lines.map((o) => o.display)).toEqual(['Bobs Bikes']);
    expect(lines[0]?.fill).toEqual({ dropOff: 'Bobs Bikes street' });
    const all = await searchReferences(ctx, { ...ord, field: 'lines.consignee' }, { viewer: bob() });
    expect(all.map((o) => o.display)).toEqual(['Acme Trading', 'Apex 100%_Tools', 'Bobs Bikes']);
  });

  it('anyRecord: picks outside the viewer scopes (display only, no fill) and the write accepts it', async () => {
    const borrow: FormDefinitionInput = {
      ...order,
      key: 'borrow',
      subtables: [],
      fields: [
        { key: 'customer', label: l('Customer'), type: 'reference', form: cust, display: 'name', anyRecord: true },
      ],
    };
    const withFill = { ...borrow, fields: [{ ...(borrow.fields[0] as object), fill: { customer: 'name' } }] };
    expect(validateForm(withFill).map((issue) => `${issue.path.join('.')}:${issue.code}`)).toEqual([
      'fields.0.fill:fill_any_record',
    ]);
    await publishForm(ctx, borrow);
    const own = { memberId: m.bob as string, scopes: ['own' as const], targets: { 'crm.customer': ['own' as const] } };
    const options = await searchReferences(ctx, { pack: 'crm', key: 'borrow', field: 'customer' }, { viewer: own });
    expect(options.map((o) => o.display)).toEqual(['Acme Trading', 'Apex 100%_Tools', 'Bobs Bikes', 'Closed Corp']);
    expect(options.every((o) => Object.keys(o.fill).length === 0)).toBe(true);
    const filed = await createRecord(
      ctx,
      { pack: 'crm', key: 'borrow', values: { customer: c['Acme Trading'] } },
      { viewer: own, context: { memberId: m.bob as string } },
    );
    expect(filed.values.customer).toMatchObject({ id: c['Acme Trading'], display: 'Acme Trading' });
    // The same pick on the scoped field of the order form is refused.
    expect(
      (await caught(createRecord(ctx, { ...ord, values: { customer: c['Acme Trading'] } }, { viewer: own }))).code,
    ).toBe('FORM_VALIDATION_FAILED');
  });

  it('reads this form’s values for this.* and matches nothing when they are blank', async () => {
    const field = 'sameRegion';
    const west = await search({ field, values: { region: 'west' } });
    expect(west.map((o) => o.display)).toEqual(['Apex 100%_Tools']);
    expect(await search({ field, values: {} })).toEqual([]);
  });

  it('refuses a filter that does not fit the referenced form when it is used', async () => {
    const probe = (filter: string) => ({
      pack: 'crm',
      key: 'probe',
      kind: 'archive' as const,
      label: l('Probe'),
      fields: [{ key: 'ref', label: l('Ref'), type: 'reference', form: cust, display: 'name', filter }],
    });
    await publishForm(ctx, probe("nope = 'x'"));
    const use = () => searchReferences(ctx, { pack: 'crm', key: 'probe', field: 'ref' }, { viewer: alice() });
    expect(await caught(use())).toEqual({ code: 'FORM_DEFINITION_INVALID', paths: ['ref'] });
    await publishForm(ctx, probe("credit > 'lots'"));
    expect(await caught(use())).toEqual({ code: 'FORM_DEFINITION_INVALID', paths: ['ref'] });
    await publishForm(ctx, probe("status = 'gone'"));
    expect(await use()).toEqual([]);
  });

  it('refuses a field that is not a reference', async () => {
    expect(await caught(search({ field: 'shipTo' }))).toEqual({ code: 'FORM_QUERY_INVALID', paths: ['field'] });
    expect(await caught(search({ field: 'lines.nope' }))).toEqual({ code: 'FORM_QUERY_INVALID', paths: ['field'] });
    expect(await caught(search({ field: 'customer.name' }))).toEqual({ code: 'FORM_QUERY_INVALID', paths: ['field'] });
  });
});

describe('reference values on writes and reads', () => {
  it('fills mapped fields on the server and reads back { id, display, pack, key }', async () => {
    const record = await createRecord(
      ctx,
      {
        ...ord,
        values: {
          customer: c['Acme Trading'],
          shipTo: 'client value is overwritten',
          lines: [{ consignee: c['Bobs Bikes'], dropOff: 'x' }],
        },
      },
      { viewer: alice() },
    );
    expect(record.values).toMatchObject({
      customer: { id: c['Acme Trading'], display: 'Acme Trading', pack: 'crm', key: 'customer' },
      shipTo: 'Acme Trading street',
      contact: 'Acme Trading contact',
      creditLimit: 100000,
      lines: [
        {
          consignee: { id: c['Bobs Bikes'], display: 'Bobs Bikes', pack: 'crm', key: 'customer' },
          dropOff: 'Bobs Bikes street',
        },
      ],
    });
    const read = await getRecord(ctx, { ...ord, id: record.id });
    expect(read.values.customer).toEqual(record.values.customer);
    const ids = await getRecord(ctx, { ...ord, id: record.id }, { referenceIds: true });
    expect(ids.values.customer).toBe(c['Acme Trading']);
    expect((ids.values.lines as { consignee: string }[])[0]?.consignee).toBe(c['Bobs Bikes']);
    const list = await listRecords(ctx, ord);
    expect(list.records.find((r) => r.id === record.id)?.values.customer).toEqual(record.values.customer);

    // The same reference echoed back (as read) is not re-checked and does not re-fill.
    const updated = await updateRecord(
      ctx,
      { ...ord, id: record.id, version: 1, values: { customer: read.values.customer, shipTo: 'dock 9' } },
      { viewer: bob() },
    );
    expect(updated.values.shipTo).toBe('dock 9');
    const moved = await updateRecord(
      ctx,
      { ...ord, id: record.id, version: 2, values: { customer: c['Apex 100%_Tools'], shipTo: 'ignored' } },
      { viewer: alice() },
    );
    expect(moved.values).toMatchObject({ shipTo: 'Apex 100%_Tools street', contact: 'Apex 100%_Tools contact' });
  });

  it('refuses a reference outside the filter, the viewer scopes, voided or missing, with its path', async () => {
    const refused = (values: Record<string, unknown>, viewer = alice()) =>
      caught(createRecord(ctx, { ...ord, values }, { viewer }));
    expect(await refused({ customer: c['Closed Corp'] })).toEqual({
      code: 'FORM_VALIDATION_FAILED',
      paths: ['customer'],
    });
    expect(await refused({ customer: c['Bobs Bikes'] })).toEqual({
      code: 'FORM_VALIDATION_FAILED',
      paths: ['customer'],
    });
    expect(await refused({ customer: c['Gone Ltd'] })).toEqual({ code: 'FORM_VALIDATION_FAILED', paths: ['customer'] });
    expect(await refused({ customer: 'no-such-record' })).toEqual({
      code: 'FORM_VALIDATION_FAILED',
      paths: ['customer'],
    });
    expect(await refused({ lines: [{ consignee: c['Acme Trading'] }, { consignee: c['Closed Corp'] }] })).toEqual({
      code: 'FORM_VALIDATION_FAILED',
      paths: ['lines.1.consignee'],
    });
    const ownOnly = {
      memberId: m.alice as string,
      scopes: ['all' as const],
      targets: { 'crm.customer': ['own' as const] },
    };
    expect(await refused({ lines: [{ consignee: c['Bobs Bikes'] }] }, ownOnly)).toEqual({
      code: 'FORM_VALIDATION_FAILED',
      paths: ['lines.0.consignee'],
    });
    expect(await refused({ sameRegion: c['Acme Trading'], region: 'west' })).toEqual({
      code: 'FORM_VALIDATION_FAILED',
      paths: ['sameRegion'],
    });
    const ok = await createRecord(ctx, { ...ord, values: { sameRegion: c['Acme Trading'], region: 'east' } }, {});
    expect((ok.values.sameRegion as { display: string }).display).toBe('Acme Trading');
  });
});

describe('F12 sales contract → F08 customer archive', () => {
  it('fills the customer code, address and contact when a customer is picked', async () => {
    const { customerArchive, salesContract } = await import('./fixtures.ts');
    await publishForm(ctx, customerArchive);
    await publishForm(ctx, salesContract);
    const customerRecord = await createRecord(ctx, {
      pack: 'customerArchive',
      key: 'customerArchive',
      values: { companyName: 'XX化妆品有限公司', address: '北京市朝阳区', contactName: '张三' },
    });
    const contract = await createRecord(ctx, {
      pack: 'salesContract',
      key: 'salesContract',
      values: {
        customerRef: customerRecord.id,
        contactName: '客户端填写的值',
        contractAmount: 100,
        products: [{ name: '广告位' }],
        paymentTerms: [{ amount: 100 }],
      },
    });
    expect(contract.values).toMatchObject({
      customerRef: {
        id: customerRecord.id,
        display: 'XX化妆品有限公司',
        pack: 'customerArchive',
        key: 'customerArchive',
      },
      customerNo: customerRecord.values.customerNo,
      customerAddress: '北京市朝阳区',
      contactName: '张三',
    });
  });
});
