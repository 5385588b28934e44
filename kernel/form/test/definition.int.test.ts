import { isBatonError } from '@baton/core';
import { defineForm, type FieldDefinition, type FormDefinitionInput, FormErrors, validateForm } from '@baton/form';
import { describe, expect, it } from 'vitest';
import { customerArchive, purchasePayment, salesContract } from './fixtures.ts';

const l = (text: string) => ({ zh: text, en: text });

function form(fields: FieldDefinition[], extra: Partial<FormDefinitionInput> = {}): FormDefinitionInput {
  return { pack: 'demo', key: 'demoForm', kind: 'archive', label: l('demo'), fields, ...extra };
}

const f = (key: string, type: string, more: Record<string, unknown> = {}): FieldDefinition => ({
  key,
  label: l('field'),
  type,
  ...more,
});

/** path → codes of the issues of `def`. */
function issuesOf(def: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of validateForm(def)) {
    const path = issue.path.join('.');
    out[path] = [...(out[path] ?? []), issue.code];
  }
  return out;
}

describe('catalog forms', () => {
  it('F08, F12 and F34 validate', () => {
    expect(validateForm(customerArchive)).toEqual([]);
    expect(validateForm(salesContract)).toEqual([]);
    expect(validateForm(purchasePayment)).toEqual([]);
  });

  it('defineForm applies defaults once, deep-freezes and hashes the content', () => {
    const def = defineForm(salesContract);
    expect(def.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.isFrozen(def)).toBe(true);
    expect(Object.isFrozen(def.fields[0])).toBe(true);
    expect(Object.isFrozen(def.subtables[0]?.columns)).toBe(true);
    expect(def.fields.find((x) => x.key === 'customerNo')).toMatchObject({ required: false, maxLength: 200 });
    expect(defineForm(salesContract).hash).toBe(def.hash);
    expect(defineForm(def).hash).toBe(def.hash);
    expect(defineForm({ ...salesContract, label: l('changed') }).hash).not.toBe(def.hash);
  });
});

describe('validateForm reports every problem with its path', () => {
  it.each([
    ['Amount', 'key_syntax'],
    ['"; drop table x; --', 'key_syntax'],
    ['x'.repeat(1000), 'key_too_long'],
    ['аmount', 'key_syntax'], // Cyrillic а
    ['__proto__', 'key_syntax'],
    ['constructor', 'key_reserved'],
    ['select', 'key_reserved'],
    ['id', 'key_reserved'],
    ['createdAt', 'key_reserved'],
    ['ownerId', 'key_reserved'],
    ['snake_case', 'key_syntax'],
    ['', 'key_syntax'],
  ])('refuses the key %j', (key, code) => {
    expect(issuesOf(form([f('ok', 'text'), f(key, 'text')]))['fields.1.key']).toContain(code);
  });

  it('refuses bad pack and form keys and over-long table names', () => {
    expect(issuesOf({ ...form([f('a', 'text')]), pack: 'Bad Pack' }).pack).toEqual(['key_syntax']);
    expect(issuesOf({ ...form([f('a', 'text')]), key: 'drop' }).key).toEqual(['key_reserved']);
    const long = issuesOf({ ...form([f('a', 'text')]), pack: 'p'.repeat(35), key: 'k'.repeat(35) });
    expect(long.key).toEqual(['name_too_long']);
  });

  it('finds duplicates, unknown types and bad config', () => {
    const issues = issuesOf(
      form(
        [
          f('a', 'text'),
          f('a', 'text'),
          f('b', 'colour'),
          f('c', 'select'),
          f('d', 'number', { scale: 20 }),
          f('e', 'text', { foo: 1 }),
        ],
        {
          subtables: [
            {
              key: 'a',
              label: l('rows'),
              columns: [f('x', 'text'), f('x', 'money'), f('y', 'wat')],
            },
          ],
        },
      ),
    );
    expect(issues['fields.1.key']).toEqual(['duplicate_key']);
    expect(issues['fields.2.type']).toEqual(['unknown_type']);
    expect(issues['fields.3.options']).toEqual(['bad_config']);
    expect(issues['fields.4.scale']).toContain('bad_config');
    expect(issues['fields.5']).toEqual(['bad_config']);
    expect(issues['subtables.0.key']).toEqual(['duplicate_key']);
    expect(issues['subtables.0.columns.1.key']).toEqual(['duplicate_key']);
    expect(issues['subtables.0.columns.2.type']).toEqual(['unknown_type']);
  });

  it('compiles formulas, validations and defaults against the form itself', () => {
    const issues = validateForm(
      form([
        f('amount', 'money'),
        f('broken', 'formula', { expr: 'amount +', resultType: 'money' }),
        f('ghost', 'formula', { expr: 'nothing * 2', resultType: 'number' }),
        f('check', 'text', { validation: { expr: 'amount + 1', message: l('m') } }),
        f('price', 'money', { default: { expr: "'abc'" } }),
        f('choice', 'select', { options: [{ code: 'a', label: l('a') }], default: 'zzz' }),
        f('who', 'text', { default: { from: 'member' } }),
        f('upper', 'moneyUpper', { of: 'who' }),
        f('serialNo', 'serial', { pattern: 'NO-{seq:3}-{seq:2}' }),
      ]),
    );
    const at = (path: string) => issues.filter((issue) => issue.path.join('.').startsWith(path));
    expect(at('fields.1.expr').length).toBeGreaterThan(0);
    expect(at('fields.2.expr').map((i) => i.code)).toContain('EXPR_UNKNOWN_FIELD');
    expect(at('fields.3.validation.expr').length).toBeGreaterThan(0);
    expect(at('fields.4.default.expr').length).toBeGreaterThan(0);
    expect(at('fields.5.default').map((i) => i.code)).toEqual(['not_option']);
    expect(at('fields.6.default.from').map((i) => i.code)).toEqual(['default_type']);
    expect(at('fields.7.of').map((i) => i.code)).toEqual(['not_money_field']);
    expect(at('fields.8.pattern').map((i) => i.code)).toEqual(['serial_sequence']);
  });

  it('finds formula cycles, bad totals, generated columns, layout and key problems', () => {
    const issues = issuesOf(
      form(
        [
          f('a', 'formula', { expr: 'b + 1', resultType: 'number' }),
          f('b', 'formula', { expr: 'a + 1', resultType: 'number' }),
          f('tags', 'checkboxes', { options: [{ code: 'x', label: l('x') }] }),
        ],
        {
          subtables: [
            {
              key: 'rows',
              label: l('rows'),
              columns: [f('name', 'text'), f('no', 'serial', { pattern: '{seq:3}' })],
              totals: ['name'],
            },
          ],
          layout: {
            sections: [
              {
                rows: [
                  [
                    { field: 'a', span: 12 },
                    { field: 'missing', span: 12 },
                  ],
                  [
                    { field: 'rows', span: 12 },
                    { field: 'b', span: 18 },
                  ],
                ],
              },
            ],
          },
          keys: [['nope'], ['tags']],
        },
      ),
    );
    expect(issues['fields.0.expr']).toEqual(['formula_cycle']);
    expect(issues['subtables.0.totals.0']).toEqual(['bad_total']);
    expect(issues['subtables.0.columns.1.type']).toEqual(['not_in_subtable']);
    expect(issues['layout.sections.0.rows.0.1.field']).toEqual(['unknown_field']);
    expect(issues['layout.sections.0.rows.1']).toEqual(['row_too_wide']);
    expect(issues['keys.0.0']).toEqual(['unknown_field']);
    expect(issues['keys.1.0']).toEqual(['bad_key_field']);
  });

  it('defineForm throws FORM_DEFINITION_INVALID carrying every issue', () => {
    let error: unknown;
    try {
      defineForm(form([f('Bad', 'text'), f('ok', 'nope')]));
    } catch (caught) {
      error = caught;
    }
    expect(FormErrors.definitionInvalid.is(error)).toBe(true);
    expect(isBatonError(error) && error.fields.map((i) => i.path.join('.'))).toEqual(['fields.0.key', 'fields.1.type']);
  });

  it('refuses a structurally broken definition without throwing', () => {
    expect(issuesOf({ pack: 'a' })).toMatchObject({ key: expect.any(Array), fields: expect.any(Array) });
    expect(issuesOf(null)).toMatchObject({ '': expect.any(Array) });
  });
});
