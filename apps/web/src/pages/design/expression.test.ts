import { describe, expect, it } from 'vitest';
import type { SemanticsOf } from '../../form-runtime/compute.ts';
import type { FormDefinition } from '../../form-runtime/types.ts';
import { checkExpression, insertAt, pickerEntries, schemaOf } from './expression.ts';

const label = { zh: '字段', en: 'Field' };
const types: Record<string, string | null> = {
  members: 'list<member>',
  number: 'number',
  money: 'money',
  text: 'text',
  datetime: 'datetime',
  attachment: null,
};
const semanticsOf: SemanticsOf = (field) =>
  field.type === 'formula'
    ? { exprType: String(field.resultType), computed: true }
    : { exprType: types[field.type] ?? null };

const def: FormDefinition = {
  pack: 'office',
  key: 'booking',
  kind: 'flow',
  label,
  fields: [
    { key: 'attendees', label: { zh: '参会人', en: 'Attendees' }, type: 'members' },
    { key: 'headcount', label, type: 'formula', expr: 'COUNT(attendees)', resultType: 'number' },
    { key: 'startAt', label, type: 'datetime' },
    { key: 'files', label, type: 'attachment' },
  ],
  subtables: [
    {
      key: 'items',
      label: { zh: '明细', en: 'Lines' },
      columns: [
        { key: 'price', label, type: 'money' },
        { key: 'quantity', label, type: 'number' },
      ],
    },
  ],
};

describe('formula editor checks', () => {
  const schema = schemaOf(def, semanticsOf);

  it('accepts what the server accepts: counting members, row formulas in a subtable scope', () => {
    expect(checkExpression('COUNT(attendees)', schema, { expect: 'number' })).toEqual({ ok: true });
    expect(checkExpression('price * quantity', schema, { scope: 'items', expect: 'money' })).toEqual({ ok: true });
    expect(checkExpression('SUM(items.price * items.quantity)', schema, { expect: 'money' })).toEqual({ ok: true });
  });

  it('reports every coded issue with its position, and a blank formula', () => {
    const unknown = checkExpression('COUNT(atendees)', schema, { expect: 'number' });
    expect(unknown).toMatchObject({
      ok: false,
      issues: [{ code: 'EXPR_UNKNOWN_FIELD', position: { start: 6, end: 14 } }],
    });
    const mismatch = checkExpression("startAt & 'x'", schema, { expect: 'number' });
    expect(mismatch.ok).toBe(false);
    expect(checkExpression('price', schema, { expect: 'money' })).toMatchObject({ ok: false });
    expect(checkExpression('  ', schema, { expect: 'number' })).toEqual({ ok: false, blank: true });
  });

  it('offers the names a formula may use in each scope, never the field itself or unreadable types', () => {
    const main = pickerEntries(def, semanticsOf, { self: 'headcount' }).map((e) => e.insert);
    expect(main).toEqual(['attendees', 'startAt', 'COUNT(items)', 'items.price', 'items.quantity']);
    const row = pickerEntries(def, semanticsOf, { scope: 'items', self: 'quantity' }).map((e) => e.insert);
    expect(row).toEqual(['price', 'attendees', 'headcount', 'startAt']);
  });

  it('inserts a name at the caret without gluing it to the word before', () => {
    expect(insertAt('COUNT()', 6, 6, 'attendees')).toEqual({ value: 'COUNT(attendees)', caret: 15 });
    expect(insertAt('price', 5, 5, 'quantity')).toEqual({ value: 'price quantity', caret: 14 });
  });
});
