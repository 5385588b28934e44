import { createRecord, type FieldDefinition, findFieldType, getRecord, listFieldTypes, publishForm } from '@baton/form';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Env, openEnv } from './fixtures.ts';

const l = (text: string) => ({ zh: text, en: text });
const options = [
  { code: 'a', label: l('A') },
  { code: 'b', label: l('B') },
];

// type, config, valid value → stored value, invalid values
const cases: [string, Record<string, unknown>, unknown, unknown, unknown[]][] = [
  ['text', {}, 'hello', 'hello', [12, 'x'.repeat(201), {}]],
  ['longtext', {}, 'line 1\nline 2', 'line 1\nline 2', [true, 'x'.repeat(10_001)]],
  ['richtext', {}, '<p>hi</p>', '<p>hi</p>', [['<p>']]],
  ['number', { scale: 2 }, 12.34, 12.34, ['12', 1.234, Number.NaN, Number.POSITIVE_INFINITY]],
  ['money', {}, 9645300, 9645300, [96453.5, '100', 2 ** 60]],
  ['percent', {}, 12.5, 12.5, ['12%', 1.234]],
  ['date', {}, '2026-02-28', '2026-02-28', ['2026-02-30', '2026/02/01', 20260201]],
  [
    'datetime',
    {},
    '2026-11-28T09:30:00+08:00',
    '2026-11-28T01:30:00.000Z',
    ['2026-11-28 09:30', '2026-11-28T09:30:00', 1],
  ],
  ['month', {}, '2026-11', '2026-11', ['2026-13', '2026-1']],
  ['select', { options }, 'a', 'a', ['c', 1]],
  ['radio', { options }, 'b', 'b', ['z']],
  ['checkboxes', { options }, ['b', 'a'], ['a', 'b'], [['a', 'a'], ['c'], 'a']],
  ['boolean', {}, true, true, ['true', 1]],
  ['member', {}, 'm-1', 'm-1', ['bad id!', 5]],
  ['members', {}, ['m-1', 'm-2'], ['m-1', 'm-2'], [['m-1', 'm-1'], 'm-1']],
  ['department', {}, 'd-1', 'd-1', [['d-1']]],
  ['departments', {}, ['d-1'], ['d-1'], [[1]]],
  ['unit', {}, 'u-1', 'u-1', ['; drop']],
  ['post', {}, 'p-1', 'p-1', [{}]],
  ['attachment', {}, ['f-1'], ['f-1'], [['f-1', 'f-2'], 'f-1']],
  ['attachments', {}, ['f-1', 'f-2'], ['f-1', 'f-2'], [[1]]],
  ['image', {}, ['i-1'], ['i-1'], [['x y']]],
  ['signature', {}, ['s-1'], ['s-1'], [['s-1', 's-2']]],
  ['region', {}, ['110000', '110100', '110101'], ['110000', '110100', '110101'], [['11'], [], ['1', '2', '3', '4']]],
  ['reference', { form: 'crm.customer', display: 'name' }, 'r-1', 'r-1', [['r-1']]],
];

describe('field types', () => {
  it('are all registered', () => {
    expect(listFieldTypes().sort()).toEqual(
      [...cases.map(([type]) => type), 'formula', 'moneyUpper', 'serial', 'opinion'].sort(),
    );
  });

  it.each(cases)(
    '%s accepts valid values, normalises them and refuses invalid ones',
    (type, config, valid, normal, invalid) => {
      const fieldType = findFieldType(type);
      if (!fieldType) throw new Error(type);
      const parsedConfig = fieldType.configSchema.parse(config);
      expect(fieldType.parse(valid, parsedConfig)).toEqual({ ok: true, value: normal });
      expect(fieldType.parse(null, parsedConfig)).toEqual({ ok: true, value: null });
      for (const value of invalid) {
        const result = fieldType.parse(value, parsedConfig);
        expect(result.ok, `${type} must refuse ${JSON.stringify(value)}`).toBe(false);
      }
    },
  );

  it('opinion accepts { text } and refuses other shapes', () => {
    const opinion = findFieldType('opinion');
    const config = opinion?.configSchema.parse({ node: 'legal' });
    expect(opinion?.parse({ text: '同意' }, config)).toEqual({ ok: true, value: { text: '同意' } });
    expect(opinion?.parse('同意', config).ok).toBe(false);
    expect(opinion?.parse({ text: '同意', evil: 1 }, config).ok).toBe(false);
  });
});

const allCases = cases;

describe('every storable type round-trips through the database', () => {
  let env: Env;
  beforeAll(async () => {
    env = await openEnv();
  });
  afterAll(async () => {
    await env?.database.cleanup();
  });

  it('stores and reads back each value unchanged', async () => {
    // References need a published target and read back as { id, display }: test/references.int.test.ts.
    // Upload fields only take registered uploads of the writer: test/attachments.int.test.ts.
    const skipped = new Set(['reference', 'attachment', 'attachments', 'image', 'signature']);
    const cases = allCases.filter(([type]) => !skipped.has(type));
    const fields: FieldDefinition[] = cases.map(([type, config], index) => ({
      key: `f${index}`,
      label: l(type),
      type,
      ...config,
    }));
    await publishForm(env.ctx, { pack: 'demo', key: 'allTypes', kind: 'archive', label: l('all'), fields });
    const values = Object.fromEntries(cases.map(([, , valid], index) => [`f${index}`, valid]));
    const created = await createRecord(env.ctx, { pack: 'demo', key: 'allTypes', values });
    const read = await getRecord(env.ctx, { pack: 'demo', key: 'allTypes', id: created.id });
    const expected = Object.fromEntries(cases.map(([, , , normal], index) => [`f${index}`, normal]));
    expect(read.values).toEqual(expected);
    expect(created.values).toEqual(expected);
    const blank = await createRecord(env.ctx, { pack: 'demo', key: 'allTypes', values: {} });
    expect(Object.values(blank.values).every((value) => value === null)).toBe(true);
  });
});
