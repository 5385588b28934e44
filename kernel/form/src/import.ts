import { accessOf } from '@baton/access';
import { defineError, isBatonError } from '@baton/core';
import { type DbCtx, withTx } from '@baton/db';
import { sql } from 'kysely';
import type { CompiledField } from './definition.ts';
import {
  countRecords,
  createRecord,
  type FormRecord,
  type ListInput,
  listRecords,
  type ReadOptions,
  updateRecord,
  type WriteOptions,
} from './records.ts';
import { requirePublished } from './storage.ts';
import { viewerFieldAccess } from './viewer-access.ts';

// Import and export of archive records as rows of cells (issue 4 item 9). Files never reach this engine:
// the server reads .xlsx/.csv into rows keyed by header text and writes what exportRecords yields.
// Values cross as people read them — money in yuan, choices and members by name — and are converted
// back here; creates and updates still go through createRecord / updateRecord and all their checks.

export const FormImportErrors = {
  notArchive: defineError('FORM_IMPORT_NOT_ARCHIVE', {
    status: 422,
    zh: '只有档案类表单可以导入记录',
    en: 'Only archive forms can import records',
  }),
} as const;

export type Locale = 'zh-CN' | 'en-US';
export type RefKind = 'member' | 'department' | 'unit' | 'post';

/**
 * Names of org entities for exports and ids for imports. The form engine does not read the org: the
 * composition root passes one built on @baton/org. `find` returns every id whose login, code or name
 * is `text` (several → ambiguous).
 */
export type SheetRefs = {
  names(ctx: DbCtx, kind: RefKind, ids: readonly string[]): Promise<ReadonlyMap<string, string>>;
  find(ctx: DbCtx, kind: RefKind, text: string): Promise<readonly string[]>;
};

/** One data row of a sheet: its row number in the file (the header is row 1) and its cells by header. */
export type ImportRow = { row: number; cells: Readonly<Record<string, unknown>> };

export type CellKind = 'text' | 'number' | 'money' | 'date';
export type RecordColumn = { key: string; header: string; kind: CellKind };
export type Cell = string | number | null;

export type RecordImportProblem = {
  sheet: string;
  row: number;
  column: string;
  code: string;
  message: { zh: string; en: string };
};

export type RecordImportReport = {
  ok: boolean;
  dryRun: boolean;
  applied: { created: number; updated: number };
  errors: RecordImportProblem[];
};

type Out = { ok: true; value: unknown } | { ok: false; code: string; detail?: string };
/** `ctx` is the operation's (inside the import's transaction: that transaction). */
type CodecCtx = { ctx: DbCtx; locale: Locale; refs: SheetRefs; names: ReadonlyMap<string, string> };

/**
 * How a field type crosses a sheet. Looked up by type name (one table, like the registry); a type with
 * no entry is left out of exports and imports (attachments, images, signatures, opinions, references).
 * Without `fromCell` a column is export-only (computed and generated values are never imported).
 */
type CellCodec = {
  kind: CellKind | ((field: CompiledField) => CellKind);
  ref?: RefKind;
  toCell(value: unknown, field: CompiledField, ctx: CodecCtx): Cell;
  fromCell?(text: string, field: CompiledField, ctx: CodecCtx): Promise<Out> | Out;
};

const LIST_SPLIT = /\s*[,，、;；\n]\s*/;
const LIST_JOIN = '、';
const ok = (value: unknown): Out => ({ ok: true, value });
const bad = (code: string, detail?: string): Out => ({ ok: false, code, detail });

function labelOf(label: { zh: string; en: string } | undefined, locale: Locale): string {
  return label ? (locale === 'en-US' ? label.en : label.zh) : '';
}

type Option = { code: string; label: { zh: string; en: string } };
const optionsOf = (field: CompiledField): Option[] =>
  ((field.config as { options?: Option[] }).options ?? []) as Option[];

function findOption(field: CompiledField, text: string): Option | undefined {
  const wanted = text.trim().toLowerCase();
  return optionsOf(field).find(
    (o) => o.code.toLowerCase() === wanted || o.label.zh === text.trim() || o.label.en.toLowerCase() === wanted,
  );
}

function yuan(value: unknown): Cell {
  return typeof value === 'number' ? Math.round(value) / 100 : null;
}

const YUAN = /^-?\d+(\.\d{1,2})?$/;
function fen(text: string): Out {
  const cleaned = text.replace(/[,，¥￥\s]/g, '').replace(/元$/, '');
  if (!YUAN.test(cleaned)) return bad('not_money', 'yuan with at most 2 decimals');
  const [whole = '0', part = ''] = cleaned.replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(part.padEnd(2, '0'));
  if (!Number.isSafeInteger(value)) return bad('not_money', 'too large');
  return ok(cleaned.startsWith('-') ? -value : value);
}

function number(text: string): Out {
  const cleaned = text.replace(/[,，\s%]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return bad('not_number');
  return ok(Number(cleaned));
}

function date(text: string): Out {
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.trim());
  if (!match) return bad('not_date', 'YYYY-MM-DD');
  const [, y, m, d] = match;
  return ok(`${y}-${(m ?? '').padStart(2, '0')}-${(d ?? '').padStart(2, '0')}`);
}

function month(text: string): Out {
  const match = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(text.trim());
  if (!match) return bad('not_month', 'YYYY-MM');
  return ok(`${match[1]}-${(match[2] ?? '').padStart(2, '0')}`);
}

const TRUE = new Set(['是', 'true', 'yes', 'y', '1', '√']);
const FALSE = new Set(['否', 'false', 'no', 'n', '0', '×']);

async function ref(kind: RefKind, text: string, c: CodecCtx): Promise<Out> {
  const ids = await c.refs.find(c.ctx, kind, text.trim());
  if (ids.length === 0) return bad(`unknown_${kind}`, text);
  if (ids.length > 1) return bad(`ambiguous_${kind}`, text);
  return ok(ids[0]);
}

async function refList(kind: RefKind, text: string, c: CodecCtx): Promise<Out> {
  const ids: string[] = [];
  for (const part of text.split(LIST_SPLIT).filter(Boolean)) {
    const one = await ref(kind, part, c);
    if (!one.ok) return one;
    if (!ids.includes(one.value as string)) ids.push(one.value as string);
  }
  return ok(ids);
}

const asText = (value: unknown): Cell => (value === null || value === undefined ? null : String(value));
const text: CellCodec = { kind: 'text', toCell: asText, fromCell: (t) => ok(t) };
const numeric: CellCodec = {
  kind: 'number',
  toCell: (v) => (typeof v === 'number' ? v : v === null || v === undefined ? null : Number(v)),
  fromCell: number,
};
const single = (kind: RefKind): CellCodec => ({
  kind: 'text',
  ref: kind,
  toCell: (v, _f, c) => (typeof v === 'string' ? (c.names.get(v) ?? v) : null),
  fromCell: (t, _f, c) => ref(kind, t, c),
});
const multiple = (kind: RefKind): CellCodec => ({
  kind: 'text',
  ref: kind,
  toCell: (v, _f, c) =>
    Array.isArray(v) ? v.map((id) => c.names.get(String(id)) ?? String(id)).join(LIST_JOIN) : null,
  fromCell: (t, _f, c) => refList(kind, t, c),
});
const choice: CellCodec = {
  kind: 'text',
  toCell: (v, f, c) => {
    if (typeof v !== 'string') return null;
    return labelOf(optionsOf(f).find((o) => o.code === v)?.label, c.locale) || v;
  },
  fromCell: (t, f) => {
    const option = findOption(f, t);
    return option ? ok(option.code) : bad('not_option', t);
  },
};
const exportOnly = (kind: CellKind): CellCodec => ({ kind, toCell: asText });

const codecs: Readonly<Record<string, CellCodec>> = {
  text,
  longtext: text,
  richtext: text,
  number: numeric,
  percent: numeric,
  money: { kind: 'money', toCell: yuan, fromCell: fen },
  date: { kind: 'date', toCell: asText, fromCell: date },
  datetime: text,
  month: { kind: 'text', toCell: asText, fromCell: month },
  select: choice,
  radio: choice,
  checkboxes: {
    kind: 'text',
    toCell: (v, f, c) =>
      Array.isArray(v)
        ? v.map((code) => labelOf(optionsOf(f).find((o) => o.code === code)?.label, c.locale) || code).join(LIST_JOIN)
        : null,
    fromCell: (t, f) => {
      const codes: string[] = [];
      for (const part of t.split(LIST_SPLIT).filter(Boolean)) {
        const option = findOption(f, part);
        if (!option) return bad('not_option', part);
        if (!codes.includes(option.code)) codes.push(option.code);
      }
      return ok(codes);
    },
  },
  boolean: {
    kind: 'text',
    toCell: (v, _f, c) =>
      typeof v === 'boolean' ? (v ? (c.locale === 'en-US' ? 'Yes' : '是') : c.locale === 'en-US' ? 'No' : '否') : null,
    fromCell: (t) => {
      const lower = t.trim().toLowerCase();
      if (TRUE.has(lower)) return ok(true);
      if (FALSE.has(lower)) return ok(false);
      return bad('not_boolean', '是/否');
    },
  },
  member: single('member'),
  members: multiple('member'),
  department: single('department'),
  departments: multiple('department'),
  unit: single('unit'),
  post: single('post'),
  region: {
    kind: 'text',
    toCell: (v) => (Array.isArray(v) ? v.join('/') : null),
    fromCell: (t) => ok(t.split(/\s*[/,，、]\s*/).filter(Boolean)),
  },
  serial: exportOnly('text'),
  moneyUpper: exportOnly('text'),
  formula: {
    kind: (f) => {
      const type = (f.config as { resultType?: string }).resultType;
      return type === 'money' ? 'money' : type === 'number' ? 'number' : type === 'date' ? 'date' : 'text';
    },
    toCell: (v, f) => ((f.config as { resultType?: string }).resultType === 'money' ? yuan(v) : asText(v)),
  },
};

function kindOf(codec: CellCodec, field: CompiledField): CellKind {
  return typeof codec.kind === 'function' ? codec.kind(field) : codec.kind;
}

// ---- headers -----------------------------------------------------------------------------------------

function normaliseHeader(header: string): string {
  return header.replace(/[\s*＊:：]/g, '').toLowerCase();
}

type Columned = { field: CompiledField; codec: CellCodec; column: RecordColumn };

async function columnsOf(ctx: DbCtx, pack: string, key: string, locale: Locale) {
  const published = await requirePublished(ctx, pack, key);
  const columns: Columned[] = [];
  for (const field of published.form.fields) {
    const codec = codecs[field.type.type];
    if (!codec) continue;
    columns.push({
      field,
      codec,
      column: { key: field.key, header: labelOf(field.def.label, locale), kind: kindOf(codec, field) },
    });
  }
  return { published, columns };
}

/** The columns of an export of this form (main fields that have a cell form), headers in `locale`. */
export async function recordColumns(
  ctx: DbCtx,
  input: { pack: string; key: string; locale?: Locale },
): Promise<RecordColumn[]> {
  return (await columnsOf(ctx, input.pack, input.key, input.locale ?? 'zh-CN')).columns.map((c) => c.column);
}

// ---- export ------------------------------------------------------------------------------------------

export type ExportInput = Omit<ListInput, 'limit' | 'cursor'> & { locale?: Locale; maxRows?: number };

/**
 * The records of a list (same filters, sorts and scopes as listRecords), as typed cells in the order of
 * `columns`: money in yuan, choices by label, members and departments by name. Pages through the list,
 * so a caller can stream it; `total` (counted first, at most maxRows) is how many rows it will yield.
 */
export async function exportRecords(
  ctx: DbCtx,
  input: ExportInput,
  options: ReadOptions & { refs: SheetRefs },
): Promise<{ columns: RecordColumn[]; rows: AsyncIterable<Cell[]>; total: number }> {
  const locale = input.locale ?? 'zh-CN';
  const { published, columns: all } = await columnsOf(ctx, input.pack, input.key, locale);
  // Fields hidden from the viewer are not columns of their sheet at all (not even empty ones).
  const access = await viewerFieldAccess(ctx, published.form.def, options.viewer);
  const columns = access ? all.filter(({ field }) => accessOf(access, field.key) !== 'hidden') : all;
  const { locale: _l, maxRows = 1_000_000, ...list } = input;
  async function* rows(): AsyncGenerator<Cell[]> {
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await listRecords(ctx, { ...list, limit: 200, cursor }, { viewer: options.viewer });
      const names = await namesFor(ctx, columns, page.records, options.refs);
      for (const record of page.records) {
        if (count++ >= maxRows) return;
        yield columns.map(({ field, codec }) => {
          const value = record.values[field.key];
          if (value === null || value === undefined) return null;
          return codec.toCell(value, field, {
            ctx,
            locale,
            refs: options.refs,
            names: names.get(codec.ref ?? '') ?? new Map(),
          });
        });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  const { sort: _sort, ...filtered } = list;
  const total = Math.min(maxRows, await countRecords(ctx, filtered, { viewer: options.viewer }));
  return { columns: columns.map((c) => c.column), rows: rows(), total };
}

async function namesFor(ctx: DbCtx, columns: Columned[], records: FormRecord[], refs: SheetRefs) {
  const ids = new Map<string, Set<string>>();
  for (const { field, codec } of columns) {
    if (!codec.ref) continue;
    const set = ids.get(codec.ref) ?? new Set<string>();
    for (const record of records) {
      const value = record.values[field.key];
      for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'string') set.add(id);
    }
    ids.set(codec.ref, set);
  }
  const result = new Map<string, ReadonlyMap<string, string>>();
  for (const [kind, set] of ids)
    result.set(kind, set.size ? await refs.names(ctx, kind as RefKind, [...set]) : new Map());
  return result;
}

// ---- import ------------------------------------------------------------------------------------------

const MAX_ROWS = 50_000;

const messages: Record<string, { zh: string; en: string }> = {
  required: { zh: '必填', en: 'Required' },
  unknown_column: { zh: '无法识别的列', en: 'Unknown column' },
  too_many_rows: { zh: `行数超过上限 ${MAX_ROWS}`, en: `More than ${MAX_ROWS} rows` },
  duplicate: { zh: '唯一键在文件中重复', en: 'The unique key repeats in the file' },
  not_money: { zh: '金额格式不正确（元，最多两位小数）', en: 'Not an amount in yuan (at most 2 decimals)' },
  not_number: { zh: '不是数字', en: 'Not a number' },
  not_date: { zh: '日期格式应为 YYYY-MM-DD', en: 'A date must look like YYYY-MM-DD' },
  not_month: { zh: '月份格式应为 YYYY-MM', en: 'A month must look like YYYY-MM' },
  not_option: { zh: '不是可选项', en: 'Not one of the options' },
  not_boolean: { zh: '应为 是 或 否', en: 'Must be yes or no' },
  unknown_member: { zh: '找不到该人员', en: 'No such member' },
  ambiguous_member: { zh: '有多名同名人员，请填写登录名或工号', en: 'Several members match; give the login or code' },
  unknown_department: { zh: '找不到该部门', en: 'No such department' },
  ambiguous_department: { zh: '有多个同名部门，请填写部门编码', en: 'Several departments match; give the code' },
  unknown_unit: { zh: '找不到该单位', en: 'No such unit' },
  ambiguous_unit: { zh: '有多个同名单位，请填写编码', en: 'Several units match; give the code' },
  unknown_post: { zh: '找不到该岗位', en: 'No such post' },
  ambiguous_post: { zh: '有多个同名岗位，请填写编码', en: 'Several posts match; give the code' },
  invalid: { zh: '内容不正确', en: 'Invalid' },
};

function problem(row: number, column: string, code: string, detail?: string): RecordImportProblem {
  const base = messages[code] ?? messages.invalid ?? { zh: code, en: code };
  return {
    sheet: 'records',
    row,
    column,
    code,
    message: { zh: detail ? `${base.zh}：${detail}` : base.zh, en: detail ? `${base.en}: ${detail}` : base.en },
  };
}

/** Cell text: trimmed; numbers as their text; Date cells as YYYY-MM-DD; export neutralisation undone. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  const t = (typeof value === 'string' ? value : String(value)).trim();
  return /^'[=+\-@\t\r]/.test(t) ? t.slice(1) : t;
}

/**
 * Imports rows into an archive form: cells are converted back (labels → codes, yuan → fen, names → ids),
 * rows whose declared unique key matches a record update it, the others create records — every row
 * through createRecord / updateRecord. Every problem of every row is reported (row, column, code);
 * nothing stays written unless there are none, and a dry run rolls back even then.
 */
export async function importRecords(
  ctx: DbCtx,
  input: { pack: string; key: string; rows: readonly ImportRow[]; locale?: Locale },
  options: ReadOptions & { refs: SheetRefs; dryRun?: boolean; write?: Omit<WriteOptions, 'viewer'> },
): Promise<RecordImportReport> {
  const dryRun = options.dryRun ?? false;
  const locale = input.locale ?? 'zh-CN';
  const { published, columns } = await columnsOf(ctx, input.pack, input.key, locale);
  if (published.form.def.kind !== 'archive') throw FormImportErrors.notArchive.create({});
  const errors: RecordImportProblem[] = [];

  // Headers: a field's label in either language, or its key.
  const byHeader = new Map<string, Columned>();
  for (const c of columns) {
    for (const name of [c.field.key, c.field.def.label.zh, c.field.def.label.en])
      byHeader.set(normaliseHeader(name), c);
  }
  const headerOf = new Map<string, string>();
  const seen = new Set<string>();
  for (const { cells } of input.rows) {
    for (const header of Object.keys(cells)) {
      if (seen.has(header)) continue;
      seen.add(header);
      const c = byHeader.get(normaliseHeader(header));
      if (!c) {
        if (header.trim()) errors.push(problem(1, header, 'unknown_column'));
      } else if (headerOf.has(c.field.key)) errors.push(problem(1, header, 'duplicate'));
      else headerOf.set(c.field.key, header);
    }
  }
  if (input.rows.length > MAX_ROWS) errors.push(problem(MAX_ROWS + 2, '', 'too_many_rows'));
  const headerFor = (key: string) =>
    headerOf.get(key) ?? columns.find((c) => c.field.key === key)?.column.header ?? key;

  // Cells → values.
  const codecCtx: CodecCtx = { ctx, locale, refs: options.refs, names: new Map() };
  type Prepared = { row: number; values: Record<string, unknown>; match: Record<string, unknown> };
  const prepared: Prepared[] = [];
  for (const { row, cells } of input.rows.slice(0, MAX_ROWS)) {
    const values: Record<string, unknown> = {};
    const match: Record<string, unknown> = {};
    let rowOk = true;
    for (const c of columns) {
      const header = headerOf.get(c.field.key);
      if (header === undefined) continue;
      const textValue = cellText(cells[header]);
      if (!c.codec.fromCell) {
        if (textValue) match[c.field.key] = textValue;
        continue;
      }
      if (!textValue) {
        values[c.field.key] = null;
        continue;
      }
      const out = await c.codec.fromCell(textValue, c.field, codecCtx);
      if (out.ok) {
        values[c.field.key] = out.value;
        match[c.field.key] = out.value;
      } else {
        rowOk = false;
        errors.push(problem(row, header, out.code, out.detail));
      }
    }
    if (rowOk) prepared.push({ row, values, match });
  }

  // Unique keys that a row gives completely pick the record it updates; they must not repeat in the file.
  const keys = published.form.def.keys.filter((k) =>
    k.every((field) => published.form.byKey.get(field)?.type.operators.includes('eq')),
  );
  const keyOf = (p: Prepared, key: readonly string[]) =>
    key.every((f) => p.match[f] !== undefined && p.match[f] !== null)
      ? JSON.stringify(key.map((f) => p.match[f]))
      : null;
  const taken = keys.map(() => new Set<string>());
  const unique: Prepared[] = [];
  for (const p of prepared) {
    let duplicate = false;
    keys.forEach((key, i) => {
      const k = keyOf(p, key);
      if (k === null) return;
      if (taken[i]?.has(k)) {
        duplicate = true;
        errors.push(problem(p.row, headerFor(key[0] ?? ''), 'duplicate'));
      }
      taken[i]?.add(k);
    });
    if (!duplicate) unique.push(p);
  }

  const applied = { created: 0, updated: 0 };
  const write = async (tx: DbCtx) => {
    for (const p of unique) {
      // A row's own savepoint: a refused row leaves nothing behind and (PostgreSQL) the transaction usable.
      await sql`savepoint baton_form_import_row`.execute(tx.db);
      try {
        let existing: FormRecord | undefined;
        for (const key of keys) {
          if (keyOf(p, key) === null) continue;
          const found = await listRecords(
            tx,
            {
              pack: input.pack,
              key: input.key,
              filters: key.map((field) => ({ field, op: 'eq' as const, value: p.match[field] })),
              limit: 1,
            },
            { viewer: options.viewer },
          );
          existing = found.records[0];
          if (existing) break;
        }
        if (existing) {
          await updateRecord(
            tx,
            { pack: input.pack, key: input.key, id: existing.id, version: existing.version, values: p.values },
            { ...options.write, viewer: options.viewer },
          );
          applied.updated += 1;
        } else {
          const values = Object.fromEntries(Object.entries(p.values).filter(([, v]) => v !== null));
          await createRecord(
            tx,
            { pack: input.pack, key: input.key, values },
            { ...options.write, viewer: options.viewer },
          );
          applied.created += 1;
        }
        await sql`release savepoint baton_form_import_row`.execute(tx.db);
      } catch (error) {
        if (!isBatonError(error)) throw error;
        await sql`rollback to savepoint baton_form_import_row`.execute(tx.db);
        const fields = error.fields.length ? error.fields : [{ path: [''], code: error.code, message: error.message }];
        for (const field of fields) {
          const key = String(field.path[0] ?? '');
          const detail = field.message ?? error.message;
          errors.push({
            sheet: 'records',
            row: p.row,
            column: key ? headerFor(key) : '',
            code: field.code === 'required' ? 'required' : field.code || error.code,
            message: { zh: `${error.localized('zh-CN')}：${detail}`, en: `${error.message}: ${detail}` },
          });
        }
      }
    }
  };

  // A savepoint keeps a dry run (or a failed import) from leaving anything in a transaction we joined.
  await withTx(ctx, async (tx) => {
    await sql`savepoint baton_form_import`.execute(tx.db);
    await write(tx);
    if (dryRun || errors.length > 0) await sql`rollback to savepoint baton_form_import`.execute(tx.db);
    else await sql`release savepoint baton_form_import`.execute(tx.db);
  });
  errors.sort((a, b) => a.row - b.row);
  return { ok: errors.length === 0, dryRun, applied, errors };
}
