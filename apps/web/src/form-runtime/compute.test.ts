import { describe, expect, it } from 'vitest';
import {
  columnTotals,
  initialValues,
  prepareClientForm,
  recompute,
  type SemanticsOf,
  validateValues,
  valuesForSave,
} from './compute.ts';
import type { FormDefinition } from './types.ts';

const label = { zh: '字段', en: 'Field' };
// A stand-in for the web registry: the few types this test uses.
const semanticsOf: SemanticsOf = (field) => {
  if (field.type === 'formula') {
    return {
      exprType: String(field.resultType),
      formula: { expr: String(field.expr), expect: String(field.resultType) },
      computed: true,
    };
  }
  if (field.type === 'moneyUpper') {
    return { exprType: 'text', formula: { expr: `UPPERMONEY(${String(field.of)})`, expect: 'text' }, computed: true };
  }
  if (field.type === 'serial') return { exprType: 'text', computed: true };
  return { exprType: field.type === 'money' ? 'money' : field.type === 'number' ? 'number' : 'text' };
};

const def: FormDefinition = {
  pack: 'crm',
  key: 'contract',
  kind: 'flow',
  label,
  fields: [
    { key: 'title', label, type: 'text', required: true },
    { key: 'no', label, type: 'serial' },
    { key: 'amount', label, type: 'formula', expr: 'SUM(items.lineTotal)', resultType: 'money' },
    { key: 'amountUpper', label, type: 'moneyUpper', of: 'amount' },
    {
      key: 'deposit',
      label,
      type: 'money',
      default: 0,
      validation: {
        expr: 'deposit <= amount',
        message: { zh: '定金不能超过合同金额', en: 'Deposit exceeds the amount' },
      },
    },
  ],
  subtables: [
    {
      key: 'items',
      label,
      minRows: 1,
      maxRows: 3,
      totals: ['quantity', 'lineTotal'],
      columns: [
        { key: 'name', label, type: 'text', required: true },
        { key: 'price', label, type: 'money' },
        { key: 'quantity', label, type: 'number' },
        { key: 'lineTotal', label, type: 'formula', expr: 'price * quantity', resultType: 'money' },
      ],
    },
  ],
};

const form = prepareClientForm(def, semanticsOf);
const context = { today: '2026-11-28', now: '2026-11-28T06:00:00.000Z' };

describe('client formulas', () => {
  it('compile in dependency order', () => {
    expect(form.problems).toEqual([]);
    expect(form.formulaOrder.indexOf('items.lineTotal')).toBeLessThan(form.formulaOrder.indexOf('amount'));
    expect(form.formulaOrder.indexOf('amount')).toBeLessThan(form.formulaOrder.indexOf('amountUpper'));
  });

  it('recompute row formulas, sums and moneyUpper live', () => {
    const values = recompute(form, {
      title: '合同',
      deposit: 0,
      items: [
        { name: 'A', price: 1250, quantity: 3 },
        { name: 'B', price: 9641550, quantity: 1 },
      ],
    });
    expect((values.items as Array<{ lineTotal: number }>).map((row) => row.lineTotal)).toEqual([3750, 9641550]);
    expect(values.amount).toBe(9645300);
    expect(values.amountUpper).toBe('玖万陆仟肆佰伍拾叁元整');
  });

  it('keep unchanged rows as the same objects', () => {
    const first = recompute(form, { items: [{ name: 'A', price: 100, quantity: 2 }] });
    const again = recompute(form, first);
    expect(again).toBe(first);
  });

  it('start a new record with defaults and the minimum rows', () => {
    const values = initialValues(form, context);
    expect(values.deposit).toBe(0);
    expect(values.items).toHaveLength(1);
    expect(values.amount).toBe(0);
  });
});

describe('expression defaults', () => {
  it('are computed when a record is opened, from the other defaults and the clock, as the server does', () => {
    const dated: FormDefinition = {
      pack: 'crm',
      key: 'borrow',
      kind: 'flow',
      label,
      fields: [
        { key: 'from', label, type: 'date', default: { from: 'today' } },
        { key: 'to', label, type: 'date', default: { expr: 'ADDDAYS(from, 7)' } },
        { key: 'until', label, type: 'date', default: { expr: 'ADDDAYS(TODAY(), 30)' } },
        { key: 'note', label, type: 'text', default: { expr: 'LEN(' } },
      ],
    };
    const dates: SemanticsOf = (field) => ({ exprType: field.type === 'date' ? 'date' : 'text' });
    const prepared = prepareClientForm(dated, dates);
    expect(prepared.problems).toEqual(['note:default']);
    const clock = { now: () => new Date('2026-11-29T18:00:00.000Z') }; // 11-30 02:00 in Shanghai
    const context = { today: '2026-11-30', now: '2026-11-29T18:00:00.000Z' };
    const values = initialValues(prepared, context, { clock, timeZone: 'Asia/Shanghai' });
    expect(values).toMatchObject({ from: '2026-11-30', to: '2026-12-07', until: '2026-12-30', note: null });
  });
});

describe('columnTotals', () => {
  it('sums declared columns, blanks as 0, without float noise', () => {
    const sub = def.subtables?.[0];
    if (!sub) throw new Error('no subtable');
    expect(
      columnTotals(sub, [{ quantity: 0.1, lineTotal: 100 }, { quantity: 0.2 }, { quantity: null, lineTotal: 5 }]),
    ).toEqual({
      quantity: 0.3,
      lineTotal: 105,
    });
    expect(columnTotals(sub, [])).toEqual({ quantity: 0, lineTotal: 0 });
  });
});

describe('validateValues', () => {
  it('reports required fields and cells, and row limits, with server-style paths', () => {
    const issues = validateValues(form, { title: '', items: [] });
    expect(issues.map((issue) => issue.path.join('.'))).toEqual(['title', 'items']);
    const cells = validateValues(form, {
      title: 'x',
      items: [{ name: '' }, { name: 'b' }, { name: 'c' }, { name: 'd' }],
    });
    expect(cells.map((issue) => `${issue.path.join('.')}:${issue.code}`)).toEqual([
      'items:too_many_rows',
      'items.0.name:required',
    ]);
  });

  it('follows access levels: required makes a field mandatory, read and hidden skip it', () => {
    const values = recompute(form, { title: '', deposit: null, items: [{ name: 'a', price: 1, quantity: 1 }] });
    expect(validateValues(form, values, { title: 'read', deposit: 'required' }).map((i) => i.path.join('.'))).toEqual([
      'deposit',
    ]);
    // A blank deposit never compares (blanks are unordered), so the hidden-title case fills it in.
    expect(validateValues(form, { ...values, deposit: 0 }, { title: 'hidden' })).toEqual([]);
  });

  it('runs validation expressions once every value is present', () => {
    const values = recompute(form, { title: 't', deposit: 5000, items: [{ name: 'a', price: 1000, quantity: 2 }] });
    const issues = validateValues(form, values);
    expect(issues).toEqual([
      {
        path: ['deposit'],
        code: 'validation',
        message: { zh: '定金不能超过合同金额', en: 'Deposit exceeds the amount' },
      },
    ]);
  });
});

describe('valuesForSave', () => {
  it('sends only writable, non-computed keys and strips row ids', () => {
    const values = {
      title: 't',
      no: 'HT-1',
      amount: 5,
      amountUpper: 'x',
      deposit: 1,
      items: [{ id: 'r1', rowNo: 1, name: 'a', price: 1, quantity: 2, lineTotal: 2 }],
    };
    expect(valuesForSave(form, values, { deposit: 'read' })).toEqual({
      title: 't',
      items: [{ name: 'a', price: 1, quantity: 2 }],
    });
  });
});
