import { Readable } from 'node:stream';
import { isBatonError } from '@baton/core';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { SheetErrors } from './errors.ts';
import { SheetLimits } from './limits.ts';

/** One data row as engines take it: the row number in the file (header = its own row) and cells by header. */
export type SheetRow = { row: number; cells: Record<string, unknown> };
export type SheetData = { name: string; file: string; rows: SheetRow[] };
export type UploadedFile = { filename: string; data: Buffer };

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** Reads every sheet of an uploaded .xlsx or .csv (the format comes from its bytes, not its name). */
export async function readUpload(file: UploadedFile): Promise<SheetData[]> {
  if (file.data.length > SheetLimits.fileBytes) {
    throw SheetErrors.tooLarge.create({ what: `${file.data.length} bytes > ${SheetLimits.fileBytes}` });
  }
  const name = file.filename.toLowerCase();
  if (file.data.subarray(0, 4).equals(ZIP)) return readXlsx(file);
  if (file.data.subarray(0, 4).equals(OLE) || name.endsWith('.xls')) {
    throw SheetErrors.unsupported.create({ what: '.xls (Excel 97-2003)' });
  }
  if (name.endsWith('.xlsx')) throw SheetErrors.malformed.create({ file: file.filename, reason: 'not a zip archive' });
  if (!/\.(csv|txt)$/.test(name) && name.includes('.')) {
    throw SheetErrors.unsupported.create({ what: name.slice(name.lastIndexOf('.')) });
  }
  return [await readCsv(file)];
}

// ---- xlsx ----------------------------------------------------------------------------------------------

/**
 * Reads the central directory without unpacking anything, to refuse zip bombs and absurd part counts
 * before exceljs inflates a byte.
 */
export function checkZip(data: Buffer, file: string): number {
  const malformed = (reason: string) => SheetErrors.malformed.create({ file, reason });
  let end = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw malformed('no zip directory');
  const entries = data.readUInt16LE(end + 10);
  const offset = data.readUInt32LE(end + 16);
  if (entries === 0xffff || offset === 0xffffffff) throw SheetErrors.tooLarge.create({ what: 'zip64 archive' });
  if (entries > SheetLimits.xlsxEntries) throw SheetErrors.tooLarge.create({ what: `${entries} parts` });
  let at = offset;
  let unpacked = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) throw malformed('broken zip directory');
    const compressed = data.readUInt32LE(at + 20);
    const size = data.readUInt32LE(at + 24);
    if (size === 0xffffffff || compressed === 0xffffffff) throw SheetErrors.tooLarge.create({ what: 'zip64 part' });
    unpacked += size;
    if (unpacked > SheetLimits.xlsxUnpackedBytes) {
      throw SheetErrors.tooLarge.create({ what: `more than ${SheetLimits.xlsxUnpackedBytes} bytes unpacked` });
    }
    at += 46 + data.readUInt16LE(at + 28) + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
  }
  return unpacked;
}

/** A cell as plain data: text of rich text and hyperlinks, the cached result of a formula, errors blank. */
export function cellValue(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value !== 'object') return value;
  const v = value as { richText?: Array<{ text?: string }>; text?: unknown; result?: unknown; error?: unknown };
  if (Array.isArray(v.richText)) return v.richText.map((part) => part.text ?? '').join('');
  if ('formula' in v || 'sharedFormula' in v) return cellValue(v.result);
  if ('hyperlink' in v) return cellValue(v.text);
  if ('error' in v) return '';
  return '';
}

function tooLong(text: unknown): boolean {
  return typeof text === 'string' && text.length > SheetLimits.cellChars;
}

/** Header cells → names; blank headers are fine unless their column holds data; repeats are refused. */
function headerNames(values: unknown[], sheet: string): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const [index, value] of values.entries()) {
    const name = String(cellValue(value) ?? '').trim();
    if (name && seen.has(name)) throw SheetErrors.headerInvalid.create({ sheet, reason: `"${name}" repeats` });
    if (name) seen.add(name);
    names[index] = name;
  }
  if (names.filter(Boolean).length > SheetLimits.columns) {
    throw SheetErrors.tooLarge.create({ what: `more than ${SheetLimits.columns} columns` });
  }
  return names;
}

function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Collects one sheet's rows (cells at 0-based positions); the first non-blank row is the header. */
function sheetCollector(name: string, file: string) {
  let headers: string[] | undefined;
  const rows: SheetRow[] = [];
  return {
    add(rowNumber: number, values: unknown[]) {
      const cells = values.map(cellValue);
      if (cells.every((cell) => cell === '' || (typeof cell === 'string' && !cell.trim()))) return;
      if (cells.some(tooLong)) throw SheetErrors.tooLarge.create({ what: `a cell of row ${rowNumber} is too long` });
      if (!headers) {
        headers = headerNames(cells, name);
        return;
      }
      if (rows.length >= SheetLimits.rows) {
        throw SheetErrors.tooLarge.create({ what: `more than ${SheetLimits.rows} rows in ${name}` });
      }
      const record: Record<string, unknown> = {};
      for (const [index, cell] of cells.entries()) {
        if (index >= SheetLimits.columns + 50) break;
        const header = headers[index] || (cell === '' ? '' : `(${columnLetter(index)})`);
        if (header) record[header] = cell;
      }
      for (const header of headers) if (header && !(header in record)) record[header] = '';
      rows.push({ row: rowNumber, cells: record });
    },
    done: (): SheetData => ({ name, file, rows }),
  };
}

/**
 * Below this many unpacked bytes a workbook the streaming reader stumbles over is read again in memory.
 * exceljs's streaming reader intermittently drops the last zip entry (exceljs#3064); exceljs itself writes
 * xl/workbook.xml last, so our own exports, uploaded again, are the usual victims.
 */
const IN_MEMORY_RETRY_BYTES = 32 * 1024 * 1024;

async function readXlsx(file: UploadedFile): Promise<SheetData[]> {
  const unpacked = checkZip(file.data, file.filename);
  try {
    return await readXlsxStreaming(file);
  } catch (error) {
    if (isBatonError(error)) throw error;
    if (unpacked > IN_MEMORY_RETRY_BYTES) {
      throw SheetErrors.malformed.create({ file: file.filename, reason: 'not a readable .xlsx workbook' });
    }
  }
  try {
    return await readXlsxInMemory(file);
  } catch (error) {
    if (isBatonError(error)) throw error;
    throw SheetErrors.malformed.create({ file: file.filename, reason: 'not a readable .xlsx workbook' });
  }
}

function sheetLimitCheck(count: number): void {
  if (count >= SheetLimits.sheets)
    throw SheetErrors.tooLarge.create({ what: `more than ${SheetLimits.sheets} sheets` });
}

/** exceljs rows are 1-based sparse arrays. */
const rowValues = (values: unknown): unknown[] =>
  Array.isArray(values) ? Array.from((values as unknown[]).slice(1), (v) => v ?? '') : [];

export async function readXlsxStreaming(file: UploadedFile): Promise<SheetData[]> {
  const sheets: SheetData[] = [];
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file.data]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  for await (const worksheet of reader) {
    sheetLimitCheck(sheets.length);
    const name = (worksheet as unknown as { name?: string }).name ?? `Sheet${sheets.length + 1}`;
    const collect = sheetCollector(name, file.filename);
    for await (const row of worksheet) collect.add(row.number, rowValues(row.values));
    sheets.push(collect.done());
  }
  if (sheets.length === 0) throw SheetErrors.malformed.create({ file: file.filename, reason: 'no worksheet' });
  return sheets;
}

export async function readXlsxInMemory(file: UploadedFile): Promise<SheetData[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file.data as unknown as ArrayBuffer);
  const sheets: SheetData[] = [];
  for (const worksheet of workbook.worksheets) {
    sheetLimitCheck(sheets.length);
    const collect = sheetCollector(worksheet.name, file.filename);
    worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => collect.add(rowNumber, rowValues(row.values)));
    sheets.push(collect.done());
  }
  if (sheets.length === 0) throw SheetErrors.malformed.create({ file: file.filename, reason: 'no worksheet' });
  return sheets;
}

// ---- csv -----------------------------------------------------------------------------------------------

/**
 * Text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 — what Excel in
 * China writes for "CSV" — when the bytes are not valid UTF-8.
 */
export function decodeCsv(data: Buffer): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf)
    return new TextDecoder('utf-8').decode(data.subarray(3));
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}

function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', '\t', ';'].map((d) => [d, firstLine.split(d).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

async function readCsv(file: UploadedFile): Promise<SheetData> {
  const text = decodeCsv(file.data);
  if (text.includes('\u0000')) throw SheetErrors.malformed.create({ file: file.filename, reason: 'binary content' });
  const name = file.filename.replace(/\.[^.]*$/, '') || 'csv';
  const collect = sheetCollector(name, file.filename);
  const parser = parse(text, {
    delimiter: delimiterOf(text),
    relax_column_count: true,
    // Hand-written and Excel CSVs put quotes inside unquoted cells (=HYPERLINK("…")); keep them as text.
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: SheetLimits.cellChars * 4,
  });
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber += 1;
      collect.add(rowNumber, record);
    }
  } catch (error) {
    if (isBatonError(error)) throw error;
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'unreadable';
    throw SheetErrors.malformed.create({ file: file.filename, reason });
  }
  return collect.done();
}
