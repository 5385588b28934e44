import { isBatonError } from '@baton/core';
import { describe, expect, it } from 'vitest';
import {
  type CompileOptions,
  checkSchema,
  compile,
  compileOrThrow,
  type ExpressionSchema,
  isPreparedSchema,
  prepareSchema,
} from './index.ts';

const schema: ExpressionSchema = {
  fields: {
    amount: { type: 'money' },
    budget: { type: 'money' },
    qty: { type: 'number' },
    name: { type: 'text' },
    urgent: { type: 'boolean' },
    start: { type: 'date' },
    end: { type: 'date' },
    from: { type: 'datetime' },
    owner: { type: 'member' },
    dept: { type: 'department' },
    tags: { type: 'list<text>' },
    'customer.name': { type: 'text' },
  },
  subtables: {
    items: { columns: { price: { type: 'money' }, quantity: { type: 'number' }, kind: { type: 'text' } } },
    trips: { columns: { days: { type: 'number' } } },
  },
  context: { 'initiator.level': 'number', 'initiator.department': 'department', 'initiator.post': 'text' },
};

function typeOf(source: string, options: CompileOptions = {}) {
  const result = compile(source, schema, options);
  if (!result.ok) throw new Error(`${source}: ${result.issues.map((i) => i.en).join('; ')}`);
  return result.expression.type;
}

function issues(source: string, options: CompileOptions = {}) {
  const result = compile(source, schema, options);
  if (result.ok) throw new Error(`${source} compiled`);
  return result.issues;
}

describe('types', () => {
  it.each([
    ['1 + 2', 'number'],
    ['amount + budget', 'money'],
    ['amount - 100', 'money'],
    ['amount * 1.06', 'money'],
    ['2 * amount', 'money'],
    ['amount / 3', 'money'],
    ['amount / budget', 'number'],
    ['amount % budget', 'money'],
    ['-amount', 'money'],
    ['end - start', 'number'],
    ['start + 30', 'date'],
    ['end - 1', 'date'],
    ['from + 0.5', 'datetime'],
    ['amount > 10000', 'boolean'],
    ['amount >= budget', 'boolean'],
    ["owner = 'm-1'", 'boolean'],
    ['name & qty & amount & start & urgent', 'text'],
    ['customer.name', 'text'],
    ['[1, 2, 3]', 'list<number>'],
    ['[1, ¥2]', 'list<money>'],
    ["[owner, 'm-2']", 'list<text>'],
    ['SUM(items.price)', 'money'],
    ['SUM(items.quantity)', 'number'],
    ['SUM(items.price * items.quantity)', 'money'],
    ['SUM(1, 2, amount)', 'money'],
    ['AVG(trips.days)', 'number'],
    ['COUNT(items)', 'number'],
    ['MAX(start, end)', 'date'],
    ["SUMIF(items.price, items.kind = '差旅')", 'money'],
    ["COUNTIF(items.kind = '差旅')", 'number'],
    ['IF(urgent, amount, 0)', 'money'],
    ["IF(urgent, 'A')", 'text'],
    ["IFS(qty > 10, 'L', qty > 5, 'M', 'S')", 'text'],
    ['COALESCE(amount, budget, 0)', 'money'],
    ["DATEDIF(start, end, 'D')", 'number'],
    ["DATE('2026-01-31')", 'date'],
    ['DATE(2026, 1, 31)', 'date'],
    ['TODAY()', 'date'],
    ['$today', 'date'],
    ['NOW()', 'datetime'],
    ['HOURS(from, NOW())', 'number'],
    ['UPPERMONEY(amount)', 'text'],
    ["CONTAINS(tags, 'vip')", 'boolean'],
    ["CONTAINS(items.kind, '差旅')", 'boolean'],
    ["CONTAINS(name, '公司')", 'boolean'],
    ['ROUND(amount, 0)', 'money'],
    ['ROUND(qty / 3, 2)', 'number'],
    ['NULL', 'null'],
    ['amount = NULL', 'boolean'],
    ['NULL + 1', 'number'],
    ['$initiator.level >= 5', 'boolean'],
    ["$initiator.department IN ['d-sales', 'd-market']", 'boolean'],
    ["$initiator.post NOT IN ['实习生']", 'boolean'],
    ['AND(urgent, amount > 0) OR OR(items.quantity > 10)', 'boolean'],
  ])('%s : %s', (source, type) => {
    expect(typeOf(source)).toBe(type);
  });

  it('lists what an expression reads', () => {
    const result = compile(
      'amount + SUM(items.price) + COUNT(trips) + IF($initiator.level > 3, budget, 0) + DAYS($today, $today)',
      schema,
    );
    expect(result.ok && result.expression.fields).toEqual(['amount', 'items.price', 'trips', 'budget']);
    expect(result.ok && result.expression.context).toEqual(['initiator.level']);
    expect(result.ok && result.expression.volatile).toBe(true);
    expect(result.ok && result.expression.functions).toEqual(['SUM', 'COUNT', 'IF', 'DAYS']);
  });

  it('checks the expected type and converts between number and money', () => {
    expect(typeOf('qty * 10', { expect: 'money' })).toBe('money');
    expect(typeOf('amount', { expect: 'number' })).toBe('number');
    expect(typeOf('owner', { expect: 'text' })).toBe('text');
    expect(typeOf('NULL', { expect: 'date' })).toBe('date');
    const [issue] = issues('amount + 1', { expect: 'boolean' });
    expect(issue).toMatchObject({ code: 'EXPR_RESULT_TYPE', position: { start: 0, end: 10 } });
    expect(issue?.zh).toBe('公式结果应为是/否，实际是金额');
  });
});

describe('row formulas', () => {
  it('reads the current row by bare column name, main fields beside it', () => {
    expect(typeOf('price * quantity', { scope: 'items' })).toBe('money');
    expect(typeOf('items.price * quantity', { scope: 'items' })).toBe('money');
    expect(typeOf('price / SUM(items.price)', { scope: 'items' })).toBe('number');
    expect(typeOf('price * qty', { scope: 'items' })).toBe('money');
    expect(typeOf('$row', { scope: 'items' })).toBe('number');
    expect(typeOf('COUNTIF(items.price > price) + 1', { scope: 'items' })).toBe('number');
    const result = compile('price * quantity + qty', schema, { scope: 'items' });
    expect(result.ok && result.expression.fields).toEqual(['items.price', 'items.quantity', 'qty']);
  });

  it('refuses an unknown scope and $row outside a row formula', () => {
    expect(issues('1', { scope: 'nope' })[0]?.code).toBe('EXPR_SCHEMA_INVALID');
    expect(issues('$row + 1')[0]).toMatchObject({ code: 'EXPR_ROW_OUTSIDE_SUBTABLE', position: { start: 0, end: 4 } });
  });
});

describe('type errors, each with a position and both languages', () => {
  it.each([
    ['foo + 1', 'EXPR_UNKNOWN_FIELD', 0, 3, '未知字段 foo', 'Unknown field foo'],
    ['items.nope', 'EXPR_UNKNOWN_FIELD', 0, 10, '未知字段 items.nope', 'Unknown field items.nope'],
    ['FOO(1)', 'EXPR_UNKNOWN_FUNCTION', 0, 3, '未知函数 FOO', 'Unknown function FOO'],
    ['$boss', 'EXPR_UNKNOWN_CONTEXT', 0, 5, '未知的环境变量 $boss', 'Unknown context variable $boss'],
    ['name > 1', 'EXPR_TYPE_MISMATCH', 0, 8, '运算 > 不能用于文本和数字', 'Operator > cannot combine text and number'],
    ["qty + 'a'", 'EXPR_TYPE_MISMATCH', 0, 9, '运算 + 不能用于数字和文本', 'Operator + cannot combine number and text'],
    [
      'amount * budget',
      'EXPR_TYPE_MISMATCH',
      0,
      15,
      '运算 * 不能用于金额和金额',
      'Operator * cannot combine money and money',
    ],
    [
      'start + end',
      'EXPR_TYPE_MISMATCH',
      0,
      11,
      '运算 + 不能用于日期和日期',
      'Operator + cannot combine date and date',
    ],
    [
      'urgent = 1',
      'EXPR_TYPE_MISMATCH',
      0,
      10,
      '运算 = 不能用于是/否和数字',
      'Operator = cannot combine boolean and number',
    ],
    ['qty / 0', 'EXPR_DIVISION_BY_ZERO', 6, 7, '除数不能为零', 'Division by zero'],
    ['qty % -0', 'EXPR_DIVISION_BY_ZERO', 6, 8, '除数不能为零', 'Division by zero'],
    [
      "ROUND('x')",
      'EXPR_ARGUMENT_TYPE',
      6,
      9,
      '函数 ROUND 的第 1 个参数需要数字或金额，实际是文本',
      'Argument 1 of ROUND must be number or money, got text',
    ],
    [
      'SUM(name)',
      'EXPR_ARGUMENT_TYPE',
      4,
      8,
      '函数 SUM 的第 1 个参数需要数字或金额，实际是文本',
      'Argument 1 of SUM must be number or money, got text',
    ],
    [
      'SUM(items)',
      'EXPR_ARGUMENT_TYPE',
      4,
      9,
      '函数 SUM 的第 1 个参数需要数字或金额，实际是明细行列表',
      'Argument 1 of SUM must be number or money, got list of subtable rows',
    ],
    [
      'SUM(items.kind)',
      'EXPR_ARGUMENT_TYPE',
      4,
      14,
      '函数 SUM 的第 1 个参数需要数字或金额，实际是文本列表',
      'Argument 1 of SUM must be number or money, got list of text',
    ],
    [
      'items.price * 2',
      'EXPR_COLUMN_OUTSIDE_AGGREGATE',
      0,
      11,
      '明细表列 items.price 只能用在汇总函数中，例如 SUM(items.price)',
      'Subtable column items.price can only be used inside an aggregate, e.g. SUM(items.price)',
    ],
    [
      'items + 1',
      'EXPR_SUBTABLE_AS_VALUE',
      0,
      5,
      '明细表 items 不能直接作为值，请用 COUNT(items) 或 SUM(items.列名)',
      'Subtable items is not a value; use COUNT(items) or SUM(items.column)',
    ],
    [
      'SUM(items.price * trips.days)',
      'EXPR_MIXED_SUBTABLES',
      18,
      28,
      '一次汇总只能遍历一个明细表，这里同时用到了 items 和 trips',
      'One aggregate walks one subtable, but this one uses both items and trips',
    ],
    [
      'DATE(2026, 1)',
      'EXPR_ARGUMENT_COUNT',
      0,
      13,
      '函数 DATE 需要 1 / 3 个参数，实际给了 2 个',
      'Function DATE takes 1 / 3 arguments, got 2',
    ],
    [
      'ROUND()',
      'EXPR_ARGUMENT_COUNT',
      0,
      7,
      '函数 ROUND 需要 1–2 个参数，实际给了 0 个',
      'Function ROUND takes 1–2 arguments, got 0',
    ],
    [
      "DATEDIF(start, end, 'W')",
      'EXPR_INVALID_OPTION',
      20,
      23,
      '函数 DATEDIF 的参数 W 无效，可选：D, M, Y',
      'Argument W of DATEDIF is invalid; allowed: D, M, Y',
    ],
    [
      "DATE('2026-02-30')",
      'EXPR_INVALID_DATE',
      5,
      17,
      '2026-02-30 不是有效的日期（格式 YYYY-MM-DD）',
      '2026-02-30 is not a valid date (YYYY-MM-DD)',
    ],
    [
      "IF(urgent, 1, 'x')",
      'EXPR_BRANCH_TYPES',
      14,
      17,
      'IF 的各个结果类型不一致：数字与文本',
      'The results of IF have different types: number and text',
    ],
    [
      'IF(qty, 1, 2)',
      'EXPR_ARGUMENT_TYPE',
      3,
      6,
      '函数 IF 的第 1 个参数需要是/否，实际是数字',
      'Argument 1 of IF must be boolean, got number',
    ],
    [
      'qty AND urgent',
      'EXPR_OPERAND_TYPE',
      0,
      3,
      '运算 AND 需要是/否，实际是数字',
      'Operator AND needs boolean, got number',
    ],
    [
      '-name',
      'EXPR_OPERAND_TYPE',
      1,
      5,
      '运算 - 需要数字或金额，实际是文本',
      'Operator - needs number or money, got text',
    ],
    [
      "qty IN ['a']",
      'EXPR_TYPE_MISMATCH',
      0,
      12,
      '运算 IN 不能用于数字和文本列表',
      'Operator IN cannot combine number and list of text',
    ],
    [
      "[1, 'a']",
      'EXPR_BRANCH_TYPES',
      4,
      7,
      '[ ] 的各个结果类型不一致：数字与文本',
      'The results of [ ] have different types: number and text',
    ],
  ])('%s → %s', (source, code, start, end, zh, en) => {
    const found = issues(source);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code, position: { start, end }, zh, en, message: en, path: [] });
  });

  it('reports every error of an expression at once', () => {
    const found = issues("foo + SUM(name) * bar - ROUND('x') + qty / 0 + BAZ(items.price)");
    expect(found.map((i) => [i.code, i.position.start])).toEqual([
      ['EXPR_UNKNOWN_FIELD', 0],
      ['EXPR_ARGUMENT_TYPE', 10],
      ['EXPR_UNKNOWN_FIELD', 18],
      ['EXPR_ARGUMENT_TYPE', 30],
      ['EXPR_DIVISION_BY_ZERO', 43],
      ['EXPR_UNKNOWN_FUNCTION', 47],
    ]);
  });

  it('puts the caller’s path on every issue', () => {
    const found = issues('foo', { path: ['fields', 'total', 'formula'] });
    expect(found[0]?.path).toEqual(['fields', 'total', 'formula']);
  });

  it('compileOrThrow throws EXPR_INVALID carrying the issues', () => {
    expect(() => compileOrThrow('foo', schema)).toThrow(/Unknown field foo/);
    try {
      compileOrThrow('foo + bar', schema);
    } catch (error) {
      expect(isBatonError(error) && error.code).toBe('EXPR_INVALID');
      expect(isBatonError(error) && error.fields.map((f) => f.code)).toEqual([
        'EXPR_UNKNOWN_FIELD',
        'EXPR_UNKNOWN_FIELD',
      ]);
    }
  });
});

describe('schema validation', () => {
  it('accepts the schema above', () => {
    expect(checkSchema(schema)).toEqual([]);
  });

  it('refuses names that reach into JavaScript objects, whichever way they are written', () => {
    const poisoned = JSON.parse('{"fields": {"__proto__": {"type": "text"}, "ok": {"type": "text"}}}');
    expect(checkSchema(poisoned).map((i) => [i.code, i.path])).toEqual([
      ['EXPR_FORBIDDEN_NAME', ['fields', '__proto__']],
    ]);
    const others: ExpressionSchema = {
      fields: { constructor: { type: 'text' }, 'a.prototype': { type: 'text' } },
      subtables: { items: { columns: { ['__proto__']: { type: 'text' } } } },
      context: { __secret: 'text' },
    };
    expect(checkSchema(others).map((i) => i.code)).toEqual([
      'EXPR_FORBIDDEN_NAME',
      'EXPR_FORBIDDEN_NAME',
      'EXPR_FORBIDDEN_NAME',
      'EXPR_FORBIDDEN_NAME',
    ]);
    const result = compile('1', poisoned);
    expect(result.ok).toBe(false);
  });

  it('refuses bad names, keywords, unknown types, collisions and built-in context names', () => {
    const bad = {
      fields: {
        '1st': { type: 'text' },
        and: { type: 'text' },
        x: { type: 'decimal' },
        y: 'text',
        items: { type: 'text' },
        'items.total': { type: 'money' },
      },
      subtables: { items: { columns: { a: { type: 'number' } } }, rows: {} },
      context: { today: 'date', who: 'person' },
    } as unknown as ExpressionSchema;
    expect(checkSchema(bad).map((i) => i.path.join('.'))).toEqual([
      'subtables.rows',
      'fields.1st',
      'fields.and',
      'fields.x',
      'fields.y',
      'fields.items',
      'fields.items.total',
      'context.today',
      'context.who',
    ]);
    expect(checkSchema(null as unknown as ExpressionSchema)[0]?.code).toBe('EXPR_SCHEMA_INVALID');
  });

  it('is validated once by prepareSchema and then reused by compile', () => {
    const prepared = prepareSchema(schema);
    expect(prepared.issues).toEqual([]);
    if (!prepared.schema) return;
    expect(isPreparedSchema(prepared.schema)).toBe(true);
    expect(prepareSchema(prepared.schema).schema).toBe(prepared.schema);
    const result = compile('SUM(items.price) + amount', prepared.schema);
    expect(result.ok && result.expression.type).toBe('money');
    expect(prepareSchema({ fields: { constructor: { type: 'text' } } }).schema).toBeUndefined();
  });

  it('ignores inherited keys of the schema objects', () => {
    const fields = Object.create({ inherited: { type: 'text' } }) as Record<string, { type: string }>;
    expect(checkSchema({ fields })[0]?.code).toBe('EXPR_SCHEMA_INVALID');
    const own = { fields: { ok: { type: 'text' } } };
    expect(compile('inherited', own).ok).toBe(false);
  });
});
