import { isBatonError } from '@baton/core';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { SheetLimits } from './limits.ts';
import { cellValue, checkZip, decodeCsv, readUpload, readXlsxInMemory, readXlsxStreaming } from './read.ts';
import { csvStream, neutralise, type OutSheet, xlsxStream } from './write.ts';

async function bytes(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

const sheet = (rows: Array<Array<string | number | null>>): OutSheet => ({
  name: '记录',
  columns: [
    { header: '名称', kind: 'text' },
    { header: '金额', kind: 'money' },
  ],
  rows,
});

describe('neutralise', () => {
  it('prefixes cells a spreadsheet would evaluate, and nothing else', () => {
    for (const text of ['=1+1', '+86 10', '-2', '@SUM(A1)', '\tx', '\rx']) expect(neutralise(text)).toBe(`'${text}`);
    for (const text of ['a=1', '12', '', "'quoted", ' =x']) expect(neutralise(text)).toBe(text);
  });
});

describe('CSV', () => {
  it('writes a BOM, CRLF, quoting, yuan with two decimals and neutralised text', async () => {
    const out = await bytes(
      csvStream(
        sheet([
          ['=cmd|"/c calc"!A1', 1234.5],
          ['a,b', -3],
          [null, null],
        ]),
      ),
    );
    expect(out.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(out.subarray(3).toString('utf8')).toBe(
      `名称,金额\r\n"'=cmd|""/c calc""!A1",1234.50\r\n"a,b",-3.00\r\n,\r\n`,
    );
  });

  it('reads UTF-8 with or without BOM, UTF-16 and GB18030', () => {
    expect(decodeCsv(Buffer.from('\uFEFF姓名', 'utf8'))).toBe('姓名');
    expect(decodeCsv(Buffer.from('姓名', 'utf8'))).toBe('姓名');
    expect(decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('姓名', 'utf16le')]))).toBe('姓名');
    expect(decodeCsv(Buffer.from([0xd0, 0xd5, 0xc3, 0xfb]))).toBe('姓名');
  });

  it('numbers rows as a spreadsheet shows them, skips blank rows and detects ; and tab', async () => {
    const [data] = await readUpload({ filename: 'x.csv', data: Buffer.from('a;b\r\n\r\n1;2\r\n') });
    expect(data?.rows).toEqual([{ row: 3, cells: { a: '1', b: '2' } }]);
    const [tabbed] = await readUpload({ filename: 'x.txt', data: Buffer.from('a\tb\n1\t"x\ty"\n') });
    expect(tabbed?.rows[0]?.cells).toEqual({ a: '1', b: 'x\ty' });
  });

  it('refuses repeated headers, too many rows and binary content with coded errors', async () => {
    expect(await code(readUpload({ filename: 'x.csv', data: Buffer.from('a,a\n1,2') }))).toBe('SHEET_HEADER_INVALID');
    const many = `a\n${'1\n'.repeat(SheetLimits.rows + 1)}`;
    expect(await code(readUpload({ filename: 'x.csv', data: Buffer.from(many) }))).toBe('SHEET_TOO_LARGE');
    expect(await code(readUpload({ filename: 'x.csv', data: Buffer.from('a\u0000b') }))).toBe('SHEET_MALFORMED');
    expect(await code(readUpload({ filename: 'x.pdf', data: Buffer.from('%PDF') }))).toBe('SHEET_FORMAT_UNSUPPORTED');
  });

  it('names cells under a blank header by their column letter, for the engine to report', async () => {
    const [data] = await readUpload({ filename: 'x.csv', data: Buffer.from('a,,\n1,,x\n') });
    expect(data?.rows[0]?.cells).toEqual({ a: '1', '(C)': 'x' });
  });
});

describe('xlsx', () => {
  it('streams a workbook that reads back with typed cells and neutralised text', async () => {
    const data = await bytes(
      xlsxStream([
        sheet([
          ['@x', 12.5],
          ['普通', null],
        ]),
      ]),
    );
    const [read] = await readUpload({ filename: 'whatever.bin', data });
    expect(read?.name).toBe('记录');
    expect(read?.rows).toEqual([
      { row: 2, cells: { 名称: "'@x", 金额: 12.5 } },
      { row: 3, cells: { 名称: '普通', 金额: '' } },
    ]);
  });

  it('reads a workbook the same way in memory as streamed (the fallback for exceljs#3064)', async () => {
    const workbook = new ExcelJS.Workbook();
    const first = workbook.addWorksheet('部门');
    first.addRow(['部门编码', '成立日期', '说明']);
    first.addRow(['10-00001', new Date(Date.UTC(2024, 2, 7)), { richText: [{ text: '总' }, { text: '部' }] }]);
    first.addRow([]);
    first.addRow(['10-00002', '', '']);
    workbook.addWorksheet('人员').addRow(['工号']);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());
    const file = { filename: 'org.xlsx', data };
    const inMemory = await readXlsxInMemory(file);
    expect(inMemory.map((s) => [s.name, s.rows])).toEqual([
      [
        '部门',
        [
          { row: 2, cells: { 部门编码: '10-00001', 成立日期: '2024-03-07', 说明: '总部' } },
          { row: 4, cells: { 部门编码: '10-00002', 成立日期: '', 说明: '' } },
        ],
      ],
      ['人员', []],
    ]);
    // The streaming reader may lose the race of exceljs#3064; when it does not, it agrees.
    const streamed = await readXlsxStreaming(file).catch(() => undefined);
    if (streamed) expect(streamed).toEqual(inMemory);
  });

  it('reads workbooks with shared strings, several sheets and real date cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const first = workbook.addWorksheet('部门');
    first.addRow(['部门编码', '成立日期', '说明']);
    first.addRow(['10-00001', new Date(Date.UTC(2024, 2, 7)), { richText: [{ text: '总' }, { text: '部' }] }]);
    workbook.addWorksheet('空表');
    const second = workbook.addWorksheet('人员');
    second.addRow(['工号']);
    second.addRow([{ formula: '"E"&"001"', result: 'E001' }]);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());
    const sheets = await readUpload({ filename: 'org.xlsx', data });
    expect(sheets.map((s) => [s.name, s.rows])).toEqual([
      ['部门', [{ row: 2, cells: { 部门编码: '10-00001', 成立日期: '2024-03-07', 说明: '总部' } }]],
      ['空表', []],
      ['人员', [{ row: 2, cells: { 工号: 'E001' } }]],
    ]);
  });

  it('flattens rich text, hyperlinks, formulas (their cached result), dates and errors', () => {
    expect(cellValue({ richText: [{ text: '张' }, { text: '三' }] })).toBe('张三');
    expect(cellValue({ text: 'site', hyperlink: 'https://x' })).toBe('site');
    expect(cellValue({ formula: 'A1*2', result: 4 })).toBe(4);
    expect(cellValue({ formula: 'NOW()' })).toBe('');
    expect(cellValue(new Date('2024-03-07T00:00:00Z'))).toBe('2024-03-07');
    expect(cellValue({ error: '#N/A' })).toBe('');
  });

  it('refuses broken or bomb-like archives before unpacking them', async () => {
    const good = await bytes(xlsxStream([sheet([['a', 1]])]));
    expect(await code(readUpload({ filename: 'x.xlsx', data: good.subarray(0, good.length / 2) }))).toBe(
      'SHEET_MALFORMED',
    );
    const corrupt = Buffer.from(good);
    for (let i = 200; i < corrupt.length - 400; i += 7) corrupt[i] = (corrupt[i] ?? 0) ^ 0x5a;
    expect(['SHEET_MALFORMED', 'SHEET_TOO_LARGE']).toContain(
      await code(readUpload({ filename: 'x.xlsx', data: corrupt })),
    );
    // A central directory claiming a part that unpacks to 4 GB.
    const bomb = Buffer.from(good);
    const end = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const directory = bomb.readUInt32LE(end + 16);
    bomb.writeUInt32LE(0xfffffff0, directory + 24);
    expect(() => checkZip(bomb, 'bomb.xlsx')).toThrow(/too large/);
  });
});
