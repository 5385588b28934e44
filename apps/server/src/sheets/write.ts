import { PassThrough, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

export type SheetFormat = 'xlsx' | 'csv';
export type CellKind = 'text' | 'number' | 'money' | 'date';
export type OutCell = string | number | null | undefined;
export type OutSheet = {
  name: string;
  columns: ReadonlyArray<{ header: string; kind: CellKind }>;
  rows: AsyncIterable<OutCell[]> | Iterable<OutCell[]>;
  /** How many data rows `rows` yields, counted before the download starts (sent as X-Total-Count). */
  total?: number;
};

/**
 * The data rows a download holds (headers not counted), for the client's progress bar: the body is streamed,
 * so there is no Content-Length to measure against.
 */
export const TOTAL_ROWS_HEADER = 'x-total-count';

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell a spreadsheet would take for a formula (= + - @, tab, CR at the start) gets a leading
 * single quote: shown as text, never evaluated (CSV/formula injection). Importers strip it again.
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function outValue(cell: OutCell, kind: CellKind): string | number | null {
  if (cell === null || cell === undefined || cell === '') return null;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return null;
    return kind === 'text' ? neutralise(String(cell)) : cell;
  }
  return neutralise(cell);
}

function csvValue(cell: OutCell, kind: CellKind): string {
  const value = outValue(cell, kind);
  if (value === null) return '';
  if (typeof value === 'number') return kind === 'money' ? value.toFixed(2) : String(value);
  return value;
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
function sheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet';
}

/** Streams an .xlsx workbook (exceljs streaming writer: rows are committed as they come). */
export function xlsxStream(sheets: OutSheet[]): Readable {
  const out = new PassThrough();
  const run = async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    for (const sheet of sheets) {
      const worksheet = workbook.addWorksheet(sheetName(sheet.name));
      worksheet.columns = sheet.columns.map((column) => ({
        header: neutralise(column.header),
        width: Math.min(40, Math.max(10, column.header.length * 2 + 2)),
        style: column.kind === 'money' ? { numFmt: '0.00' } : {},
      }));
      for await (const row of sheet.rows) {
        worksheet.addRow(sheet.columns.map((column, i) => outValue(row[i], column.kind))).commit();
      }
      worksheet.commit();
    }
    await workbook.commit();
  };
  run().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

/** Streams one sheet as CSV: UTF-8 with BOM (so Excel in China opens it as UTF-8), CRLF, RFC 4180 quoting. */
export function csvStream(sheet: OutSheet): Readable {
  const out = stringify({ record_delimiter: 'windows', bom: true });
  const run = async () => {
    const write = (record: string[]) =>
      new Promise<void>((resolve) => {
        if (out.write(record)) resolve();
        else out.once('drain', resolve);
      });
    await write(sheet.columns.map((column) => neutralise(column.header)));
    for await (const row of sheet.rows) await write(sheet.columns.map((column, i) => csvValue(row[i], column.kind)));
    out.end();
  };
  run().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

const contentTypes: Record<SheetFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/**
 * Sends sheets as a download, streamed: xlsx holds them all, csv the first. When every sent sheet knows its
 * row count, their sum goes out as X-Total-Count before the first byte.
 */
export function sendSheets(reply: FastifyReply, input: { filename: string; format: SheetFormat; sheets: OutSheet[] }) {
  const name = `${input.filename}.${input.format}`;
  const ascii = name.replace(/[^\w.-]/g, '_');
  reply
    .header('content-type', contentTypes[input.format])
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store');
  const [first] = input.sheets;
  const sent = input.format === 'xlsx' ? input.sheets : input.sheets.slice(0, 1);
  if (sent.length > 0 && sent.every((sheet) => sheet.total !== undefined)) {
    reply.header(TOTAL_ROWS_HEADER, String(sent.reduce((sum, sheet) => sum + (sheet.total ?? 0), 0)));
  }
  return reply.send(input.format === 'xlsx' || !first ? xlsxStream(input.sheets) : csvStream(first));
}
