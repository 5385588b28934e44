import { z } from 'zod';
import type { FormInfo } from '../../forms.ts';
import type { ActionRuntime, CheckContext } from '../define.ts';
import { pick, sameValue } from '../records.ts';
import { columnsSchema, fieldKey, sourceSubtableSchema, typedExprSchema, widget } from '../shared.ts';

type Row = Record<string, unknown>;

/**
 * How a target subtable's rows are written: one row per row of a subtable of the record (`from`), or one row from
 * the record itself; each column from an expression over that row and the record.
 */
export const rowsSchema = z.strictObject({
  /** A subtable of the record: one target row per source row (bare column names are its cells, `$row` its number). */
  from: sourceSubtableSchema.optional(),
  /** Only the rows for which this holds. */
  when: typedExprSchema('boolean').optional(),
  /** Target column → expression. */
  set: columnsSchema,
  /** On an update, the rows written replace the subtable (default) or are added after its rows. */
  onUpdate: z.enum(['replace', 'append']).default('replace'),
});
export type RowsConfig = z.output<typeof rowsSchema>;

/** Target subtable → how its rows are written (the whole option, kept out of definitions that do not use it). */
export const subtablesSchema = z.record(fieldKey, rowsSchema).meta(widget('rows'));

/** Every problem with its path: unknown subtables and columns, computed columns, expression types. */
export function checkRows(
  context: CheckContext,
  target: FormInfo | undefined,
  subtables: Readonly<Record<string, RowsConfig>>,
  withTarget: boolean,
): void {
  for (const [key, spec] of Object.entries(subtables)) {
    const at = ['subtables', key];
    const columns = target?.subtables.get(key);
    if (target && !columns) {
      context.add(at, 'unknown_subtable', { subtable: key });
    }
    let scope: string | undefined;
    let compile = true;
    if (spec.from !== undefined) {
      if (context.rowScope !== undefined) {
        context.add([...at, 'from'], 'from_in_row');
        compile = false;
      } else if (context.source && !context.source.subtables.has(spec.from)) {
        context.add([...at, 'from'], 'unknown_subtable', { subtable: spec.from });
        compile = false;
      } else scope = spec.from;
    }
    const options = { ...(scope ? { scope } : {}), ...(withTarget && target ? { target } : {}) };
    if (spec.when !== undefined && compile) context.expr([...at, 'when'], spec.when, { expect: 'boolean', ...options });
    if (Object.keys(spec.set).length === 0) context.add([...at, 'set'], 'set_empty');
    for (const [column, source] of Object.entries(spec.set)) {
      const path = [...at, 'set', column];
      const info = columns?.get(column);
      if (columns && !info) {
        context.add(path, 'unknown_column', { subtable: key, column });
        continue;
      }
      if (info && (!info.writable || !info.exprType)) {
        context.add(path, 'not_writable', { field: column, type: info.type });
        continue;
      }
      if (compile) context.expr(path, source, { ...options, ...(info?.exprType ? { expect: info.exprType } : {}) });
    }
  }
}

/** The rows the mapping makes, from the record (and `$target`, the matched record, on an update). */
export function mapRows(
  rt: ActionRuntime,
  key: string,
  spec: RowsConfig,
  target: Readonly<Record<string, unknown>>,
): Row[] {
  const at = ['subtables', key];
  const source = spec.from === undefined ? undefined : rt.source.record.values[spec.from];
  const indexes: (number | undefined)[] =
    spec.from === undefined ? [undefined] : (Array.isArray(source) ? source : []).map((_, index) => index);
  const rows: Row[] = [];
  for (const index of indexes) {
    const value = (rel: (string | number)[]) =>
      index === undefined ? rt.eval([...at, ...rel], target) : rt.evalRow([...at, ...rel], index, target);
    if (spec.when !== undefined && value(['when']) !== true) continue;
    const row: Row = {};
    for (const column of Object.keys(spec.set)) row[column] = value(['set', column]);
    rows.push(row);
  }
  return rows;
}

/** A stored row as a write takes it back: its cells (computed ones are recomputed by the form engine). */
export function cellsOf(row: unknown): Row {
  const { id: _id, rowNo: _rowNo, ...cells } = (row ?? {}) as Row;
  return cells;
}

export function rowsIn(values: Readonly<Record<string, unknown>> | undefined, key: string): Row[] {
  const rows = values?.[key];
  return Array.isArray(rows) ? (rows as Row[]) : [];
}

/** What an update did to one subtable, enough to undo it: the rows it wrote from `at`, and, replacing, those before. */
export type RowsWritten = {
  mode: 'replace' | 'append';
  at: number;
  /** The columns the rule wrote: what "still as the rule left it" compares. */
  keys: string[];
  after: Row[];
  before?: Row[];
};

export function rowsWritten(
  spec: RowsConfig,
  existing: Readonly<Record<string, unknown>>,
  now: Readonly<Record<string, unknown>> | undefined,
  key: string,
): RowsWritten {
  const keys = Object.keys(spec.set);
  const before = rowsIn(existing, key);
  const at = spec.onUpdate === 'append' ? before.length : 0;
  const after = rowsIn(now, key)
    .slice(at)
    .map((row) => pick(row, keys));
  return spec.onUpdate === 'append'
    ? { mode: 'append', at, keys, after }
    : { mode: 'replace', at, keys, after, before: before.map(cellsOf) };
}

/**
 * The rows to put back, or undefined when the subtable no longer holds what the rule wrote (someone changed it
 * since: their change is kept). Appended rows are taken out; replaced rows come back.
 */
export function rowsToRestore(written: RowsWritten, current: Readonly<Record<string, unknown>>, key: string) {
  const rows = rowsIn(current, key);
  const end = written.at + written.after.length;
  const wrote = rows.slice(written.at, end).map((row) => pick(row, written.keys));
  if (!sameValue(wrote, written.after)) return undefined;
  if (written.mode === 'replace') return rows.length === end ? (written.before ?? []) : undefined;
  return [...rows.slice(0, written.at), ...rows.slice(end)].map(cellsOf);
}
