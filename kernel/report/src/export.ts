import type { DbCtx } from '@baton/db';
import type { ValueType } from './definition.ts';
import { type DrillInput, drillAll } from './drill.ts';
import type { ReportLimits } from './guard.ts';
import { type ReportResult, type RunInput, runReport } from './run.ts';
import { type Locale, type NameLookup, pick, type Scalar } from './values.ts';

// A report result or a drill list as rows of cells for a spreadsheet. Files are the server's job (it writes
// .xlsx/.csv with the one sheet writer, which also neutralises formula injection); here values become what
// people read: money in yuan, choices and org entities by label, 是/否.

export type SheetKind = 'text' | 'number' | 'money' | 'date';
export type SheetColumn = { key: string; header: string; kind: SheetKind };
export type SheetCell = string | number | null;
export type Sheet = {
  name: string;
  columns: SheetColumn[];
  rows: AsyncIterable<SheetCell[]> | Iterable<SheetCell[]>;
  /** The number of rows `rows` yields, known before the first is sent (for a download's progress). */
  total: number;
};

const kindOf = (type: ValueType): SheetKind =>
  type === 'money' ? 'money' : type === 'number' ? 'number' : type === 'date' ? 'date' : 'text';

function cellOf(value: Scalar | undefined, type: ValueType, locale: Locale): SheetCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return locale === 'zh-CN' ? (value ? '是' : '否') : value ? 'Yes' : 'No';
  if (type === 'money' && typeof value === 'number') return value / 100;
  return value;
}

/** The rows of a result as a sheet: dimension labels, then figures (a cross-tab: one column per header × figure). */
export function resultSheet(result: ReportResult, locale: Locale = 'zh-CN'): Sheet {
  const rowDims = result.dimensions.filter((d) => d.axis === 'row');
  const figures = result.measures;
  const columns: SheetColumn[] = rowDims.map((d) => ({ key: d.key, header: pick(d.label, locale), kind: 'text' }));
  const crossTab = result.dimensions.some((d) => d.axis === 'column');
  const totalText = locale === 'zh-CN' ? '合计' : 'Total';
  const subtotalText = locale === 'zh-CN' ? '小计' : 'Subtotal';
  if (crossTab) {
    for (const [c, header] of result.columns.entries()) {
      const name = Object.values(header.labels).join(' / ');
      for (const figure of figures) {
        columns.push({
          key: `c${c}.${figure.key}`,
          header: `${name} · ${pick(figure.label, locale)}`,
          kind: kindOf(figure.type),
        });
      }
    }
    if (result.rows.some((row) => Object.keys(row.values).length > 0)) {
      for (const figure of figures) {
        columns.push({
          key: `total.${figure.key}`,
          header: `${totalText} · ${pick(figure.label, locale)}`,
          kind: kindOf(figure.type),
        });
      }
    }
  } else {
    for (const figure of figures)
      columns.push({ key: figure.key, header: pick(figure.label, locale), kind: kindOf(figure.type) });
  }
  const withTotals = columns.some((c) => c.key.startsWith('total.'));
  const rows: SheetCell[][] = result.rows.map((row) => {
    const cells: SheetCell[] = rowDims.map((d, i) => {
      if (d.key in row.labels) return row.labels[d.key] ?? null;
      const firstMissing = rowDims.findIndex((dim) => !(dim.key in row.labels));
      return i === firstMissing ? (row.kind === 'total' ? totalText : subtotalText) : null;
    });
    if (crossTab) {
      for (const cell of row.cells ?? []) {
        for (const figure of figures) cells.push(cellOf(cell?.[figure.key], figure.type, locale));
      }
      if (withTotals) for (const figure of figures) cells.push(cellOf(row.values[figure.key], figure.type, locale));
    } else {
      for (const figure of figures) cells.push(cellOf(row.values[figure.key], figure.type, locale));
    }
    return cells;
  });
  return { name: pick(result.report.label, locale), columns, rows, total: rows.length };
}

/** Runs a report and returns its result as a sheet. */
export async function exportReport(
  ctx: DbCtx,
  input: RunInput,
  options: { refs?: NameLookup; limits?: Partial<ReportLimits> } = {},
): Promise<Sheet> {
  const result = await runReport(ctx, input, options);
  return resultSheet(result, input.locale ?? 'zh-CN');
}

/**
 * The records behind a figure as a sheet, streamed page by page (counted first: more than maxExportRows is
 * REPORT_EXPORT_TOO_LARGE before anything is sent). Record id and flow instance id lead, then the drill columns.
 */
export async function exportDrill(
  ctx: DbCtx,
  input: DrillInput,
  options: { refs?: NameLookup; limits?: Partial<ReportLimits> } = {},
): Promise<Sheet> {
  const locale = input.locale ?? 'zh-CN';
  const { columns, records, total } = await drillAll(ctx, input, options);
  const zh = locale === 'zh-CN';
  const sheetColumns: SheetColumn[] = [
    { key: 'id', header: zh ? '记录编号' : 'Record id', kind: 'text' },
    { key: 'flowInstanceId', header: zh ? '流程实例' : 'Flow instance', kind: 'text' },
    ...columns.map((column) => ({
      key: column.path,
      header: pick(column.label, locale),
      kind: (column.type === 'money' || (column.type === 'formula' && column.kind === 'bigint')
        ? 'money'
        : ['bigint', 'integer', 'decimal'].includes(column.kind)
          ? 'number'
          : column.kind === 'date'
            ? 'date'
            : 'text') as SheetKind,
    })),
  ];
  async function* rows(): AsyncIterable<SheetCell[]> {
    for await (const record of records) {
      const cells: SheetCell[] = [record.id, record.flowInstanceId];
      for (const column of sheetColumns.slice(2)) {
        const label = record.labels[column.key];
        const value = record.values[column.key];
        if (label !== undefined) cells.push(label);
        else if (value === null || value === undefined) cells.push(null);
        else if (column.kind === 'money' && typeof value === 'number') cells.push(value / 100);
        else if (typeof value === 'number' || typeof value === 'string') cells.push(value);
        else cells.push(JSON.stringify(value));
      }
      yield cells;
    }
  }
  return { name: zh ? '明细' : 'Records', columns: sheetColumns, rows: rows(), total };
}
