// The form benchmark on one database: create and read a record with 500 subtable rows, then list a large
// archive form (bulk-loaded) with filters and keyset pages.
import { performance } from 'node:perf_hooks';
import { newId, silentLogger, systemActor, systemClock } from '@baton/core';
import { type DbCtx, dialectOf } from '@baton/db';
import {
  createRecord,
  type FormDefinitionInput,
  getRecord,
  type ListInput,
  listRecords,
  publishForm,
  tableName,
} from '@baton/form';
import { type Kysely, sql } from 'kysely';
import { percentile } from '../lib/index.ts';

// biome-ignore lint/suspicious/noExplicitAny: form tables are named at run time
type AnyDb = Kysely<any>;

export interface FormSize {
  /** Timed create + read pairs of the 500-row record. */
  creates: number;
  /** Rows of the archive form. */
  archiveRows: number;
  /** Timed list calls per query. */
  lists: number;
  /** Keyset pages followed per walk before starting again at the first page. */
  pagesPerWalk: number;
}

export interface LatencyFigure {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  perSecond: number;
}

export interface FormRunFigure {
  dialect: string;
  subtableRows: number;
  create: LatencyFigure;
  read: LatencyFigure;
  load: { rows: number; seconds: number; rowsPerSecond: number; method: string };
  lists: Array<{ name: string; query: string; matched: string; figure: LatencyFigure }>;
}

export function latency(samples: readonly number[]): LatencyFigure {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    meanMs: sorted.length ? total / sorted.length : Number.NaN,
    perSecond: total > 0 ? sorted.length / (total / 1000) : Number.NaN,
  };
}

const l = (text: string) => ({ zh: text, en: text });
const SUBTABLE_ROWS = 500;

/** Like F34 (purchase payment): a flow form whose lines carry formulas and a total. */
const payment: FormDefinitionInput = {
  pack: 'bench',
  key: 'payment',
  kind: 'flow',
  label: l('Payment'),
  fields: [
    { key: 'applicant', label: l('Applicant'), type: 'member' },
    { key: 'reason', label: l('Reason'), type: 'longtext' },
    { key: 'total', label: l('Total'), type: 'formula', expr: 'SUM(items.lineTotal)', resultType: 'money' },
  ],
  subtables: [
    {
      key: 'items',
      label: l('Items'),
      maxRows: SUBTABLE_ROWS,
      totals: ['lineTotal'],
      columns: [
        { key: 'supplier', label: l('Supplier'), type: 'text', required: true },
        { key: 'asset', label: l('Asset'), type: 'text' },
        { key: 'quantity', label: l('Quantity'), type: 'number', scale: 0 },
        { key: 'unitPrice', label: l('Unit price'), type: 'money' },
        {
          key: 'lineTotal',
          label: l('Line total'),
          type: 'formula',
          expr: 'quantity * unitPrice',
          resultType: 'money',
        },
        { key: 'inbound', label: l('Inbound'), type: 'date' },
      ],
    },
  ],
};

const statuses = ['open', 'paid', 'closed'] as const;
const CUSTOMERS = 1_000;

/** The archive form: a reference column (indexed on publish) and plain fields to filter on. */
const archive: FormDefinitionInput = {
  pack: 'bench',
  key: 'invoice',
  kind: 'archive',
  label: l('Invoice'),
  fields: [
    { key: 'title', label: l('Title'), type: 'text' },
    {
      key: 'customer',
      label: l('Customer'),
      type: 'reference',
      form: { pack: 'bench', key: 'payment' },
      display: 'reason',
    },
    {
      key: 'status',
      label: l('Status'),
      type: 'select',
      options: statuses.map((code) => ({ code, label: l(code) })),
    },
    { key: 'amount', label: l('Amount'), type: 'money' },
    { key: 'issued', label: l('Issued'), type: 'date' },
  ],
};

const customerId = (n: number) => `c-${String(n).padStart(6, '0')}`;

/** Bulk load: generate_series on PostgreSQL; multi-row inserts in one transaction on SQLite. */
async function load(db: AnyDb, rows: number, log: (line: string) => void): Promise<FormRunFigure['load']> {
  const table = tableName(archive.pack, archive.key);
  const raw = db.withoutPlugins();
  const now = new Date().toISOString();
  const t0 = performance.now();
  let method: string;
  if (dialectOf(db) === 'postgres') {
    method = 'one INSERT … SELECT FROM generate_series';
    // Ids sort like UUIDv7 (a fixed prefix and a counter) so paging by id walks insertion order.
    await sql`
      insert into ${sql.table(table)} (id, version, created_by, created_at, updated_by, updated_at, state,
        owner_id, title, customer, status, amount, issued)
      select '0190' || lpad(to_hex(g), 28, '0'), 1, 'bench', ${now}::timestamptz, 'bench', ${now}::timestamptz, 'active',
        'm-' || (g % 100), 'Invoice ' || g, 'c-' || lpad((g % ${sql.lit(CUSTOMERS)})::text, 6, '0'),
        (array['open','paid','closed'])[1 + g % 3], (g % 100000) * 100,
        date '2026-01-01' + (g % 365)
      from generate_series(1, ${sql.lit(rows)}) as g`.execute(raw);
    await sql`analyze ${sql.table(table)}`.execute(raw);
  } else {
    method = 'multi-row INSERTs of 2,000 rows in one transaction';
    await raw.transaction().execute(async (trx) => {
      const chunk = 2_000;
      for (let start = 1; start <= rows; start += chunk) {
        const values = [];
        for (let g = start; g < Math.min(start + chunk, rows + 1); g++) {
          const day = new Date(Date.UTC(2026, 0, 1 + (g % 365))).toISOString().slice(0, 10);
          values.push({
            id: `0190${g.toString(16).padStart(28, '0')}`,
            version: 1,
            created_by: 'bench',
            created_at: now,
            updated_by: 'bench',
            updated_at: now,
            state: 'active',
            owner_id: `m-${g % 100}`,
            title: `Invoice ${g}`,
            customer: customerId(g % CUSTOMERS),
            status: statuses[g % 3],
            amount: (g % 100_000) * 100,
            issued: day,
          });
        }
        await trx.insertInto(table).values(values).execute();
        if ((start - 1) % 200_000 === 0 && start > 1) log(`  … ${start - 1} rows`);
      }
    });
    await sql`analyze`.execute(raw);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { rows, seconds, rowsPerSecond: rows / seconds, method };
}

async function timed<T>(samples: number[], call: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await call();
  samples.push(performance.now() - t0);
  return result;
}

/** Calls `list` with keyset cursors, `pagesPerWalk` pages deep, starting again from the first page. */
async function walk(ctx: DbCtx, input: ListInput, size: FormSize): Promise<{ figure: LatencyFigure; rows: number }> {
  const samples: number[] = [];
  let cursor: string | undefined;
  let depth = 0;
  let rows = 0;
  for (let i = 0; i < size.lists + 5; i++) {
    const page = await timed(i < 5 ? [] : samples, () => listRecords(ctx, { ...input, ...(cursor ? { cursor } : {}) }));
    rows += page.records.length;
    cursor = page.nextCursor ?? undefined;
    if (++depth >= size.pagesPerWalk || !cursor) {
      depth = 0;
      cursor = undefined;
    }
  }
  if (rows === 0) throw new Error(`bench/form: ${JSON.stringify(input)} matched nothing`);
  return { figure: latency(samples), rows };
}

export async function runFormScenario(
  db: DbCtx['db'],
  dialect: string,
  size: FormSize,
  log: (line: string) => void,
): Promise<FormRunFigure> {
  const ctx: DbCtx = { db, actor: systemActor('bench-form'), clock: systemClock, log: silentLogger() };
  await publishForm(ctx, payment);
  await publishForm(ctx, archive);

  log(`${dialect}: ${size.creates} creates + reads of a record with ${SUBTABLE_ROWS} subtable rows …`);
  const items = Array.from({ length: SUBTABLE_ROWS }, (_, i) => ({
    supplier: `供应商 ${i}`,
    asset: `资产 ${i}`,
    quantity: (i % 7) + 1,
    unitPrice: 1000 + i,
    inbound: '2026-11-28',
  }));
  const creates: number[] = [];
  const reads: number[] = [];
  for (let i = 0; i < size.creates + 2; i++) {
    const warm = i < 2;
    const values = { applicant: newId(), reason: `bench ${i}`, items };
    const record = await timed(warm ? [] : creates, () => createRecord(ctx, { pack: 'bench', key: 'payment', values }));
    const read = await timed(warm ? [] : reads, () => getRecord(ctx, { pack: 'bench', key: 'payment', id: record.id }));
    if ((read.values.items as unknown[]).length !== SUBTABLE_ROWS) throw new Error('bench/form: rows lost');
  }

  log(`${dialect}: loading ${size.archiveRows.toLocaleString('en-US')} archive records …`);
  const loaded = await load(db as unknown as AnyDb, size.archiveRows, log);
  log(`${dialect}: loaded in ${loaded.seconds.toFixed(1)} s (${loaded.method}); ${size.lists} list calls per query …`);

  const inv = { pack: 'bench', key: 'invoice', limit: 50 } as const;
  const queries: Array<{ name: string; query: string; matched: string; input: ListInput }> = [
    {
      name: 'filter status = open, keyset by id',
      query: `status eq open · ${size.pagesPerWalk} pages deep`,
      matched: '1/3 of rows',
      input: { ...inv, filters: [{ field: 'status', op: 'eq', value: 'open' }] },
    },
    {
      name: 'filter on a reference (indexed), keyset by id',
      query: `customer eq … · ${size.pagesPerWalk} pages deep`,
      matched: `1/${CUSTOMERS} of rows`,
      input: { ...inv, filters: [{ field: 'customer', op: 'eq', value: customerId(7) }] },
    },
    {
      name: 'reference + status, sort amount desc',
      query: 'customer eq …, status in (open, paid), sort amount desc',
      matched: `2/${3 * CUSTOMERS} of rows`,
      input: {
        ...inv,
        filters: [
          { field: 'customer', op: 'eq', value: customerId(11) },
          { field: 'status', op: 'in', value: ['open', 'paid'] },
        ],
        sort: [{ field: 'amount', dir: 'desc' }],
      },
    },
  ];
  const lists: FormRunFigure['lists'] = [];
  for (const q of queries) {
    const { figure } = await walk(ctx, q.input, size);
    lists.push({ name: q.name, query: q.query, matched: q.matched, figure });
  }
  return {
    dialect,
    subtableRows: SUBTABLE_ROWS,
    create: latency(creates),
    read: latency(reads),
    load: loaded,
    lists,
  };
}
