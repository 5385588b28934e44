// Counting the data rows of an export as its bytes arrive, so a download can show "rows of the total" (the
// server sends the total as X-Total-Count; a streamed body has no Content-Length). CSV: record ends outside
// quotes. XLSX: the first worksheet's part of the zip stream is inflated as it comes (DecompressionStream) and
// its <row> elements counted; without DecompressionStream the count stays unknown and only bytes are shown.
// Both skip the header row.

export type RowCounter = {
  push(chunk: Uint8Array<ArrayBuffer>): void;
  /** Data rows seen so far (undefined: this format cannot be counted here). */
  rows(): number | undefined;
  /** Waits until every pushed byte has been counted. */
  end(): Promise<void>;
};

const QUOTE = 0x22;
const LF = 0x0a;

/** RFC 4180 records: a line feed ends one unless it is inside a quoted field ("" inside quotes toggles twice). */
export function csvRowCounter(): RowCounter {
  let quoted = false;
  let lines = 0;
  return {
    push(chunk) {
      for (const byte of chunk) {
        if (byte === QUOTE) quoted = !quoted;
        else if (byte === LF && !quoted) lines++;
      }
    },
    rows: () => Math.max(0, lines - 1),
    end: async () => undefined,
  };
}

const ROW = [0x3c, 0x72, 0x6f, 0x77] as const; // "<row"
const SIGNATURE = [0x50, 0x4b, 0x03, 0x04] as const; // local file header
const SHEET = /^xl\/worksheets\/sheet\d+\.xml$/;

/** Counts `<row ` / `<row>` across chunk boundaries. */
function rowTagCounter() {
  let matched = 0;
  let count = 0;
  return {
    push(bytes: Uint8Array) {
      for (const byte of bytes) {
        if (matched === ROW.length) {
          if (byte === 0x20 || byte === 0x3e) count++;
          matched = 0;
        }
        if (byte === ROW[matched]) matched++;
        else matched = byte === ROW[0] ? 1 : 0;
      }
    },
    count: () => count,
  };
}

/**
 * The first worksheet of a streamed .xlsx: its local file header is found by signature and name (entries before
 * it are small parts whose sizes a streaming writer does not know in advance), then everything after the header
 * goes through an inflater until the deflate stream ends; whatever follows it is not the sheet.
 */
export function xlsxRowCounter(): RowCounter {
  if (typeof DecompressionStream === 'undefined') {
    return { push: () => undefined, rows: () => undefined, end: async () => undefined };
  }
  let head = new Uint8Array(0);
  let writer: WritableStreamDefaultWriter<BufferSource> | undefined;
  let reading: Promise<void> = Promise.resolve();
  let finished = false;
  const rows = rowTagCounter();

  const startAt = (buffer: Uint8Array): number | undefined => {
    for (let i = 0; i + 30 <= buffer.length; i++) {
      if (SIGNATURE.some((byte, k) => buffer[i + k] !== byte)) continue;
      const view = new DataView(buffer.buffer, buffer.byteOffset + i);
      const nameLength = view.getUint16(26, true);
      const extraLength = view.getUint16(28, true);
      const method = view.getUint16(8, true);
      const data = i + 30 + nameLength + extraLength;
      if (data > buffer.length) return undefined;
      const name = new TextDecoder().decode(buffer.subarray(i + 30, i + 30 + nameLength));
      if (method === 8 && SHEET.test(name)) return data;
    }
    return undefined;
  };

  const inflate = (first: Uint8Array<ArrayBuffer>) => {
    const stream = new DecompressionStream('deflate-raw');
    writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    reading = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          rows.push(value);
        }
      } catch {
        // Bytes after the end of the sheet's deflate stream (the next zip entry) end the count.
      } finally {
        finished = true;
      }
    })();
    feed(first);
  };

  const feed = (bytes: Uint8Array<ArrayBuffer>) => {
    if (!writer || finished || bytes.length === 0) return;
    writer.write(bytes).catch(() => {
      finished = true;
    });
  };

  return {
    push(chunk) {
      if (writer) return feed(chunk);
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      const data = startAt(joined);
      if (data === undefined) {
        // Keep enough of the tail for a header split across chunks (30 bytes and a name).
        head = joined.subarray(Math.max(0, joined.length - 512));
        return;
      }
      head = new Uint8Array(0);
      inflate(joined.subarray(data));
    },
    rows: () => (writer ? Math.max(0, rows.count() - 1) : 0),
    async end() {
      if (writer && !finished) await writer.close().catch(() => undefined);
      await reading;
    },
  };
}

/** The counter for a response's content type, or undefined for a format it does not know. */
export function rowCounterFor(contentType: string): RowCounter | undefined {
  if (/^text\/csv\b/i.test(contentType)) return csvRowCounter();
  if (/spreadsheetml\.sheet/i.test(contentType)) return xlsxRowCounter();
  return undefined;
}

/** A size in bytes for progress text. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Whole percent of the rows received, or undefined when either count is unknown. */
export function progressPercent(progress: { rows?: number; total?: number }): number | undefined {
  const { rows, total } = progress;
  if (rows === undefined || total === undefined) return undefined;
  if (total === 0) return 100;
  return Math.min(100, Math.floor((rows / total) * 100));
}
