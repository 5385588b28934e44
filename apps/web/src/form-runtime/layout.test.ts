import { describe, expect, it } from 'vitest';
import { buildLayout } from './layout.ts';
import type { FormDefinition } from './types.ts';

const label = { zh: '字段', en: 'Field' };
const def: FormDefinition = {
  pack: 'crm',
  key: 'contract',
  kind: 'flow',
  label,
  fields: ['title', 'customer', 'amount', 'upper', 'note', 'secret'].map((key) => ({ key, label, type: 'text' })),
  subtables: [{ key: 'items', label, columns: [{ key: 'name', label, type: 'text' }] }],
  layout: {
    sections: [
      {
        key: 'head',
        title: { zh: '基本信息', en: 'Basics' },
        rows: [
          [{ field: 'title' }],
          [
            { field: 'customer', span: 12 },
            { field: 'secret', span: 12 },
          ],
        ],
      },
      {
        rows: [
          [
            { field: 'amount', span: 16 },
            { field: 'upper', span: 8 },
          ],
          [{ field: 'items' }],
          [{ field: 'ghost' }],
        ],
      },
    ],
  },
};

describe('buildLayout', () => {
  it('follows the sections and spans of the definition', () => {
    const sections = buildLayout(def);
    expect(sections.map((s) => s.key)).toEqual(['head', 'section-1', 'section-rest']);
    expect(sections[0]?.rows).toEqual([
      [{ kind: 'field', key: 'title', span: 24 }],
      [
        { kind: 'field', key: 'customer', span: 12 },
        { kind: 'field', key: 'secret', span: 12 },
      ],
    ]);
    expect(sections[1]?.rows[1]).toEqual([{ kind: 'subtable', key: 'items', span: 24 }]);
  });

  it('packs fields the layout leaves out into a last section', () => {
    const sections = buildLayout(def, { defaultSpan: () => 12 });
    expect(sections.at(-1)?.rows).toEqual([[{ kind: 'field', key: 'note', span: 12 }]]);
  });

  it('drops hidden fields, then empty rows and sections', () => {
    const hidden = new Set(['title', 'customer', 'secret', 'note']);
    const sections = buildLayout(def, { visible: (key) => !hidden.has(key) });
    expect(sections.map((s) => s.key)).toEqual(['section-1']);
  });

  it('lays out a form without a layout in declaration order, subtables on their own rows', () => {
    const { layout: _layout, ...bare } = def;
    const sections = buildLayout(bare, { defaultSpan: (key) => (key === 'note' ? 24 : 12) });
    expect(sections).toHaveLength(1);
    expect(sections[0]?.rows.map((row) => row.map((item) => item.key))).toEqual([
      ['title', 'customer'],
      ['amount', 'upper'],
      ['note'],
      ['secret'],
      ['items'],
    ]);
  });

  it('clamps spans into 1..24', () => {
    const odd: FormDefinition = { ...def, layout: { sections: [{ rows: [[{ field: 'title', span: 40 }]] }] } };
    expect(buildLayout(odd)[0]?.rows[0]?.[0]?.span).toBe(24);
  });
});
