import { deflateRawSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { csvRowCounter, formatBytes, progressPercent, xlsxRowCounter } from './export-progress.ts';

// The rows of an export are counted from its bytes as they arrive, whatever the chunking: CSV by record ends
// outside quotes, XLSX by inflating the worksheet out of a zip written the way a streaming writer writes it
// (deflated parts of unknown size, each followed by a data descriptor, the sheet after two other parts).

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** Feeds `data` in pieces of `size` bytes (0: all at once). */
function feed(counter: { push(chunk: Uint8Array<ArrayBuffer>): void }, data: Uint8Array, size: number) {
  const step = size || data.length || 1;
  for (let at = 0; at < data.length; at += step) counter.push(new Uint8Array(data.subarray(at, at + step)));
}

function csv(rows: number): Uint8Array {
  const lines = ['\ufeff名称,说明,金额'];
  for (let i = 0; i < rows; i++) lines.push(`客户${i},"第一行\r\n第二行 ""引号"", 逗号",${i}.00`);
  return bytes(`${lines.join('\r\n')}\r\n`);
}

/** A zip as a streaming writer emits it: local header (sizes unknown, flag 8), deflated data, data descriptor. */
function streamedZip(parts: [string, string][]): Uint8Array {
  const out: Buffer[] = [];
  for (const [name, text] of parts) {
    const data = deflateRawSync(Buffer.from(text, 'utf8'));
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 6);
    header.writeUInt16LE(8, 8);
    header.writeUInt16LE(Buffer.byteLength(name), 26);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(data.length, 8);
    descriptor.writeUInt32LE(Buffer.byteLength(text), 12);
    out.push(header, Buffer.from(name), data, descriptor);
  }
  return new Uint8Array(Buffer.concat(out));
}

function sheetXml(rows: number): string {
  const row = (r: number, text: string) =>
    `<row r="${r}" spans="1:2"><c r="A${r}" t="inlineStr"><is><t>${text}</t></is></c></row>`;
  const body = [row(1, '名称')];
  // Text that looks like a row tag is escaped in XML, so it never counts.
  for (let i = 0; i < rows; i++) body.push(row(i + 2, `&lt;row r="x"&gt; ${i}`));
  return `<?xml version="1.0"?><worksheet><sheetData>${body.join('')}</sheetData></worksheet>`;
}

function xlsx(rows: number): Uint8Array {
  return streamedZip([
    ['xl/theme/theme1.xml', `<a:theme>${'x'.repeat(3000)}</a:theme>`],
    ['_rels/.rels', '<Relationships/>'],
    ['xl/worksheets/sheet1.xml', sheetXml(rows)],
    ['[Content_Types].xml', '<Types/>'],
    ['xl/workbook.xml', '<workbook><sheets><sheet name="S"/></sheets></workbook>'],
  ]);
}

describe('csvRowCounter', () => {
  it.each([0, 1, 3, 1000])('counts %i data rows with quoted line breaks, whatever the chunks', (rows) => {
    for (const size of [0, 1, 7, 4096]) {
      const counter = csvRowCounter();
      feed(counter, csv(rows), size);
      expect(counter.rows()).toBe(rows);
    }
  });
});

describe('xlsxRowCounter', () => {
  it.each([0, 1, 5, 4000])('counts %i data rows of the first worksheet, whatever the chunks', async (rows) => {
    // One-byte chunks only for small files: each chunk is a separate write to the inflater.
    for (const size of rows > 100 ? [0, 13, 1024] : [0, 1, 13, 1024]) {
      const counter = xlsxRowCounter();
      feed(counter, xlsx(rows), size);
      await counter.end();
      expect(counter.rows()).toBe(rows);
    }
  });

  it('counts as the bytes arrive, not only at the end', async () => {
    const data = xlsx(20_000);
    const counter = xlsxRowCounter();
    feed(counter, data.subarray(0, Math.floor(data.length / 2)), 512);
    // The inflater runs asynchronously: wait until it has caught up with the half that was pushed.
    let midway = 0;
    for (let waited = 0; waited < 3_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const now = counter.rows() ?? 0;
      if (now > 0 && now === midway) break;
      midway = now;
    }
    expect(midway).toBeGreaterThan(0);
    expect(midway).toBeLessThan(20_000);
    feed(counter, data.subarray(Math.floor(data.length / 2)), 512);
    await counter.end();
    expect(counter.rows()).toBe(20_000);
  });
});

describe('progress text helpers', () => {
  it('gives whole percents of known counts only', () => {
    expect(progressPercent({ rows: 1, total: 3 })).toBe(33);
    expect(progressPercent({ rows: 5, total: 3 })).toBe(100);
    expect(progressPercent({ rows: 0, total: 0 })).toBe(100);
    expect(progressPercent({ total: 3 })).toBeUndefined();
    expect(progressPercent({ rows: 3 })).toBeUndefined();
    expect([formatBytes(900), formatBytes(2048), formatBytes(3 * 1024 * 1024)]).toEqual(['900 B', '2.0 KB', '3.0 MB']);
  });
});

describe('downloadFile', () => {
  type Module = typeof import('./download.ts');
  let download: Module;
  const clicked: string[] = [];

  function stubBrowser() {
    vi.stubGlobal('window', {
      localStorage: { getItem: () => null, setItem: () => undefined },
      addEventListener: () => undefined,
    });
    vi.stubGlobal('document', {
      documentElement: {},
      cookie: '',
      body: { append: () => undefined },
      createElement: () => {
        const anchor = { href: '', download: '', click: () => clicked.push(anchor.download), remove: () => undefined };
        return anchor;
      },
    });
  }
  beforeAll(async () => {
    stubBrowser();
    download = await import('./download.ts');
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    stubBrowser();
  });

  /** A streamed response whose body arrives in pieces of 100 bytes. */
  function streamed(data: Uint8Array, headers: Record<string, string>, signal?: AbortSignal) {
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (signal?.aborted) return controller.error(new DOMException('aborted', 'AbortError'));
        if (at >= data.length) return controller.close();
        controller.enqueue(data.slice(at, at + 100));
        at += 100;
      },
    });
    return new Response(body, { status: 200, headers });
  }

  it('reports rows of the total the server sent, and saves the file under its name', async () => {
    const data = csv(250);
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        streamed(data, {
          'content-type': 'text/csv; charset=utf-8',
          'x-total-count': '250',
          'content-disposition': `attachment; filename="x.csv"; filename*=UTF-8''%E5%90%88%E5%90%8C.csv`,
        }),
      ),
    );
    vi.stubGlobal('URL', { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined });
    const seen: { bytes: number; rows?: number; total?: number }[] = [];
    await download.downloadFile('/api/x/export?format=csv', {
      fallbackName: 'x.csv',
      onProgress: (progress) => seen.push(progress),
    });
    expect(seen[0]).toEqual({ bytes: 0, rows: 0, total: 250 });
    expect(seen.at(-1)).toEqual({ bytes: data.length, rows: 250, total: 250 });
    const rows = seen.map((p) => p.rows ?? 0);
    expect(rows.every((n, i) => i === 0 || n >= (rows[i - 1] ?? 0))).toBe(true);
    expect(rows.some((n) => n > 0 && n < 250)).toBe(true);
    expect(clicked.at(-1)).toBe('合同.csv');
  });

  it('stops when cancelled: the promise rejects as an abort and nothing is saved', async () => {
    const controller = new AbortController();
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init?: RequestInit) =>
        streamed(csv(500), { 'content-type': 'text/csv', 'x-total-count': '500' }, init?.signal ?? undefined),
      ),
    );
    const before = clicked.length;
    const run = download.downloadFile('/api/x/export?format=csv', {
      fallbackName: 'x.csv',
      signal: controller.signal,
      onProgress: (progress) => {
        if ((progress.rows ?? 0) > 50) controller.abort();
      },
    });
    const error = await run.catch((e: unknown) => e);
    expect(download.isAbort(error)).toBe(true);
    expect(clicked.length).toBe(before);
  });
});
