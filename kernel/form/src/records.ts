import {
  accessOf,
  assertWritable,
  type FieldAccess,
  type FieldAccessLevel,
  type FieldRule,
  filterReadable,
  type RecordScope,
} from '@baton/access';
import { newId } from '@baton/core';
import { containsText, type DbCtx, instant, isUniqueViolation, updateVersioned, withTx } from '@baton/db';
import { evaluate, evaluateRows } from '@baton/expression';
import { getDepartment, getMember } from '@baton/org';
import type { ComparisonOperator, Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { z } from 'zod';
import { assertAttachable, attachToRecord } from './attachments/attachments.ts';
import { uploadRulesOf } from './attachments/rules.ts';
import { afterCursor, type Cursor, type CursorValue, decodeCursor, encodeCursor, queryFingerprint } from './cursor.ts';
import type { CompiledField, CompiledForm, ContextSource, FormIssue } from './definition.ts';
import { FormErrors } from './errors.ts';
import { emitRecordEvent, type RecordEvent } from './events.ts';
import type { FilterOperator } from './field-types/define.ts';
import { actorName } from './publish.ts';
import { applyReferences, resolveReferences } from './references.ts';
import {
  assertStillLatest,
  type ColumnInfo,
  formPublishStamp,
  type PublishedForm,
  requirePublished,
  stampAlias,
  stampReturned,
  type TableStorage,
} from './storage.ts';
import { recordScopeWhere, viewerFieldAccess } from './viewer-access.ts';

/** Who is filling the form in: feeds `{ from: … }` defaults and the record's owner, department and unit. */
export type RecordContext = { memberId?: string; departmentId?: string; unitId?: string; postId?: string };

/** Reading or writing on behalf of a member: record scopes in the SQL, field access on values. */
export type Viewer = {
  memberId: string;
  scopes: readonly RecordScope[];
  /** Count grants (baton_access_grant) for resource `pack.key`. */
  grants?: boolean;
  /**
   * Field permissions of the place the viewer acts from (a flow node), narrowing the form's own `fieldAccess`;
   * without either every field is editable.
   */
  fieldRules?: readonly FieldRule[];
  defaultAccess?: FieldAccessLevel;
  /** The viewer's main department and unit: `me.departmentId` / `me.unitId` in reference filters. */
  departmentId?: string;
  unitId?: string;
  /** Record scopes on referenced forms by `pack.key` (default: `scopes`), for reference pickers and checks. */
  targets?: Readonly<Record<string, readonly RecordScope[]>>;
};

export type WriteOptions = {
  context?: RecordContext;
  viewer?: Viewer;
  /** The flow node acting in this write: only it may write its opinion fields. */
  actingNode?: string;
  flowInstanceId?: string;
  /** IANA zone of `today` defaults and formulas (default Asia/Shanghai). */
  timeZone?: string;
  /**
   * updateRecord writes at the version it reads in its own transaction, not one the caller read before: only for
   * callers that order every writer of the record themselves (the flow engine, under its instance's claim).
   */
  atCurrentVersion?: boolean;
  /**
   * The forms' publish stamp as the caller read it along with a read of its own (formPublishStamp()): the form's
   * latest version then comes from this process's cache while nothing was published since.
   */
  formStamp?: string;
};

export type ReadOptions = {
  viewer?: Viewer;
  /** Reference values as bare ids instead of `{ id, display, pack, key }` (for expressions, e.g. flow conditions). */
  referenceIds?: boolean;
  /**
   * getRecord only: also answer `writable`, whether this viewer (its write scopes) may change the record — the
   * check updateRecord makes, so a page offers 编辑 only where the write would pass.
   */
  writer?: Viewer;
  /** As WriteOptions.formStamp. */
  formStamp?: string;
};

export type SubtableRow = { id: string; rowNo: number } & Record<string, unknown>;

export type FormRecord = {
  id: string;
  version: number;
  state: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  flowInstanceId: string | null;
  voidedAt: string | null;
  ownerId: string | null;
  departmentId: string | null;
  unitId: string | null;
  /** Main fields by key and subtables as arrays of rows (lists leave subtables out). */
  values: Record<string, unknown>;
  /** Declared subtable totals: `{ items: { amount: 12345 } }`. */
  totals: Record<string, Record<string, number>>;
  /** Whether `ReadOptions.writer` may change the record (getRecord with a writer only). */
  writable?: boolean;
};

// biome-ignore lint/suspicious/noExplicitAny: form tables are named at run time
type AnyDb = Kysely<any>;
type Values = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: see AnyDb
type AnyEb = ExpressionBuilder<any, any>;

const formRef = { pack: z.string().min(1).max(40), key: z.string().min(1).max(40) };
const idField = z.string().min(1).max(64);
const valuesField = z.record(z.string(), z.unknown());

/** The result key of a snake_case column under CamelCasePlugin (same algorithm as Kysely's). */
function camelOf(column: string): string {
  return column.replace(/_(.)/g, (_whole, char: string) => char.toUpperCase());
}

function isPlain(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isComputed(field: CompiledField): boolean {
  return field.formula !== undefined || field.type.generate !== undefined;
}

function blank(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

function localToday(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

function parseOp<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw FormErrors.validationFailed.create(
    {},
    {
      fields: parsed.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
        code: issue.code,
        message: issue.message,
      })),
    },
  );
}

function accessFor(ctx: DbCtx, published: PublishedForm, viewer: Viewer | undefined): Promise<FieldAccess | undefined> {
  return viewerFieldAccess(ctx, published.form.def, viewer);
}

async function scopeFilter(
  ctx: DbCtx,
  published: PublishedForm,
  viewer: Viewer | undefined,
  access: 'read' | 'write',
): Promise<Expression<SqlBool> | undefined> {
  if (!viewer) return undefined;
  const { def } = published.form;
  const { main } = published.storage;
  return recordScopeWhere(ctx, { form: def, storage: main, table: main.table, viewer, access });
}

// ---- reading ------------------------------------------------------------------------------------------

function readValue(field: CompiledField, info: ColumnInfo, row: Values): unknown {
  const raw = row[camelOf(info.column)];
  if (raw === null || raw === undefined) return null;
  return field.type.fromDb ? field.type.fromDb(raw, field.config) : raw;
}

function totalsOf(form: CompiledForm, values: Values): Record<string, Record<string, number>> {
  const totals: Record<string, Record<string, number>> = {};
  for (const sub of form.subtables) {
    const rows = values[sub.key];
    if (!sub.def.totals?.length || !Array.isArray(rows)) continue;
    const sums: Record<string, number> = {};
    for (const column of sub.def.totals) {
      const sum = rows.reduce(
        (acc: number, row: Values) => acc + (typeof row[column] === 'number' ? (row[column] as number) : 0),
        0,
      );
      sums[column] = Math.round(sum * 1e9) / 1e9;
    }
    totals[sub.key] = sums;
  }
  return totals;
}

function toRecord(form: CompiledForm, storage: TableStorage, row: Values): FormRecord {
  const values: Values = {};
  for (const field of form.fields) {
    const info = storage.columns[field.key];
    if (info) values[field.key] = readValue(field, info, row);
  }
  const text = (name: string) => (row[name] === null || row[name] === undefined ? null : String(row[name]));
  return {
    id: String(row.id),
    version: Number(row.version),
    state: String(row.state),
    createdBy: String(row.createdBy),
    createdAt: String(row.createdAt),
    updatedBy: String(row.updatedBy),
    updatedAt: String(row.updatedAt),
    flowInstanceId: text('flowInstanceId'),
    voidedAt: text('voidedAt'),
    ownerId: text('ownerId'),
    departmentId: text('departmentId'),
    unitId: text('unitId'),
    values,
    totals: {},
  };
}

function toSubtableRow(sub: CompiledForm['subtables'][number], storage: TableStorage, row: Values): SubtableRow {
  const out: SubtableRow = { id: String(row.id), rowNo: Number(row.rowNo) };
  for (const column of sub.columns) {
    const info = storage.columns[column.key];
    if (info) out[column.key] = readValue(column, info, row);
  }
  return out;
}

async function loadRows(ctx: DbCtx, published: PublishedForm, id: string): Promise<Record<string, SubtableRow[]>> {
  const db = ctx.db as unknown as AnyDb;
  const result: Record<string, SubtableRow[]> = {};
  for (const sub of published.form.subtables) {
    const storage = published.storage.subtables[sub.key] as TableStorage;
    const rows = await db.selectFrom(storage.table).selectAll().where('parent_id', '=', id).orderBy('row_no').execute();
    result[sub.key] = rows.map((row: Values) => toSubtableRow(sub, storage, row));
  }
  return result;
}

/**
 * The record as a write left it, from the rows the write returned (RETURNING) — the same shape readRecord
 * gives, without reading it again: subtables the write did not touch keep the rows read before it.
 */
function writtenRecord(
  published: PublishedForm,
  main: Values,
  written: Record<string, SubtableRow[]>,
  before: FormRecord | undefined,
): FormRecord {
  const record = toRecord(published.form, published.storage.main, main);
  for (const sub of published.form.subtables) {
    record.values[sub.key] = written[sub.key] ?? (before?.values[sub.key] as SubtableRow[] | undefined) ?? [];
  }
  record.totals = totalsOf(published.form, record.values);
  return record;
}

async function readRecord(
  ctx: DbCtx,
  published: PublishedForm,
  id: string,
  scope: Expression<SqlBool> | undefined,
): Promise<FormRecord | undefined> {
  const db = ctx.db as unknown as AnyDb;
  const table = published.storage.main.table;
  let query = db.selectFrom(table).selectAll().where(`${table}.id`, '=', id);
  if (scope) query = query.where(scope);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const record = toRecord(published.form, published.storage.main, row);
  Object.assign(record.values, await loadRows(ctx, published, id));
  record.totals = totalsOf(published.form, record.values);
  return record;
}

function present(record: FormRecord, access: FieldAccess | undefined): FormRecord {
  return access ? { ...record, values: filterReadable(record.values, access) as Values } : record;
}

/** What a caller gets back: readable fields only, references as `{ id, display, pack, key }`. */
async function presentResolved(
  ctx: DbCtx,
  published: PublishedForm,
  record: FormRecord,
  viewer: Viewer | undefined,
  referenceIds = false,
): Promise<FormRecord> {
  const shown = present(record, await accessFor(ctx, published, viewer));
  if (!referenceIds) await resolveReferences(ctx, published, [shown]);
  return shown;
}

/** A unique index refused the write (two creates raced past assertUniqueKeys): the same coded error. */
function uniqueClash(published: PublishedForm, error: unknown): unknown {
  if (!isUniqueViolation(error)) return error;
  const keys = published.form.def.keys.map((unique) => unique.join(', ')).join('; ');
  return FormErrors.duplicateKey.create({ fields: keys || 'id' });
}

// ---- validating and computing ---------------------------------------------------------------------

type Prepared = { main: Values; subs: Record<string, Values[]>; touchedSubs: Set<string> };

type PrepareInput = {
  published: PublishedForm;
  input: Values;
  existing?: FormRecord;
  options: WriteOptions;
};

/**
 * Upload fields may only hold attachments uploaded to this form and field by the writer, or already on
 * this record; once saved they are bound to the record so downloads are checked through it.
 */
async function bindUploads(
  tx: DbCtx,
  published: PublishedForm,
  recordId: string,
  prepared: Prepared,
  creating: boolean,
) {
  const { pack, key } = published.form.def;
  const uploader = tx.actor.kind === 'member' ? tx.actor.memberId : `system:${tx.actor.kind}`;
  const slots: { field: string; ids: unknown }[] = [];
  for (const field of published.form.fields) {
    if (uploadRulesOf(field) && field.key in prepared.main)
      slots.push({ field: field.key, ids: prepared.main[field.key] });
  }
  for (const sub of published.form.subtables) {
    if (!prepared.touchedSubs.has(sub.key)) continue;
    for (const column of sub.columns) {
      if (!uploadRulesOf(column)) continue;
      for (const row of prepared.subs[sub.key] ?? [])
        slots.push({ field: `${sub.key}.${column.key}`, ids: row[column.key] });
    }
  }
  for (const slot of slots) {
    const ids = Array.isArray(slot.ids) ? slot.ids : slot.ids == null ? [] : [slot.ids];
    if (ids.length === 0) continue;
    const target = { pack, key, field: slot.field };
    await assertAttachable(tx, ids, { ...target, uploader, ...(creating ? {} : { recordId }) });
    await attachToRecord(tx, ids as string[], { ...target, recordId });
  }
}

/** JSON with sorted keys, for comparing parsed values. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    isPlain(item)
      ? Object.fromEntries(
          Object.keys(item)
            .sort()
            .map((name) => [name, item[name]]),
        )
      : item,
  );
}

/** A value as stored, or undefined when it does not parse (then it is a change, and refused as such). */
function parsedOrUndefined(field: CompiledField, value: unknown): { value: unknown } | undefined {
  const parsed = field.type.parse(value ?? null, field.config);
  return parsed.ok ? { value: parsed.value ?? null } : undefined;
}

function sameRows(sub: { columns: readonly CompiledField[] }, given: unknown, stored: readonly Values[]): boolean {
  if (!Array.isArray(given) || given.length !== stored.length) return false;
  return given.every((row, index) => {
    if (!isPlain(row)) return false;
    const before = stored[index] as Values;
    return sub.columns.every((column) => {
      if (isComputed(column)) return true;
      const parsed = parsedOrUndefined(column, row[column.key]);
      return parsed !== undefined && canonicalJson(parsed.value) === canonicalJson(before[column.key] ?? null);
    });
  });
}

/**
 * Field permissions judge changes, not echoes: a client that sends back a read-only value as it stands, or
 * a blank for a field it cannot see (a form editor sends every field), changes nothing, so that key is
 * dropped before assertWritable. A hidden field's stored value is never compared (no guessing oracle):
 * only a blank passes.
 */
function dropUntouched(form: CompiledForm, writable: Values, access: FieldAccess, existing: FormRecord | undefined) {
  for (const [key, value] of Object.entries(writable)) {
    const level = accessOf(access, key);
    if (level === 'edit') continue;
    const untouched =
      blank(value) ||
      (level === 'read' &&
        existing !== undefined &&
        (() => {
          const field = form.byKey.get(key);
          if (field) {
            const parsed = parsedOrUndefined(field, value);
            return parsed !== undefined && canonicalJson(parsed.value) === canonicalJson(existing.values[key] ?? null);
          }
          const sub = form.subByKey.get(key);
          return sub !== undefined && sameRows(sub, value, (existing.values[key] as Values[] | undefined) ?? []);
        })());
    if (!untouched) continue;
    // A blank sent for a read-only field on an existing record is a change unless it was blank already.
    if (blank(value) && level === 'read' && existing !== undefined && !blank(existing.values[key])) continue;
    delete writable[key];
  }
}

async function prepare(ctx: DbCtx, { published, input, existing, options }: PrepareInput): Promise<Prepared> {
  const { form } = published;
  const { pack, key } = form.def;
  const creating = existing === undefined;
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const issues: FormIssue[] = [];
  const issue = (path: (string | number)[], code: string, message: string) => issues.push({ path, code, message });

  // Unknown keys first: nothing else is looked at when the input names fields the form does not have.
  const unknown: FormIssue[] = [];
  const writable: Values = {};
  for (const [name, value] of Object.entries(input)) {
    const field = form.byKey.get(name);
    const sub = form.subByKey.get(name);
    if (!field && !sub) {
      unknown.push({ path: [name], code: 'unknown_field', message: `no field "${name}"` });
      continue;
    }
    if (field && !isComputed(field)) writable[name] = value;
    if (sub) {
      if (!Array.isArray(value)) {
        issue([name], 'not_rows', 'a subtable is a list of rows');
        continue;
      }
      const rows: Values[] = [];
      for (const [index, row] of value.entries()) {
        if (!isPlain(row)) {
          issue([name, index], 'not_row', 'a row is an object');
          continue;
        }
        const kept: Values = {};
        for (const [column, cell] of Object.entries(row)) {
          if (column === 'id' || column === 'rowNo') continue;
          const col = sub.byKey.get(column);
          if (!col)
            unknown.push({ path: [name, index, column], code: 'unknown_field', message: `no column "${column}"` });
          else if (!isComputed(col)) kept[column] = cell;
        }
        rows.push(kept);
      }
      writable[name] = rows;
    }
  }
  if (unknown.length > 0) {
    throw FormErrors.unknownField.create(
      { fields: unknown.map((u) => u.path.join('.')).join(', ') },
      { fields: unknown },
    );
  }

  const access = await accessFor(ctx, published, options.viewer);
  if (access) {
    dropUntouched(form, writable, access, existing);
    assertWritable(writable, access);
  }

  // Opinion slots: only their node writes them (an unchanged echo is fine).
  for (const field of form.fields) {
    const node = field.type.writableBy?.(field.config);
    if (node === undefined || !Object.hasOwn(writable, field.key)) continue;
    const before = existing?.values[field.key] ?? null;
    const same = JSON.stringify(before) === JSON.stringify(writable[field.key] ?? null);
    if (!same && options.actingNode !== node) {
      throw FormErrors.opinionNotActing.create(
        { node, field: field.key },
        { fields: [{ path: [field.key], code: 'not_acting_node', message: `only node ${node} writes ${field.key}` }] },
      );
    }
  }

  const context = options.context ?? {};
  const now = ctx.clock.now();
  const fromContext = (source: ContextSource): unknown => {
    const sources: Record<ContextSource, unknown> = {
      member: context.memberId ?? null,
      department: context.departmentId ?? null,
      unit: context.unitId ?? null,
      post: context.postId ?? null,
      today: localToday(now, timeZone),
      now: instant(now),
    };
    return sources[source];
  };

  // Parse, keep or default each field.
  const main: Values = {};
  const exprDefaults: CompiledField[] = [];
  const parseInto = (target: Values, field: CompiledField, raw: unknown, path: (string | number)[]) => {
    const parsed = field.type.parse(raw, field.config);
    if (parsed.ok) target[field.key] = parsed.value;
    else {
      // Code, params and engine travel on, so the server words the issue in the caller's language.
      issues.push({ path, ...parsed.issue });
      target[field.key] = null;
    }
  };
  const applyDefault = (target: Values, field: CompiledField, path: (string | number)[]): void => {
    const fallback = field.def.default;
    if (fallback === undefined) {
      target[field.key] = null;
      return;
    }
    if (isPlain(fallback) && 'expr' in fallback) {
      target[field.key] = null;
      exprDefaults.push(field);
    } else if (isPlain(fallback) && 'from' in fallback) {
      parseInto(target, field, fromContext(fallback.from as ContextSource), path);
    } else parseInto(target, field, fallback, path);
  };
  for (const field of form.fields) {
    if (isComputed(field)) {
      main[field.key] = existing ? (existing.values[field.key] ?? null) : null;
    } else if (Object.hasOwn(writable, field.key)) parseInto(main, field, writable[field.key], [field.key]);
    else if (!creating) main[field.key] = existing?.values[field.key] ?? null;
    else applyDefault(main, field, [field.key]);
  }
  const subs: Record<string, Values[]> = {};
  const touchedSubs = new Set<string>();
  for (const sub of form.subtables) {
    let rows: Values[];
    if (Object.hasOwn(writable, sub.key) && Array.isArray(writable[sub.key])) {
      touchedSubs.add(sub.key);
      rows = (writable[sub.key] as Values[]).map((given, index) => {
        const row: Values = {};
        for (const column of sub.columns) {
          const path = [sub.key, index, column.key];
          if (isComputed(column)) row[column.key] = null;
          else if (Object.hasOwn(given, column.key)) parseInto(row, column, given[column.key], path);
          else applyDefault(row, column, path);
        }
        return row;
      });
    } else if (!creating) {
      // Kept rows are rewritten when they hold formulas: a main field they read may have changed.
      if (sub.columns.some((column) => column.formula)) touchedSubs.add(sub.key);
      rows = ((existing?.values[sub.key] as Values[] | undefined) ?? []).map((row) => {
        const { id: _id, rowNo: _rowNo, ...cells } = row;
        return cells;
      });
    } else rows = [];
    subs[sub.key] = rows;
    const { minRows, maxRows } = sub.def;
    if (minRows !== undefined && rows.length < minRows) issue([sub.key], 'too_few_rows', `at least ${minRows} rows`);
    if (maxRows !== undefined && rows.length > maxRows) issue([sub.key], 'too_many_rows', `at most ${maxRows} rows`);
  }

  // References: each changed one must point at a record the field may point at; fills overwrite.
  issues.push(
    ...(await applyReferences(ctx, form, {
      main,
      subs,
      existing,
      options: {
        ...(options.viewer ? { viewer: options.viewer } : {}),
        ...(options.context ? { context: options.context } : {}),
      },
    })),
  );

  // Generated values (serials) on create, inside the caller's transaction.
  // Only once the values are sound: a serial may use them, and a refused write should not take a number.
  if (creating && issues.length === 0) {
    const fieldTypes = Object.fromEntries(form.fields.map((field) => [field.key, field.type.type]));
    for (const field of form.fields) {
      if (field.type.generate) {
        main[field.key] = await field.type.generate(ctx, {
          scope: `${pack}.${key}.${field.key}`,
          config: field.config,
          values: main,
          departmentId: context.departmentId ?? null,
          fieldTypes,
        });
      }
    }
  }

  // The values the expression language reads: fields it knows, subtables as row lists.
  const exprValues = (): Values => {
    const values: Values = {};
    for (const field of form.fields) if (field.exprType) values[field.key] = main[field.key] ?? null;
    for (const sub of form.subtables) {
      values[sub.key] = subs[sub.key]?.map((row) => {
        const out: Values = {};
        for (const column of sub.columns) if (column.exprType) out[column.key] = row[column.key] ?? null;
        return out;
      });
    }
    return values;
  };
  const evalOptions = { clock: ctx.clock, timeZone };
  if (issues.length === 0) {
    for (const field of exprDefaults) {
      if (field.defaultExpr && main[field.key] === null && form.byKey.get(field.key) === field) {
        main[field.key] = evaluate(field.defaultExpr, exprValues(), evalOptions);
      }
    }
    // Formulas in dependency order; whatever the client sent for them was dropped above.
    for (const formulaKey of form.formulaOrder) {
      const dot = formulaKey.indexOf('.');
      if (dot < 0) {
        const field = form.byKey.get(formulaKey) as CompiledField;
        main[formulaKey] = evaluate(field.formula as never, exprValues(), evalOptions);
      } else {
        const subKey = formulaKey.slice(0, dot);
        const column = form.subByKey.get(subKey)?.byKey.get(formulaKey.slice(dot + 1)) as CompiledField;
        const results = evaluateRows(column.formula as never, exprValues(), evalOptions);
        for (const [index, row] of (subs[subKey] ?? []).entries()) row[column.key] = results[index] ?? null;
      }
    }
  }

  // Required and validations.
  const required = (field: CompiledField) => field.def.required && !field.type.writableBy && !field.type.generate;
  for (const field of form.fields) {
    if (required(field) && blank(main[field.key])) issue([field.key], 'required', 'required');
  }
  for (const sub of form.subtables) {
    for (const [index, row] of (subs[sub.key] ?? []).entries()) {
      for (const column of sub.columns) {
        if (required(column) && blank(row[column.key])) issue([sub.key, index, column.key], 'required', 'required');
      }
    }
  }
  if (issues.length === 0) {
    const values = exprValues();
    for (const field of form.fields) {
      if (!field.validation || !field.def.validation) continue;
      if (evaluate(field.validation, values, evalOptions) === false) {
        issues.push({
          path: [field.key],
          code: 'validation',
          message: field.def.validation.message.en,
          zh: field.def.validation.message.zh,
        } as FormIssue);
      }
    }
    for (const sub of form.subtables) {
      for (const column of sub.columns) {
        if (!column.validation || !column.def.validation) continue;
        const results = evaluateRows(column.validation, values, evalOptions);
        for (const [index, result] of results.entries()) {
          if (result === false) {
            issues.push({
              path: [sub.key, index, column.key],
              code: 'validation',
              message: column.def.validation.message.en,
              zh: column.def.validation.message.zh,
            } as FormIssue);
          }
        }
      }
    }
  }
  if (issues.length > 0) throw FormErrors.validationFailed.create({}, { fields: issues });
  return { main, subs, touchedSubs };
}

function columnValues(db: AnyDb, fields: readonly CompiledField[], storage: TableStorage, values: Values): Values {
  const out: Values = {};
  for (const field of fields) {
    const info = storage.columns[field.key];
    if (!info) continue;
    const value = values[field.key] ?? null;
    out[info.column] = value === null ? null : field.type.toDb ? field.type.toDb(db, value, field.config) : value;
  }
  return out;
}

async function writeRows(
  ctx: DbCtx,
  published: PublishedForm,
  id: string,
  prepared: Prepared,
  replace: boolean,
): Promise<Record<string, SubtableRow[]>> {
  const db = ctx.db as unknown as AnyDb;
  const written: Record<string, SubtableRow[]> = {};
  for (const sub of published.form.subtables) {
    if (!prepared.touchedSubs.has(sub.key)) continue;
    const storage = published.storage.subtables[sub.key] as TableStorage;
    if (replace) await db.deleteFrom(storage.table).where('parent_id', '=', id).execute();
    const rows = (prepared.subs[sub.key] ?? []).map((row, index) => ({
      id: newId(),
      parent_id: id,
      row_no: index + 1,
      ...columnValues(db, sub.columns, storage, row),
    }));
    const stored: SubtableRow[] = [];
    for (let start = 0; start < rows.length; start += 100) {
      const back = await db
        .insertInto(storage.table)
        .values(rows.slice(start, start + 100))
        .returningAll()
        .execute();
      stored.push(...back.map((row: Values) => toSubtableRow(sub, storage, row)));
    }
    written[sub.key] = stored.sort((a, b) => a.rowNo - b.rowNo);
  }
  return written;
}

/**
 * Declared unique keys: a readable FORM_DUPLICATE_KEY before the write (the unique index still decides
 * under concurrency). Blank values never collide, as in SQL.
 */
async function assertUniqueKeys(
  ctx: DbCtx,
  published: PublishedForm,
  values: Values,
  id: string | undefined,
): Promise<void> {
  const db = ctx.db as unknown as AnyDb;
  const { form, storage } = published;
  for (const unique of form.def.keys) {
    if (unique.some((key) => values[key] === null || values[key] === undefined)) continue;
    let query = db.selectFrom(storage.main.table).select('id');
    for (const key of unique) {
      const field = form.byKey.get(key) as CompiledField;
      const column = storage.main.columns[key]?.column as string;
      const value = field.type.toDb ? field.type.toDb(db, values[key], field.config) : values[key];
      query = query.where(column, '=', value);
    }
    if (id !== undefined) query = query.where('id', '<>', id);
    const clash = await query.limit(1).executeTakeFirst();
    if (clash) {
      throw FormErrors.duplicateKey.create(
        { fields: unique.join(', ') },
        {
          fields: unique.map((key) => ({
            path: [key],
            code: 'duplicate',
            message: `${unique.join(', ')} must be unique`,
          })),
        },
      );
    }
  }
}

// ---- operations ---------------------------------------------------------------------------------------

function eventOf(type: RecordEvent['type'], published: PublishedForm, record: FormRecord, tx: DbCtx): RecordEvent {
  return {
    type,
    pack: published.form.def.pack,
    key: published.form.def.key,
    recordId: record.id,
    version: record.version,
    at: instant(tx.clock.now()),
    actorId: actorName(tx),
    flowInstanceId: record.flowInstanceId,
  };
}

const createSchema = z.object({ ...formRef, values: valuesField });

/** Creates a record: validates, applies defaults, generates serials, recomputes formulas, stores it. */
export async function createRecord(
  ctx: DbCtx,
  input: { pack: string; key: string; values: Values },
  options: WriteOptions = {},
): Promise<FormRecord> {
  const data = parseOp(createSchema, input);
  return withTx(ctx, async (tx) => {
    const published = await requirePublished(tx, data.pack, data.key, options.formStamp);
    const prepared = await prepare(tx, { published, input: data.values, options });
    await assertUniqueKeys(tx, published, prepared.main, undefined);
    const db = tx.db as unknown as AnyDb;
    const id = newId();
    const now = instant(tx.clock.now());
    const by = actorName(tx);
    const context = options.context ?? {};
    const owner = context.memberId ?? (tx.actor.kind === 'member' ? tx.actor.memberId : null);
    const insert = db.insertInto(published.storage.main.table).values({
      id,
      version: 1,
      created_by: by,
      created_at: now,
      updated_by: by,
      updated_at: now,
      flow_instance_id: options.flowInstanceId ?? null,
      state: published.form.def.kind === 'flow' ? 'draft' : 'active',
      voided_at: null,
      owner_id: owner,
      department_id: context.departmentId ?? null,
      unit_id: context.unitId ?? null,
      ...columnValues(db, published.form.fields, published.storage.main, prepared.main),
    });
    const main = await insert
      .returningAll()
      .returning(formPublishStamp().as(stampAlias))
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw uniqueClash(published, error);
      });
    assertStillLatest(published, main);
    for (const sub of published.form.subtables) prepared.touchedSubs.add(sub.key);
    const written = await writeRows(tx, published, id, prepared, false);
    await bindUploads(tx, published, id, prepared, true);
    const record = writtenRecord(published, main, written, undefined);
    await emitRecordEvent(tx, eventOf('created', published, record, tx));
    return presentResolved(tx, published, record, options.viewer);
  });
}

const getSchema = z.object({ ...formRef, id: idField });

/** One record with its subtables; FORM_RECORD_NOT_FOUND when it does not exist or is outside the viewer's scopes. */
export async function getRecord(
  ctx: DbCtx,
  input: { pack: string; key: string; id: string },
  options: ReadOptions = {},
): Promise<FormRecord> {
  const data = parseOp(getSchema, input);
  return withTx(ctx, async (tx) => {
    const published = await requirePublished(tx, data.pack, data.key, options.formStamp);
    const scope = await scopeFilter(tx, published, options.viewer, 'read');
    const record = await readRecord(tx, published, data.id, scope);
    if (!record) throw FormErrors.recordNotFound.create({ id: data.id });
    const shown = await presentResolved(tx, published, record, options.viewer, options.referenceIds);
    if (!options.writer) return shown;
    // Mirrors updateRecord: a voided record is not editable, and the write scopes must reach it.
    const writable = !record.voidedAt && (await reaches(tx, published, data.id, options.writer, 'write'));
    return { ...shown, writable };
  });
}

/** Whether the viewer's scopes (`access`) reach the record: one indexed lookup, nothing read. */
async function reaches(
  ctx: DbCtx,
  published: PublishedForm,
  id: string,
  viewer: Viewer,
  access: 'read' | 'write',
): Promise<boolean> {
  const db = ctx.db as unknown as AnyDb;
  const table = published.storage.main.table;
  const scope = await scopeFilter(ctx, published, viewer, access);
  let query = db.selectFrom(table).select(`${table}.id`).where(`${table}.id`, '=', id);
  if (scope) query = query.where(scope);
  return (await query.executeTakeFirst()) !== undefined;
}

const updateSchema = z.object({
  ...formRef,
  id: idField,
  version: z.number().int().min(1).optional(),
  values: valuesField,
});

const versionRequired = z.object({ version: z.number().int().min(1) });

/**
 * Changes the fields present in `values` (a subtable present is replaced as a whole), recomputes every
 * formula, and writes with the optimistic version: a stale `version` throws DB_VERSION_CONFLICT.
 */
export async function updateRecord(
  ctx: DbCtx,
  input: { pack: string; key: string; id: string; version?: number; values: Values },
  options: WriteOptions = {},
): Promise<FormRecord> {
  const data = parseOp(updateSchema, input);
  // Only a caller that orders the record's writers itself may leave the version out.
  if (data.version === undefined && !options.atCurrentVersion) parseOp(versionRequired, input);
  return withTx(ctx, async (tx) => {
    const published = await requirePublished(tx, data.pack, data.key, options.formStamp);
    const scope = await scopeFilter(tx, published, options.viewer, 'write');
    const existing = await readRecord(tx, published, data.id, scope);
    if (!existing) throw FormErrors.recordNotFound.create({ id: data.id });
    if (existing.voidedAt) throw FormErrors.recordVoided.create({ id: data.id });
    const prepared = await prepare(tx, { published, input: data.values, existing, options });
    await assertUniqueKeys(tx, published, prepared.main, data.id);
    const db = tx.db as unknown as AnyDb;
    const { row } = await updateVersioned(tx, {
      table: published.storage.main.table,
      id: data.id,
      version: options.atCurrentVersion ? existing.version : (data.version as number),
      set: {
        updated_by: actorName(tx),
        ...columnValues(db, published.form.fields, published.storage.main, prepared.main),
      },
      returnRow: true,
      alsoReturn: stampReturned(),
    }).catch((error: unknown) => {
      throw uniqueClash(published, error);
    });
    assertStillLatest(published, row as Values);
    const written = await writeRows(tx, published, data.id, prepared, true);
    await bindUploads(tx, published, data.id, prepared, false);
    const record = writtenRecord(published, row as Values, written, existing);
    await emitRecordEvent(tx, { ...eventOf('updated', published, record, tx), before: existing.values });
    return presentResolved(tx, published, record, options.viewer);
  });
}

const voidSchema = z.object({ ...formRef, id: idField, version: z.number().int().min(1) });

/** Marks a record voided (作废): kept, excluded from lists by default, no longer editable. */
export async function voidRecord(
  ctx: DbCtx,
  input: { pack: string; key: string; id: string; version: number },
  options: ReadOptions = {},
): Promise<{ id: string; version: number }> {
  const data = parseOp(voidSchema, input);
  return withTx(ctx, async (tx) => {
    const published = await requirePublished(tx, data.pack, data.key);
    const scope = await scopeFilter(tx, published, options.viewer, 'write');
    const existing = await readRecord(tx, published, data.id, scope);
    if (!existing) throw FormErrors.recordNotFound.create({ id: data.id });
    if (existing.voidedAt) throw FormErrors.recordVoided.create({ id: data.id });
    const now = instant(tx.clock.now());
    const { version } = await updateVersioned(tx, {
      table: published.storage.main.table,
      id: data.id,
      version: data.version,
      set: { state: 'voided', voided_at: now, updated_by: actorName(tx) },
    });
    await emitRecordEvent(tx, { ...eventOf('voided', published, existing, tx), version });
    return { id: data.id, version };
  });
}

const reassignSchema = z.object({
  ...formRef,
  id: idField,
  version: z.number().int().min(1),
  ownerId: idField,
});

/**
 * 转交 (reassign): the record gets a new owner, and with it the owner's main department and unit, so `own`,
 * department and unit scopes follow it (sales management hands a stale opportunity to another salesperson);
 * an `assignedTo` field that named the previous owner names the new one.
 * The caller must be able to write the record; the new owner must be an active member.
 */
export async function reassignRecord(
  ctx: DbCtx,
  input: { pack: string; key: string; id: string; version: number; ownerId: string },
  options: ReadOptions = {},
): Promise<{ id: string; version: number; from: string | null; to: string }> {
  const data = parseOp(reassignSchema, input);
  return withTx(ctx, async (tx) => {
    const published = await requirePublished(tx, data.pack, data.key);
    const scope = await scopeFilter(tx, published, options.viewer, 'write');
    const existing = await readRecord(tx, published, data.id, scope);
    if (!existing) throw FormErrors.recordNotFound.create({ id: data.id });
    if (existing.voidedAt) throw FormErrors.recordVoided.create({ id: data.id });
    const owner = await getMember(tx, { id: data.ownerId }).catch(() => undefined);
    if (owner?.status !== 'active') {
      throw FormErrors.validationFailed.create(
        {},
        { fields: [{ path: ['ownerId'], code: 'not_active', message: 'the new owner is not an active member' }] },
      );
    }
    const department = await getDepartment(tx, { id: owner.mainDepartmentId });
    // What the previous owner held on the record as an assignee (销售经理A …) passes with it.
    const handed: Values = {};
    for (const key of published.form.def.assignedTo?.fields ?? []) {
      const column = published.storage.main.columns[key]?.column;
      if (column && existing.ownerId !== null && existing.values[key] === existing.ownerId) handed[column] = owner.id;
    }
    const { version, row } = await updateVersioned(tx, {
      table: published.storage.main.table,
      id: data.id,
      version: data.version,
      set: {
        owner_id: owner.id,
        department_id: department.id,
        unit_id: department.unitId,
        ...handed,
        updated_by: actorName(tx),
      },
      // The assignee fields' columns are the version's: checked like any other write of field values.
      returnRow: true,
      alsoReturn: stampReturned(),
    });
    assertStillLatest(published, row as Values);
    const record = (await readRecord(tx, published, data.id, undefined)) as FormRecord;
    await emitRecordEvent(tx, { ...eventOf('updated', published, record, tx), before: existing.values });
    return { id: data.id, version, from: existing.ownerId, to: owner.id };
  });
}

// ---- lists ----------------------------------------------------------------------------------------------

const operators = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'contains', 'isNull'] as const;
const listSchema = z.object({
  ...formRef,
  filters: z
    .array(z.object({ field: z.string().max(40), op: z.enum(operators), value: z.unknown().optional() }))
    .max(20)
    .default([]),
  sort: z
    .array(z.object({ field: z.string().max(40), dir: z.enum(['asc', 'desc']).default('asc') }))
    .max(3)
    .default([]),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(4000).optional(),
  includeVoided: z.boolean().default(false),
});

export type ListInput = z.input<typeof listSchema>;
export type ListResult = { records: FormRecord[]; nextCursor: string | null };

/** The JSON type of a raw sort value per column kind, for checking cursors. */
const kindOfValue = {
  text: 'string',
  id: 'string',
  date: 'string',
  instant: 'string',
  bigint: 'number',
  integer: 'number',
  decimal: 'number',
  boolean: 'boolean',
} as const;

const sqlOperator: Readonly<Record<Exclude<FilterOperator, 'in' | 'contains' | 'isNull'>, ComparisonOperator>> = {
  eq: '=',
  ne: '<>',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
};

function queryError(problem: string, path: (string | number)[]) {
  return FormErrors.queryInvalid.create({ problem }, { fields: [{ path, code: 'query_invalid', message: problem }] });
}

/**
 * FROM and WHERE of a list: not voided (unless asked), the filters on declared fields the viewer may see —
 * each checked before any SQL is built — and the viewer's record scopes.
 */
async function listSource(tx: DbCtx, data: z.output<typeof listSchema>, options: ReadOptions) {
  const published = await requirePublished(tx, data.pack, data.key);
  const { form, storage } = published;
  const table = storage.main.table;
  const access = await accessFor(tx, published, options.viewer);
  const declared = (name: string, path: (string | number)[]) => {
    const field = form.byKey.get(name);
    const info = storage.main.columns[name];
    // A field hidden from the viewer is not theirs to filter or sort on (a filter would reveal it).
    const hidden = access !== undefined && accessOf(access, name) === 'hidden';
    if (!field || !info || hidden) throw queryError(`"${name}" is not a field of this form`, path);
    return { field, column: `${table}.${info.column}` };
  };
  const db = tx.db as unknown as AnyDb;
  // Everything is checked before the query is built.
  const wheres: ((eb: AnyEb) => Expression<SqlBool>)[] = [];
  for (const [index, filter] of data.filters.entries()) {
    const { field, column } = declared(filter.field, ['filters', index, 'field']);
    if (!field.type.operators.includes(filter.op)) {
      throw queryError(`"${filter.op}" does not apply to ${field.type.type} field "${filter.field}"`, [
        'filters',
        index,
        'op',
      ]);
    }
    const toDb = (value: unknown, at: (string | number)[]) => {
      const parsed = field.type.parse(value, field.config);
      if (!parsed.ok || parsed.value === null) throw queryError(`bad value for "${filter.field}"`, at);
      return field.type.toDb ? field.type.toDb(db, parsed.value, field.config) : parsed.value;
    };
    const at = ['filters', index, 'value'];
    if (filter.op === 'isNull') {
      const wanted = filter.value !== false;
      wheres.push((eb: AnyEb) => eb(column, wanted ? 'is' : 'is not', null));
    } else if (filter.op === 'in') {
      if (!Array.isArray(filter.value) || filter.value.length === 0 || filter.value.length > 500) {
        throw queryError('"in" needs a list of 1 to 500 values', at);
      }
      const values = filter.value.map((value, i) => toDb(value, [...at, i]));
      wheres.push((eb: AnyEb) => eb(column, 'in', values));
    } else if (filter.op === 'contains') {
      if (typeof filter.value !== 'string' || filter.value.length === 0 || filter.value.length > 200) {
        throw queryError('"contains" needs text', at);
      }
      const text = filter.value;
      wheres.push(() => containsText(db, column, text));
    } else {
      const value = toDb(filter.value, at);
      const op = sqlOperator[filter.op];
      wheres.push((eb: AnyEb) => eb(column, op, value));
    }
  }
  const scope = await scopeFilter(tx, published, options.viewer, 'read');
  let query = db.selectFrom(table);
  if (!data.includeVoided) query = query.where(`${table}.voided_at`, 'is', null);
  for (const where of wheres) query = query.where(where);
  if (scope) query = query.where(scope);
  return { published, access, declared, table, query };
}

/** How many records a list holds (same filters and scopes as listRecords; sort, limit and cursor play no part). */
export async function countRecords(ctx: DbCtx, input: ListInput, options: ReadOptions = {}): Promise<number> {
  const data = parseOp(listSchema, input);
  return withTx(ctx, async (tx) => {
    const { query } = await listSource(tx, data, options);
    const row = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  });
}

/**
 * Main-table records (subtables left out) filtered and sorted on declared fields only — anything else is
 * refused with FORM_QUERY_INVALID before any SQL is built. Paged by an opaque cursor.
 */
export async function listRecords(ctx: DbCtx, input: ListInput, options: ReadOptions = {}): Promise<ListResult> {
  const data = parseOp(listSchema, input);
  return withTx(ctx, async (tx) => {
    const { published, access, declared, table, query: source } = await listSource(tx, data, options);
    const { form, storage } = published;
    const sorts = data.sort.map((sort, index) => {
      const found = declared(sort.field, ['sort', index, 'field']);
      const info = storage.main.columns[sort.field] as ColumnInfo;
      if (info.kind === 'json') throw queryError(`"${sort.field}" cannot be sorted on`, ['sort', index, 'field']);
      return { ...found, kind: info.kind, dir: sort.dir };
    });
    const fingerprint = queryFingerprint([
      data.pack,
      data.key,
      data.sort.map((sort) => [sort.field, sort.dir]),
      data.filters,
      data.includeVoided,
    ]);
    let after: Cursor | undefined;
    if (data.cursor !== undefined) {
      after = decodeCursor(data.cursor, fingerprint, sorts.length);
      const fits = (value: unknown, kind: string) =>
        value === null ||
        (kindOfValue[kind as keyof typeof kindOfValue] ?? 'string') === typeof value ||
        (kind === 'boolean' && typeof value === 'number');
      if (!after || !sorts.every((sort, i) => fits(after?.values[i], sort.kind))) {
        throw queryError('bad cursor', ['cursor']);
      }
    }
    let query = source.selectAll();
    if (after) {
      const cursor = after;
      query = query.where((eb: AnyEb) => afterCursor(eb, sorts, cursor.values, `${table}.id`, cursor.id));
    }
    // NULL sorts last ascending and first descending on both databases (PostgreSQL's default order).
    for (const sort of sorts) {
      query = query.orderBy(sort.column, (ob) => (sort.dir === 'asc' ? ob.asc().nullsLast() : ob.desc().nullsFirst()));
    }
    query = query.orderBy(`${table}.id`, 'asc').limit(data.limit + 1);
    const rows = await query.execute();
    const page = rows.slice(0, data.limit) as Values[];
    const records = page.map((row) => present(toRecord(form, storage.main, row), access));
    if (!options.referenceIds) await resolveReferences(tx, published, records);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > data.limit && last
        ? encodeCursor(
            {
              values: sorts.map((sort) => {
                const raw = last[camelOf(storage.main.columns[sort.field.key]?.column as string)];
                return raw === undefined ? null : (raw as CursorValue);
              }),
              id: String(last.id),
            },
            fingerprint,
          )
        : null;
    return { records, nextCursor };
  });
}
