import { createRecord, updateRecord, voidRecord } from '@baton/form';
import { z } from 'zod';
import type { FormRef } from '../../types.ts';
import { defineRuleAction, type Effect } from '../define.ts';
import { pick, readRecord, sameValue } from '../records.ts';
import { checkMatch, checkSet, formRefSchema, ifMissingSchema, mappingSchema, matchSchema } from '../shared.ts';
import {
  cellsOf,
  checkRows,
  mapRows,
  type RowsWritten,
  rowsIn,
  rowsToRestore,
  rowsWritten,
  subtablesSchema,
} from './rows.ts';

type Written = Effect & {
  op: 'insert' | 'update';
  form: FormRef;
  recordId: string;
  before?: Record<string, unknown>;
  after: Record<string, unknown>;
  /** Subtables an update wrote (absent on inserts: voiding the record takes its rows with it). */
  rows?: Record<string, RowsWritten>;
  changeLog: boolean;
};

/** Each subtable's rows as the change log shows them: the columns the rule wrote. */
function loggedRows(
  values: Readonly<Record<string, unknown>> | undefined,
  subtables: Readonly<Record<string, { set: Record<string, string> }>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(subtables)) {
    out[key] = rowsIn(values, key).map((row) => pick(row, Object.keys(spec.set)));
  }
  return out;
}

/**
 * Inserts, updates or upserts a record of another form (回写): the plan into the plan archive, a ledger line per
 * budget row, a ledger record with its lines (`subtables`). Writes go through the form engine, so validation,
 * serials, formulas, totals and unique keys apply. Named (`as`), it hands the record written on to later actions.
 */
export const writeBackAction = defineRuleAction({
  kind: 'writeBack',
  configSchema: z.strictObject({
    form: formRefSchema,
    mode: z.enum(['insert', 'update', 'upsert']).default('insert'),
    /** How the record to update is found (update, upsert): target field (or `id`) → expression. */
    match: matchSchema.optional(),
    /** Target field → expression; `$target.<field>` reads the matched record (blank on insert). */
    set: mappingSchema.default({}),
    /** update only: no matching record → fail (RULE_TARGET_NOT_FOUND, default) or skip. */
    ifMissing: ifMissingSchema,
    /** Keep the target's history (before, after, rule, request) in baton_rule_change. */
    changeLog: z.boolean().default(false),
    /** Target subtable → its rows, mapped from a subtable of the record or from the record (replace or append on update). */
    subtables: subtablesSchema.optional(),
  }),
  output: { values: { id: 'text' }, fieldsOf: 'form' },
  refs: (config) => ({ forms: [config.form] }),
  check(config, context) {
    const target = context.form(['form'], config.form);
    if (config.mode === 'insert' && config.match) {
      context.add(['match'], 'match_not_used');
    }
    if (config.mode !== 'insert' && !config.match) {
      context.add(['match'], 'required', {
        what: `match (mode ${config.mode})`,
        whatZh: `匹配条件（match，${config.mode} 模式）`,
      });
    }
    if (config.match) checkMatch(context, target, config.match, ['match']);
    const rows = config.subtables ?? {};
    if (Object.keys(config.set).length === 0 && !config.match && Object.keys(rows).length === 0)
      context.add(['set'], 'set_empty');
    checkSet(context, target, config.set, ['set'], config.mode !== 'insert');
    checkRows(context, target, rows, config.mode !== 'insert');
    if (config.match?.id !== undefined && config.mode === 'upsert') {
      context.add(['mode'], 'upsert_by_id');
    }
  },
  async run(rt, config) {
    const existing =
      config.mode === 'insert'
        ? undefined
        : await rt.findTarget(
            config.form,
            config.match ?? {},
            ['match'],
            config.mode === 'update' && config.ifMissing === 'fail',
          );
    if (!existing && config.mode === 'update') return;
    const keys = Object.keys(config.set);
    const subtables = config.subtables ?? {};
    const values: Record<string, unknown> = {};
    for (const key of keys) values[key] = rt.eval(['set', key], existing?.values ?? {});
    for (const [key, spec] of Object.entries(subtables)) {
      const rows = mapRows(rt, key, spec, existing?.values ?? {});
      values[key] =
        existing && spec.onUpdate === 'append' ? [...rowsIn(existing.values, key).map(cellsOf), ...rows] : rows;
    }
    // What later actions read as `$actions.<as>.*`: the record as the form engine stored it.
    const handOn = (record: { id: string; values: Record<string, unknown> } | undefined) => {
      if (!record) return;
      const fields = rt.form(config.form)?.fields;
      rt.output({ ...(fields ? pick(record.values, [...fields.keys()]) : {}), id: record.id });
    };
    if (existing) {
      await updateRecord(rt.ctx, { ...config.form, id: existing.id, version: existing.version, values });
      const now = await readRecord(rt.ctx, config.form, existing.id);
      const before = pick(existing.values, keys);
      const after = pick(now?.values ?? values, keys);
      const rows: Record<string, RowsWritten> = {};
      for (const [key, spec] of Object.entries(subtables))
        rows[key] = rowsWritten(spec, existing.values, now?.values, key);
      const effect: Written = {
        kind: 'writeBack',
        op: 'update',
        form: config.form,
        recordId: existing.id,
        before,
        after,
        ...(Object.keys(rows).length > 0 ? { rows } : {}),
        changeLog: config.changeLog,
      };
      rt.effect(effect);
      handOn(now);
      if (config.changeLog)
        await rt.logChange({
          form: config.form,
          recordId: existing.id,
          op: 'update',
          before: { ...before, ...loggedRows(existing.values, subtables) },
          after: { ...after, ...loggedRows(now?.values, subtables) },
        });
      return;
    }
    // A new record also carries the values it was looked for by, so the next upsert finds it.
    const matched: Record<string, unknown> = {};
    for (const key of Object.keys(config.match ?? {})) if (key !== 'id') matched[key] = rt.eval(['match', key]);
    const insert = { ...matched, ...values };
    const created = await createRecord(rt.ctx, { ...config.form, values: insert }, { context: rt.writeContext });
    const now = await readRecord(rt.ctx, config.form, created.id);
    const after = pick(now?.values ?? insert, [...Object.keys(matched), ...keys]);
    rt.effect({
      kind: 'writeBack',
      op: 'insert',
      form: config.form,
      recordId: created.id,
      after,
      changeLog: config.changeLog,
    } satisfies Written);
    handOn(now);
    if (config.changeLog)
      await rt.logChange({
        form: config.form,
        recordId: created.id,
        op: 'insert',
        before: null,
        after: { ...after, ...loggedRows(now?.values, subtables) },
      });
  },
  async undo(rt, raw) {
    const effect = raw as Written;
    const current = await readRecord(rt.ctx, effect.form, effect.recordId);
    if (!current || current.voidedAt) return;
    if (effect.op === 'insert') {
      await voidRecord(rt.ctx, { ...effect.form, id: current.id, version: current.version });
      if (effect.changeLog) {
        await rt.logChange({
          form: effect.form,
          recordId: current.id,
          op: 'undo',
          before: pick(current.values, Object.keys(effect.after)),
          after: null,
        });
      }
      return;
    }
    // Only fields still holding what the rule wrote go back: a later change by someone else is kept.
    const restore: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(effect.after)) {
      if (sameValue(current.values[key], value)) restore[key] = effect.before?.[key] ?? null;
    }
    const fields = Object.keys(restore);
    // Rows likewise: appended rows still as written are taken out, replaced ones come back.
    const rowKeys: Record<string, string[]> = {};
    for (const [key, written] of Object.entries(effect.rows ?? {})) {
      const rows = rowsToRestore(written, current.values, key);
      if (rows === undefined) continue;
      restore[key] = rows;
      rowKeys[key] = written.keys;
    }
    if (Object.keys(restore).length === 0) return;
    const now = await updateRecord(rt.ctx, {
      ...effect.form,
      id: current.id,
      version: current.version,
      values: restore,
    }).then(() => readRecord(rt.ctx, effect.form, current.id));
    if (effect.changeLog) {
      const logged = (values: Readonly<Record<string, unknown>> | undefined) => ({
        ...pick(values ?? {}, fields),
        ...Object.fromEntries(
          Object.entries(rowKeys).map(([key, columns]) => [key, rowsIn(values, key).map((row) => pick(row, columns))]),
        ),
      });
      await rt.logChange({
        form: effect.form,
        recordId: current.id,
        op: 'undo',
        before: logged(current.values),
        after: logged(now?.values),
      });
    }
  },
});
