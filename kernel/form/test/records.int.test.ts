import { isBatonError } from '@baton/core';
import type { Db } from '@baton/db';
import { createRecord, FormErrors, getRecord, listRecords, publishForm, updateRecord, voidRecord } from '@baton/form';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerArchive, type Env, openEnv, purchasePayment, salesContract } from './fixtures.ts';

let env: Env;
beforeAll(async () => {
  env = await openEnv();
  await publishForm(env.ctx, customerArchive);
  await publishForm(env.ctx, salesContract);
  await publishForm(env.ctx, purchasePayment);
});
afterAll(async () => {
  await env?.database.cleanup();
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

const sc = { pack: 'salesContract', key: 'salesContract' };
const contract = (over: Record<string, unknown> = {}) => ({
  contractAmount: 9645300,
  products: [{ name: '广告位' }],
  paymentTerms: [
    { milestone: '签约', amount: 4645300 },
    { milestone: '上线', amount: 5000000, plannedDate: '2026-12-31' },
  ],
  ...over,
});

describe('F08 customer archive', () => {
  it('applies context defaults, the serial and subtable totals', async () => {
    const record = await createRecord(
      env.ctx,
      {
        pack: 'customerArchive',
        key: 'customerArchive',
        values: {
          companyName: 'XX化妆品有限公司',
          agencyName: '北京XX广告公司',
          productType: 'cosmetics',
          cooperations: [
            { date: '2013-06-11', product: '化妆品网站广告', project: 'XXX化妆品', amount: 12345600 },
            { date: '2013-07-01', amount: 100 },
          ],
        },
      },
      { context: { memberId: 'm-qiu', departmentId: 'd-bj2', unitId: 'u-hq' } },
    );
    expect(record.values).toMatchObject({
      customerNo: 'KH202600001',
      salesLead: 'd-bj2',
      salesperson: 'm-qiu',
      lastUpdated: '2026-11-28',
    });
    expect(record).toMatchObject({
      state: 'active',
      ownerId: 'm-qiu',
      departmentId: 'd-bj2',
      unitId: 'u-hq',
      version: 1,
    });
    expect(record.totals).toEqual({ cooperations: { amount: 12345700 } });
    expect(record.values.cooperations).toHaveLength(2);
  });

  it('refuses a missing required field and invalid values with their paths', async () => {
    const error = await caught(
      createRecord(env.ctx, {
        pack: 'customerArchive',
        key: 'customerArchive',
        values: { productType: 'shoes', cooperations: [{ date: '2013-02-30', amount: 1.5 }] },
      }),
    );
    expect(error.code).toBe('FORM_VALIDATION_FAILED');
    expect(error.paths.sort()).toEqual(['companyName', 'cooperations.0.amount', 'cooperations.0.date', 'productType']);
  });

  it('refuses a duplicate of a declared unique key', async () => {
    const error = await caught(
      createRecord(env.ctx, {
        pack: 'customerArchive',
        key: 'customerArchive',
        values: { companyName: 'XX化妆品有限公司' },
      }),
    );
    expect(error).toEqual({ code: 'FORM_DUPLICATE_KEY', paths: ['companyName'] });
  });

  it('refuses unknown keys with FORM_UNKNOWN_FIELD and their paths', async () => {
    const error = await caught(
      createRecord(env.ctx, {
        pack: 'customerArchive',
        key: 'customerArchive',
        values: { companyName: 'x', bogus: 1, __proto__x: 2, cooperations: [{ amount: 1, nope: 2 }] },
      }),
    );
    expect(error).toEqual({ code: 'FORM_UNKNOWN_FIELD', paths: ['bogus', '__proto__x', 'cooperations.0.nope'] });
  });
});

describe('F12 sales contract', () => {
  it('computes moneyUpper, the monthly serial and keeps subtables in order', async () => {
    const first = await createRecord(env.ctx, { ...sc, values: contract({ contractAmountUpper: '伪造' }) });
    expect(first.values.contractNo).toBe('HT-202611-0001');
    expect(first.values.contractAmountUpper).toBe('玖万陆仟肆佰伍拾叁元整');
    expect(first.state).toBe('draft');
    expect((first.values.paymentTerms as { milestone: string }[]).map((row) => row.milestone)).toEqual([
      '签约',
      '上线',
    ]);
    expect(first.totals).toEqual({ paymentTerms: { amount: 9645300 } });
    const second = await createRecord(env.ctx, { ...sc, values: contract() });
    expect(second.values.contractNo).toBe('HT-202611-0002');
  });

  it('checks the validation expression and row limits', async () => {
    const error = await caught(
      createRecord(env.ctx, { ...sc, values: contract({ contractAmount: 100, products: [] }) }),
    );
    expect(error).toEqual({ code: 'FORM_VALIDATION_FAILED', paths: ['products'] });
    const sum = await caught(createRecord(env.ctx, { ...sc, values: contract({ contractAmount: 100 }) }));
    expect(sum).toEqual({ code: 'FORM_VALIDATION_FAILED', paths: ['contractAmount'] });
  });

  it('lets only the acting node write its opinion', async () => {
    const record = await createRecord(env.ctx, { ...sc, values: contract() });
    const opinion = { opLegal: { text: '我已复核该合同，同意。' } };
    const refused = await caught(updateRecord(env.ctx, { ...sc, id: record.id, version: 1, values: opinion }));
    expect(refused).toEqual({ code: 'FORM_OPINION_NOT_ACTING', paths: ['opLegal'] });
    const wrongNode = await caught(
      updateRecord(env.ctx, { ...sc, id: record.id, version: 1, values: opinion }, { actingNode: 'salesDirector' }),
    );
    expect(wrongNode.code).toBe('FORM_OPINION_NOT_ACTING');
    const updated = await updateRecord(
      env.ctx,
      { ...sc, id: record.id, version: 1, values: opinion },
      { actingNode: 'legal' },
    );
    expect(updated.values.opLegal).toEqual(opinion.opLegal);
    // Echoing the unchanged opinion back is fine.
    const echoed = await updateRecord(env.ctx, {
      ...sc,
      id: record.id,
      version: 2,
      values: { ...updated.values, discount: 8 },
    });
    expect(echoed.values.discount).toBe(8);
    expect(echoed.version).toBe(3);
  });

  it('updates with the optimistic version, recomputes and voids', async () => {
    const record = await createRecord(env.ctx, { ...sc, values: contract() });
    const changed = await updateRecord(env.ctx, {
      ...sc,
      id: record.id,
      version: 1,
      values: { contractAmount: 100, paymentTerms: [{ amount: 100 }], contractAmountUpper: 'x' },
    });
    expect(changed.values).toMatchObject({
      contractAmount: 100,
      contractAmountUpper: '壹元整',
      contractNo: record.values.contractNo,
    });
    expect(changed.values.products).toHaveLength(1);
    expect(changed.values.paymentTerms).toHaveLength(1);
    const stale = await caught(updateRecord(env.ctx, { ...sc, id: record.id, version: 1, values: { discount: 1 } }));
    expect(stale.code).toBe('DB_VERSION_CONFLICT');
    await voidRecord(env.ctx, { ...sc, id: record.id, version: 2 });
    const voided = await getRecord(env.ctx, { ...sc, id: record.id });
    expect(voided).toMatchObject({ state: 'voided', version: 3, voidedAt: '2026-11-28T01:00:00.000Z' });
    expect((await caught(updateRecord(env.ctx, { ...sc, id: record.id, version: 3, values: {} }))).code).toBe(
      'FORM_RECORD_VOIDED',
    );
    expect((await caught(getRecord(env.ctx, { ...sc, id: 'nope' }))).code).toBe('FORM_RECORD_NOT_FOUND');
    expect((await caught(getRecord(env.ctx, { pack: 'x', key: 'y', id: 'nope' }))).code).toBe('FORM_NOT_PUBLISHED');
  });

  it('hands out unique serials to 20 parallel creates', async () => {
    const records = await Promise.all(
      Array.from({ length: 20 }, () => createRecord(env.ctx, { ...sc, values: contract() })),
    );
    const numbers = records.map((record) => record.values.contractNo as string);
    expect(new Set(numbers).size).toBe(20);
    expect(numbers.every((n) => /^HT-202611-\d{4}$/.test(n))).toBe(true);
  });
});

describe('F34 purchase payment', () => {
  const pp = { pack: 'purchasePayment', key: 'purchasePayment' };
  it('stores 120 lines and recomputes formulas on the server, ignoring client values', async () => {
    const items = Array.from({ length: 120 }, (_, i) => ({
      supplier: `供应商${i + 1}`,
      assetName: '笔记本电脑',
      quantity: (i % 3) + 1,
      unitPrice: 100_00 + i,
      rate: i % 2 === 0 ? 1 : 0.5,
      origAmount: 1, // ignored
      localAmount: 1, // ignored
      payStatus: 'unpaid',
    }));
    const record = await createRecord(
      env.ctx,
      { ...pp, values: { applicant: 'm-zhang', requestTotal: 1, paidAmount: 9645300, items } },
      { context: { memberId: 'm-zr', departmentId: 'd-1', unitId: 'u-1' } },
    );
    const expected = items.map((item) => Math.round(item.quantity * item.unitPrice * item.rate));
    const rows = record.values.items as { localAmount: number; origAmount: number; currency: string; rowNo: number }[];
    expect(rows).toHaveLength(120);
    expect(rows.map((row) => row.localAmount)).toEqual(expected);
    expect(rows[1]?.origAmount).toBe(2 * 10001);
    expect(rows[0]?.currency).toBe('CNY');
    expect(rows.map((row) => row.rowNo)).toEqual(items.map((_, i) => i + 1));
    const total = expected.reduce((a, b) => a + b, 0);
    expect(record.values).toMatchObject({
      requestTotal: total,
      paidAmountUpper: '玖万陆仟肆佰伍拾叁元整',
      serialNo: 'CGFK20261128001',
      submitter: 'm-zr',
      company: 'u-1',
      dept: 'd-1',
      date: '2026-11-28',
    });
    expect(record.totals.items?.localAmount).toBe(total);
    const read = await getRecord(env.ctx, { ...pp, id: record.id });
    expect(read.values).toEqual(record.values);
    // Updating the main table keeps the 120 rows; replacing them recomputes every formula.
    const paid = await updateRecord(env.ctx, { ...pp, id: record.id, version: 1, values: { paidAmount: 100 } });
    expect(paid.values).toMatchObject({ paidAmountUpper: '壹元整', requestTotal: total });
    expect(paid.values.items).toHaveLength(120);
    const one = await updateRecord(env.ctx, {
      ...pp,
      id: record.id,
      version: 2,
      values: { requestTotal: 5, items: [{ supplier: 'S', quantity: 3, unitPrice: 333, rate: 1.5, localAmount: 1 }] },
    });
    expect(one.values.requestTotal).toBe(1499); // 3 × 333 = 999 fen × 1.5 = 1498.5 → 1499 (half up)
    expect(one.values.items).toMatchObject([{ origAmount: 999, localAmount: 1499, rowNo: 1 }]);
  });
});

describe('lists', () => {
  const ca = { pack: 'customerArchive', key: 'customerArchive' };
  beforeAll(async () => {
    for (const [i, name] of ['甲公司', '乙公司', '丙广告', '丁公司', '戊广告'].entries()) {
      await createRecord(env.ctx, {
        ...ca,
        values: {
          companyName: name,
          productType: i % 2 === 0 ? 'cosmetics' : 'auto',
          postcode: i === 4 ? null : `10000${i}`,
        },
      });
    }
  });

  it('filters with every operator on declared fields', async () => {
    const names = async (filters: { field: string; op: string; value?: unknown }[]) =>
      (
        await listRecords(env.ctx, { ...ca, filters: filters as never, sort: [{ field: 'companyName', dir: 'asc' }] })
      ).records.map((r) => r.values.companyName);
    expect(await names([{ field: 'productType', op: 'eq', value: 'auto' }])).toEqual(['丁公司', '乙公司'].sort());
    expect((await names([{ field: 'productType', op: 'ne', value: 'auto' }])).length).toBe(4);
    expect(await names([{ field: 'companyName', op: 'contains', value: '广告' }])).toEqual(['丙广告', '戊广告'].sort());
    expect(await names([{ field: 'companyName', op: 'in', value: ['甲公司', '丙广告'] }])).toEqual(
      ['甲公司', '丙广告'].sort(),
    );
    expect(await names([{ field: 'postcode', op: 'isNull' }])).toContain('戊广告');
    expect(await names([{ field: 'postcode', op: 'gte', value: '100003' }])).toEqual(['丁公司']);
    expect(await names([{ field: 'postcode', op: 'lt', value: '100001' }])).toEqual(['甲公司']);
  });

  it('sorts and pages with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listRecords(env.ctx, {
        ...ca,
        sort: [{ field: 'companyName', dir: 'desc' }],
        limit: 2,
        cursor,
      });
      seen.push(...page.records.map((r) => r.values.companyName as string));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(seen).toEqual([...seen].sort().reverse());
  });

  it('refuses undeclared fields and wrong operators before any SQL names them', async () => {
    const statements: string[] = [];
    const spy: KyselyPlugin = {
      transformQuery: (args) => {
        statements.push(JSON.stringify(args.node));
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const ctx = { ...env.ctx, db: env.ctx.db.withPlugin(spy) as Db };
    const hostile = 'id; drop table f_x; --';
    expect(await caught(listRecords(ctx, { ...ca, sort: [{ field: hostile, dir: 'asc' }] }))).toEqual({
      code: 'FORM_QUERY_INVALID',
      paths: ['sort.0.field'],
    });
    expect(await caught(listRecords(ctx, { ...ca, filters: [{ field: 'createdBy', op: 'eq', value: 'x' }] }))).toEqual({
      code: 'FORM_QUERY_INVALID',
      paths: ['filters.0.field'],
    });
    expect(
      await caught(listRecords(ctx, { ...ca, filters: [{ field: 'productType', op: 'contains', value: 'a' }] })),
    ).toEqual({
      code: 'FORM_QUERY_INVALID',
      paths: ['filters.0.op'],
    });
    // The nodes as built (the SQL names are written later, snake_case, by the compiler).
    expect(statements.some((s) => /drop table|created_by|"createdBy"/.test(s))).toBe(false);
    expect(statements.every((s) => s.includes('baton_form_definition'))).toBe(true);
  });

  it('leaves voided records out unless asked', async () => {
    const all = await listRecords(env.ctx, { ...sc, includeVoided: true, limit: 200 });
    const live = await listRecords(env.ctx, { ...sc, limit: 200 });
    expect(all.records.length - live.records.length).toBe(1);
    expect(FormErrors.queryInvalid.code).toBe('FORM_QUERY_INVALID');
  });
});

describe('serial reset (runs last: the fake clock only moves forward)', () => {
  it('starts the monthly counter again in a new month', async () => {
    env.clock.set('2026-11-30T15:59:59.000Z'); // 23:59:59 on 30 November in Shanghai
    expect((await createRecord(env.ctx, { ...sc, values: contract() })).values.contractNo).toMatch(
      /^HT-202611-00\d\d$/,
    );
    env.clock.set('2026-11-30T16:00:00.000Z'); // 00:00 on 1 December in Shanghai
    const first = await createRecord(env.ctx, { ...sc, values: contract() });
    expect(first.values.contractNo).toBe('HT-202612-0001');
  });
});
