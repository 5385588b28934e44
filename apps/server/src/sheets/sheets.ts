import { normaliseHeader } from '@baton/org';
import { SheetErrors } from './errors.ts';
import type { SheetData } from './read.ts';

/**
 * Picks the sheets an import expects out of uploaded workbooks and CSV files: by sheet (or file) name
 * first, else by a header only that sheet has. Empty sheets are ignored; anything else is refused.
 */
export function assignSheets<K extends string>(
  sheets: SheetData[],
  expected: Record<K, { names: readonly string[]; marker: readonly string[] }>,
): Partial<Record<K, SheetData>> {
  const kinds = Object.keys(expected) as K[];
  const result: Partial<Record<K, SheetData>> = {};
  const expectedText = kinds.map((k) => expected[k].names[0] ?? k).join(', ');
  for (const sheet of sheets) {
    if (sheet.rows.length === 0) continue;
    const name = normaliseHeader(sheet.name);
    const headers = new Set(Object.keys(sheet.rows[0]?.cells ?? {}).map(normaliseHeader));
    const kind =
      kinds.find((k) => expected[k].names.some((n) => normaliseHeader(n) === name)) ??
      kinds.find((k) => expected[k].marker.some((m) => headers.has(normaliseHeader(m))));
    if (!kind || result[kind]) throw SheetErrors.sheetUnknown.create({ sheet: sheet.name, expected: expectedText });
    result[kind] = sheet;
  }
  return result;
}

/** Pulls the first item now, so that errors raised by the source surface before a download starts. */
export async function primed<T>(source: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  return {
    async *[Symbol.asyncIterator]() {
      if (first.done) return;
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    },
  };
}
