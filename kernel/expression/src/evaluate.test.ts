import { createFakeClock } from '@baton/core';
import { describe, expect, it } from 'vitest';
import {
  type CompileOptions,
  compile,
  type EvaluateOptions,
  type ExpressionSchema,
  evaluate,
  evaluateRows,
  upperMoney,
  type Value,
} from './index.ts';

const schema: ExpressionSchema = {
  fields: {
    amount: { type: 'money' },
    budget: { type: 'money' },
    used: { type: 'money' },
    qty: { type: 'number' },
    rate: { type: 'number' },
    name: { type: 'text' },
    urgent: { type: 'boolean' },
    start: { type: 'date' },
    end: { type: 'date' },
    from: { type: 'datetime' },
    to: { type: 'datetime' },
    owner: { type: 'member' },
    tags: { type: 'list<text>' },
    scores: { type: 'list<number>' },
    'customer.name': { type: 'text' },
  },
  subtables: {
    items: {
      columns: {
        price: { type: 'money' },
        quantity: { type: 'number' },
        kind: { type: 'text' },
        done: { type: 'boolean' },
      },
    },
    sessions: { columns: { hours: { type: 'number' }, type: { type: 'text' } } },
  },
  context: { 'initiator.level': 'number', 'initiator.department': 'department', 'initiator.post': 'text' },
};

const clock = createFakeClock('2026-01-31T17:00:00Z');

function run(
  source: string,
  values: Record<string, unknown> = {},
  options: EvaluateOptions & CompileOptions = {},
): Value {
  const result = compile(source, schema, options);
  if (!result.ok) throw new Error(`${source}: ${result.issues.map((i) => i.en).join('; ')}`);
  return evaluate(result.expression, values, { clock, ...options });
}

describe('arithmetic', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['2 * 3 / 4', 1.5],
    ['-2 * -3', 6],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['0.1 + 0.2', 0.3],
    ['0.3 - 0.1', 0.2],
    ['1.1 * 3', 3.3],
    ['1 / 3 * 3', 1],
    ['+5', 5],
  ])('%s = %s', (source, value) => {
    expect(run(source)).toBe(value);
  });

  it('makes 0.1 + 0.2 equal 0.3, as a form user expects', () => {
    expect(run('0.1 + 0.2 = 0.3')).toBe(true);
  });

  it('reads blank numbers as 0 in arithmetic and gives blank for division by zero', () => {
    expect(run('qty + 1')).toBe(1);
    expect(run('qty * rate', { qty: 3 })).toBe(0);
    expect(run('10 / qty', { qty: 0 })).toBeNull();
    expect(run('10 % qty', { qty: 0 })).toBeNull();
    expect(run('amount / qty', { amount: 100, qty: 0 })).toBeNull();
    expect(run('amount / budget', { amount: 100, budget: 0 })).toBeNull();
    expect(run('-qty')).toBe(0);
    expect(run('(10 / qty) * 2', { qty: 0 })).toBeNull();
    expect(run('(10 / qty) + 1', { qty: 0 })).toBeNull();
    expect(run('start + qty', { start: '2026-01-01' })).toBe('2026-01-01');
  });

  it('gives blank for an overflow instead of Infinity', () => {
    expect(run('qty * qty * qty', { qty: 1e200 })).toBeNull();
  });
});

describe('money stays exact', () => {
  it('adds ¥0.10 and ¥0.20 to exactly ¥0.30', () => {
    expect(run('¥0.1 + ¥0.2')).toBe(30);
    expect(run('¥0.1 + ¥0.2 = ¥0.3')).toBe(true);
    expect(run('amount + budget', { amount: 10, budget: 20 })).toBe(30);
    expect(run('amount + 0.2', { amount: 10 })).toBe(30);
  });

  it('multiplies and divides half up to the fen', () => {
    expect(run('3 * ¥33.33')).toBe(9999);
    expect(run('¥100 / 3')).toBe(3333);
    expect(run('¥200 / 3')).toBe(6667);
    // 33.33 × 1.15 = 38.3295 exactly; as floats 3333 × 1.15 is 3832.9499…, which would round the wrong way.
    expect(run('¥33.33 * 1.15')).toBe(3833);
    expect(run('¥0.05 * 0.5')).toBe(3);
    expect(run('-¥0.05 * 0.5')).toBe(-3);
    expect(run('¥1 / 8')).toBe(13);
  });

  it('divides money by money into a ratio and compares money with numbers of yuan', () => {
    expect(run('¥50 / ¥200')).toBe(0.25);
    expect(run('amount > 10000', { amount: 1_000_001 })).toBe(true);
    expect(run('amount > 10000', { amount: 1_000_000 })).toBe(false);
    expect(run('amount = 10000', { amount: 1_000_000 })).toBe(true);
    expect(run('10000.01 <= amount', { amount: 1_000_001 })).toBe(true);
  });

  it('computes differences such as the remaining budget', () => {
    expect(run('budget - used', { budget: 5_000_000, used: 1_234_567 })).toBe(3_765_433);
    expect(run('budget - used', { budget: 5_000_000 })).toBe(5_000_000);
  });

  it('rounds half up (away from zero), for numbers and for money', () => {
    expect(run('ROUND(2.5)')).toBe(3);
    expect(run('ROUND(-2.5)')).toBe(-3);
    expect(run('ROUND(1.005, 2)')).toBe(1.01);
    expect(run('ROUND(2.675, 2)')).toBe(2.68);
    expect(run('ROUND(1234.5678, -2)')).toBe(1200);
    expect(run('ROUND(¥1.25, 1)')).toBe(130);
    expect(run('ROUND(-¥1.25, 1)')).toBe(-130);
    expect(run('ROUND(¥1234.50)')).toBe(123_500);
    expect(run('ROUND(amount, 2)', { amount: 12_345 })).toBe(12_345);
    expect(run('CEIL(1.01)')).toBe(2);
    expect(run('FLOOR(-1.01)')).toBe(-2);
    expect(run('CEIL(¥1.01)')).toBe(200);
    expect(run('FLOOR(3.789, 2)')).toBe(3.78);
    expect(run('ABS(-¥3)')).toBe(300);
  });

  it('converts the result to the expected type', () => {
    expect(run('qty * 2.5', { qty: 3 }, { expect: 'money' })).toBe(750);
    expect(run('amount', { amount: 12_345 }, { expect: 'number' })).toBe(123.45);
    expect(run('IF(urgent, amount, 0.5)', { amount: 100, urgent: false })).toBe(50);
    expect(run('COALESCE(amount, 1)')).toBe(100);
    expect(run('[1, ¥2]')).toEqual([100, 200]);
  });
});

describe('subtables', () => {
  const rows = Array.from({ length: 120 }, (_, i) => ({
    price: 10 + i,
    quantity: i % 3,
    kind: i % 2 === 0 ? '差旅' : '办公',
    done: i % 5 !== 0,
  }));

  it('sums a money column over 120 rows exactly', () => {
    expect(run('SUM(items.price)', { items: rows })).toBe(120 * 10 + (119 * 120) / 2);
    expect(run('SUM(items.price)', { items: Array.from({ length: 120 }, () => ({ price: 10 })) })).toBe(1200);
    expect(run('SUM(sessions.hours)', { sessions: Array.from({ length: 120 }, () => ({ hours: 0.1 })) })).toBe(12);
  });

  it('sums line totals in one go and per kind', () => {
    const expected = rows.reduce((total, row) => total + row.price * row.quantity, 0);
    expect(run('SUM(items.price * items.quantity)', { items: rows })).toBe(expected);
    const travel = rows.filter((row) => row.kind === '差旅').reduce((total, row) => total + row.price, 0);
    expect(run("SUMIF(items.price, items.kind = '差旅')", { items: rows })).toBe(travel);
    expect(run("SUM(IF(items.kind = '差旅', items.price, 0))", { items: rows })).toBe(travel);
  });

  it('counts rows, non-blank values and rows meeting a condition', () => {
    const values = { items: [{ price: 1 }, { price: null }, {}, { price: 5, done: true }] };
    expect(run('COUNT(items)', values)).toBe(4);
    expect(run('COUNT(items.price)', values)).toBe(2);
    expect(run('COUNTIF(items.done)', values)).toBe(1);
    expect(run('COUNTIF(NOT items.done)', values)).toBe(3);
    expect(run('COUNT(items)', {})).toBe(0);
    expect(run('SUM(items.price)', { items: null })).toBe(0);
  });

  it('averages, takes extremes and tests all or any rows', () => {
    const values = { items: [{ price: 1000 }, { price: 1000 }, { price: 1001 }, { price: null }] };
    expect(run('AVG(items.price)', values)).toBe(1000);
    expect(run('AVG(items.price)', { items: [] })).toBeNull();
    expect(run('MAX(items.price)', values)).toBe(1001);
    expect(run('MIN(items.price, 9)', values)).toBe(900);
    expect(run('MAX(start, end)', { start: '2026-01-01', end: '2025-12-31' })).toBe('2026-01-01');
    expect(run('AND(items.done)', { items: [{ done: true }, { done: true }] })).toBe(true);
    expect(run('AND(items.done)', { items: [{ done: true }, { done: null }] })).toBe(false);
    expect(run('OR(items.done)', { items: [{ done: false }, { done: true }] })).toBe(true);
    expect(run('AVG(scores)', { scores: [80, 90, 100] })).toBe(90);
    expect(run('SUM(scores) / COUNT(scores)', { scores: [1, 2] })).toBe(1.5);
  });

  it('joins a column and finds values in it', () => {
    const values = { items: [{ kind: '差旅' }, { kind: null }, { kind: '办公' }] };
    expect(run("TEXTJOIN('、', items.kind)", values)).toBe('差旅、办公');
    expect(run('CONCAT(items.kind)', values)).toBe('差旅办公');
    expect(run("CONTAINS(items.kind, '办公')", values)).toBe(true);
    expect(run("CONTAINS(items.kind, '会议')", values)).toBe(false);
  });

  it('sums working-day hours only (SUMIF over a condition on another column)', () => {
    const sessions = [
      { hours: 2.5, type: '工作日' },
      { hours: 8, type: '公休日' },
      { hours: 1.5, type: '工作日' },
    ];
    expect(run("SUMIF(sessions.hours, sessions.type = '工作日')", { sessions })).toBe(4);
  });

  it('nests aggregates: the inner one is the column total', () => {
    const items = [{ price: 100 }, { price: 300 }];
    expect(run('SUM(items.price / SUM(items.price))', { items })).toBe(1);
  });
});

describe('row formulas', () => {
  const items = [
    { price: 1250, quantity: 3 },
    { price: 99, quantity: 2.5 },
    { price: 500, quantity: null },
  ];

  it('computes the line total of the current row (price × quantity)', () => {
    const options = { scope: 'items' };
    expect(run('price * quantity', { items }, { ...options, rowIndex: 0 })).toBe(3750);
    expect(run('price * quantity', { items }, { ...options, rowIndex: 1 })).toBe(248);
    expect(run('price * quantity', { items }, { ...options, rowIndex: 2 })).toBe(0);
  });

  it('evaluates a row formula for every row', () => {
    const compiled = compile('price * quantity', schema, { scope: 'items' });
    expect(compiled.ok && evaluateRows(compiled.expression, { items })).toEqual([3750, 248, 0]);
    const numbers = compile('$row', schema, { scope: 'items' });
    expect(numbers.ok && evaluateRows(numbers.expression, { items })).toEqual([1, 2, 3]);
  });

  it('reads main fields, the column total and other rows beside the current row', () => {
    expect(run('price * rate', { items, rate: 0.5 }, { scope: 'items', rowIndex: 0 })).toBe(625);
    expect(run('ROUND(price / SUM(items.price), 4)', { items }, { scope: 'items', rowIndex: 1 })).toBe(0.0535);
    // The rank of the row by price: how many rows cost more, plus one.
    expect(run('COUNTIF(items.price > price) + 1', { items }, { scope: 'items', rowIndex: 2 })).toBe(2);
  });

  it('refuses a missing or wrong row index', () => {
    expect(() => run('price', { items }, { scope: 'items' })).toThrow(/rowIndex/);
    expect(() => run('price', { items }, { scope: 'items', rowIndex: 3 })).toThrow(/rowIndex/);
  });
});

describe('dates and times', () => {
  it.each([
    ['2026-01-31', '2026-02-28', 'M', 0],
    ['2026-01-31', '2026-03-30', 'M', 1],
    ['2026-01-31', '2026-03-31', 'M', 2],
    ['2026-01-15', '2026-01-14', 'D', null],
    ['2024-02-28', '2024-03-01', 'D', 2],
    ['2025-02-28', '2025-03-01', 'D', 1],
    ['2024-02-29', '2025-02-28', 'Y', 0],
    ['2024-02-29', '2025-03-01', 'Y', 1],
    ['2024-02-29', '2028-02-29', 'Y', 4],
    ['2023-12-31', '2024-12-31', 'D', 366],
    ['2026-01-01', '2026-12-31', 'y', 0],
  ])('DATEDIF(%s, %s, %s) = %s', (from, to, unit, expected) => {
    expect(run(`DATEDIF(start, end, '${unit}')`, { start: from, end: to })).toBe(expected);
  });

  it('counts training days inclusively and adds days and months', () => {
    expect(run('end - start + 1', { start: '2026-02-27', end: '2026-03-02' })).toBe(4);
    expect(run('DAYS(end, start)', { start: '2024-02-28', end: '2024-03-01' })).toBe(2);
    expect(run('start + 1', { start: '2024-02-28' })).toBe('2024-02-29');
    expect(run('ADDDAYS(start, -1)', { start: '2026-03-01' })).toBe('2026-02-28');
    expect(run('ADDMONTHS(start, 1)', { start: '2026-01-31' })).toBe('2026-02-28');
    expect(run('ADDMONTHS(start, 1)', { start: '2024-01-31' })).toBe('2024-02-29');
    expect(run('ADDMONTHS(start, -13)', { start: '2026-03-31' })).toBe('2025-02-28');
    expect(run('start + 1')).toBeNull();
    expect(run('DATE(2026, 2, 29)')).toBeNull();
    expect(run("DATE('2026-02-28') < DATE('2026-03-01')")).toBe(true);
  });

  it('takes TODAY in Asia/Shanghai from the clock: 2026-01-31T17:00Z is already 1 February there', () => {
    expect(run('TODAY()')).toBe('2026-02-01');
    expect(run('$today')).toBe('2026-02-01');
    expect(run('TODAY()', {}, { timeZone: 'UTC' })).toBe('2026-01-31');
    expect(run('NOW()')).toBe('2026-01-31T17:00:00.000Z');
    expect(run('YEAR(NOW()) * 100 + MONTH(NOW())')).toBe(202602);
    expect(run("DATEDIF(start, TODAY(), 'D')", { start: '2026-01-01' })).toBe(31);
  });

  it('measures overtime in hours between instants, whatever zone they were written in', () => {
    const values = { from: '2026-01-31T18:00:00+08:00', to: '2026-01-31T13:30:00Z' };
    expect(run('HOURS(from, to)', values)).toBe(3.5);
    expect(run('ROUND(HOURS(from, to), 1)', { from: '2026-01-31T10:00:00Z', to: '2026-01-31T10:20:00Z' })).toBe(0.3);
    expect(run('to - from', { from: new Date('2026-01-01T00:00:00Z'), to: '2026-01-02T12:00:00Z' })).toBe(1.5);
    expect(run('DATE(from)', { from: '2026-01-31T16:00:00Z' })).toBe('2026-02-01');
    expect(run('DAY(from)', { from: '2026-01-31T15:59:59Z' })).toBe(31);
    expect(run("from < DATETIME('2026-02-01T00:00:00+08:00')", { from: '2026-01-31T15:59:59Z' })).toBe(true);
  });

  it('refuses an unknown time zone', () => {
    expect(() => run('TODAY()', {}, { timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
  });
});

describe('upper-case money (大写金额)', () => {
  it.each([
    [9_645_300, '玖万陆仟肆佰伍拾叁元整'],
    [0, '零元整'],
    [10_000_000, '壹拾万元整'],
    [1_001_005, '壹万零壹拾元零伍分'],
    [123_456, '壹仟贰佰叁拾肆元伍角陆分'],
    [10_000_000_000, '壹亿元整'],
    [-123_456, '负壹仟贰佰叁拾肆元伍角陆分'],
    [110, '壹元壹角整'],
    [5, '伍分'],
    [100_100_00, '壹拾万零壹佰元整'],
    [100_000_000_101, '壹拾亿零壹元零壹分'],
  ])('%s fen → %s', (fen, text) => {
    expect(run('UPPERMONEY(amount)', { amount: fen })).toBe(text);
    expect(upperMoney(fen)).toBe(text);
  });

  it('never uses the informal 千 or 百', () => {
    expect(upperMoney(999_999_999)).toBe('玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分');
    expect(upperMoney(999_999_999)).not.toMatch(/[千百]/);
  });

  it('takes a number of yuan too, and a blank amount gives empty text', () => {
    expect(run('UPPERMONEY(96453)')).toBe('玖万陆仟肆佰伍拾叁元整');
    expect(run('UPPERMONEY(amount)')).toBe('');
  });
});

describe('text', () => {
  it.each([
    ["'合同' & '-' & 7", '合同-7'],
    ["CONCAT('a', 1, TRUE, NULL, ¥2)", 'a1TRUE2.00'],
    ["LEN('中文😀')", 3],
    ["LEFT('ABCDE', 2)", 'AB'],
    ["RIGHT('ABCDE')", 'E'],
    ["MID('ABCDE', 2, 3)", 'BCD'],
    ["UPPER('abc')", 'ABC'],
    ["LOWER('ABC')", 'abc'],
    ["TRIM('　 abc  ')", 'abc'],
    ["CONTAINS('北京分公司', '分公司')", true],
    ["TEXT(1234.5, '#,##0.00')", '1,234.50'],
    ["TEXT(0.256, '0.0%')", '25.6%'],
    ["TEXT(¥1234567.89, '¥#,##0.00元')", '¥1,234,567.89元'],
    ["TEXT(¥2 / 3, '0.0')", '0.7'],
    ["TEXT(-2.5, '0')", '-3'],
    ["TEXT(DATE('2026-02-01'), 'yyyy年M月d日')", '2026年2月1日'],
    ["TEXT(DATETIME('2026-01-31T17:05:09Z'), 'yyyy-MM-dd HH:mm:ss')", '2026-02-01 01:05:09'],
    ["TEXT(TRUE, '是/否')", '是'],
    ['TEXT(1 / 3)', '0.333333333333333'],
    ["NUMBER('1,234.5') + 1", 1235.5],
    ["NUMBER('abc')", null],
    ["MONEY('12.345')", 1235],
    ['NUMBER(¥12.34)', 12.34],
  ])('%s → %s', (source, value) => {
    expect(run(source)).toBe(value);
  });

  it('treats blank text as empty', () => {
    expect(run("name & '!'")).toBe('!');
    expect(run("name = ''")).toBe(true);
    expect(run('name = NULL', { name: '' })).toBe(true);
    expect(run('LEN(name)')).toBe(0);
    expect(run('ISBLANK(name)', { name: '' })).toBe(true);
    expect(run('COALESCE(name, customer.name)', { 'customer.name': '厦门智和成' })).toBe('厦门智和成');
  });
});

describe('logic and conditions', () => {
  it('short-circuits IF, AND, OR and COALESCE', () => {
    expect(run("IF(qty > 0, 'pos', 1 / 0 = 1)".replace('1 / 0 = 1', "'neg'"), { qty: 1 })).toBe('pos');
    expect(run("IFS(qty > 10, 'L', qty > 5, 'M', 'S')", { qty: 7 })).toBe('M');
    expect(run("IFS(qty > 10, 'L')", { qty: 7 })).toBeNull();
    expect(run('urgent AND qty > 0')).toBe(false);
    expect(run('NOT urgent')).toBe(true);
    expect(run('urgent OR qty = 0')).toBe(false);
    expect(run('ISBLANK(tags)', { tags: [] })).toBe(true);
  });

  it('treats a blank as unordered and equal only to blank', () => {
    expect(run('qty > 0')).toBe(false);
    expect(run('qty < 0')).toBe(false);
    expect(run('qty = NULL')).toBe(true);
    expect(run('qty != 0')).toBe(true);
    expect(run('start < end', { end: '2026-01-01' })).toBe(false);
  });

  it('routes on the initiator’s department, level and post', () => {
    const condition = "$initiator.level >= 5 AND $initiator.department IN ['d-sales', 'd-market'] AND amount > 50000";
    const context = (level: number, department: string) => ({
      context: { 'initiator.level': level, 'initiator.department': department },
    });
    expect(run(condition, { amount: 6_000_000 }, context(5, 'd-sales'))).toBe(true);
    expect(run(condition, { amount: 6_000_000 }, context(4, 'd-sales'))).toBe(false);
    expect(run(condition, { amount: 6_000_000 }, context(6, 'd-hr'))).toBe(false);
    expect(run(condition, { amount: 4_000_000 }, context(6, 'd-market'))).toBe(false);
    expect(run("$initiator.post NOT IN ['实习生']", {}, { context: { 'initiator.post': '销售人员' } })).toBe(true);
    expect(run("$initiator.post NOT IN ['实习生']", {}, { context: {} })).toBe(true);
  });

  it('tests membership in lists and multi-choice fields', () => {
    expect(run("CONTAINS(tags, 'vip')", { tags: ['new', 'vip'] })).toBe(true);
    expect(run("'vip' IN tags", { tags: ['new'] })).toBe(false);
    expect(run('90 IN scores', { scores: [80, 90] })).toBe(true);
    expect(run("owner IN ['m-1', 'm-2']", { owner: 'm-2' })).toBe(true);
    expect(run('amount IN [100, ¥1]', { amount: 100 })).toBe(true);
  });

  it('computes an interview total score and a gross margin', () => {
    expect(run('SUM(scores)', { scores: [8, 9, 10, 7, 9, 8, 10, 9, 8, 9] })).toBe(87);
    expect(run("TEXT((amount - budget) / amount, '0.0%')", { amount: 1_000_000, budget: 650_000 })).toBe('35.0%');
  });
});
