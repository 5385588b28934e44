import type { FormDefinition, Label } from './types.ts';

export type LayoutItem = { kind: 'field' | 'subtable'; key: string; span: number };
export type LayoutSection = { key: string; title?: Label; rows: LayoutItem[][] };

export type LayoutOptions = {
  /** False for fields and subtables the viewer may not see: they leave the grid. */
  visible?: (key: string) => boolean;
  /** The width a field takes when the definition does not place it (from its field type). */
  defaultSpan?: (key: string) => number;
};

const FULL = 24;

function clampSpan(span: number | undefined): number {
  if (span === undefined || !Number.isFinite(span)) return FULL;
  return Math.min(FULL, Math.max(1, Math.round(span)));
}

/** Packs items left to right into rows of 24 columns, a subtable always alone on its row. */
function pack(items: LayoutItem[]): LayoutItem[][] {
  const rows: LayoutItem[][] = [];
  let row: LayoutItem[] = [];
  let used = 0;
  for (const item of items) {
    if (item.kind === 'subtable' || used + item.span > FULL) {
      if (row.length) rows.push(row);
      row = [];
      used = 0;
    }
    row.push(item);
    used += item.span;
    if (item.kind === 'subtable') {
      rows.push(row);
      row = [];
      used = 0;
    }
  }
  if (row.length) rows.push(row);
  return rows;
}

/**
 * The grid a form is drawn on, like its paper original: the definition's sections and rows (spans out of 24),
 * then whatever the layout leaves out, packed in declaration order into a last section. Hidden items leave the
 * grid; rows and sections left empty disappear. On a phone every cell becomes 24 wide (done by the view).
 */
export function buildLayout(def: FormDefinition, options: LayoutOptions = {}): LayoutSection[] {
  const visible = options.visible ?? (() => true);
  const defaultSpan = options.defaultSpan ?? (() => FULL);
  const subtableKeys = new Set((def.subtables ?? []).map((sub) => sub.key));
  const known = new Set([...def.fields.map((field) => field.key), ...subtableKeys]);
  const placed = new Set<string>();
  const sections: LayoutSection[] = [];

  for (const [index, section] of (def.layout?.sections ?? []).entries()) {
    const rows: LayoutItem[][] = [];
    for (const row of section.rows) {
      const items: LayoutItem[] = [];
      for (const cell of row) {
        // A key placed twice is drawn once: two inputs for one value would fight each other.
        if (!known.has(cell.field) || placed.has(cell.field)) continue;
        placed.add(cell.field);
        if (!visible(cell.field)) continue;
        const subtable = subtableKeys.has(cell.field);
        items.push({
          kind: subtable ? 'subtable' : 'field',
          key: cell.field,
          span: subtable ? FULL : clampSpan(cell.span),
        });
      }
      rows.push(...(items.some((item) => item.kind === 'subtable') ? pack(items) : items.length ? [items] : []));
    }
    if (rows.length) sections.push({ key: section.key ?? `section-${index}`, title: section.title, rows });
  }

  const rest: LayoutItem[] = [];
  for (const field of def.fields) {
    if (placed.has(field.key) || !visible(field.key)) continue;
    rest.push({ kind: 'field', key: field.key, span: clampSpan(defaultSpan(field.key)) });
  }
  for (const sub of def.subtables ?? []) {
    if (placed.has(sub.key) || !visible(sub.key)) continue;
    rest.push({ kind: 'subtable', key: sub.key, span: FULL });
  }
  if (rest.length) sections.push({ key: 'section-rest', rows: pack(rest) });
  return sections;
}
