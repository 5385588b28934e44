import { newId } from '@baton/core';
import { type DbCtx, fromJson, instant, toJson } from '@baton/db';
import { getRecord, type Viewer } from '@baton/form';
import { z } from 'zod';
import type { RuleChangeOp } from './schema.ts';
import { parseInput } from './validate.ts';

export type ChangeEntry = {
  form: { pack: string; key: string };
  recordId: string;
  op: RuleChangeOp;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  rule: { pack: string; key: string; version: number };
  runId: string;
  eventType: string;
  instanceId: string | null;
  source: { pack: string; key: string; recordId: string };
  actorId: string;
};

/** Appends one change of a record to its history, in the caller's transaction. */
export async function logChange(ctx: DbCtx, entry: ChangeEntry): Promise<void> {
  const last = await ctx.db
    .selectFrom('baton_rule_change')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('formPack', '=', entry.form.pack)
    .where('formKey', '=', entry.form.key)
    .where('recordId', '=', entry.recordId)
    .executeTakeFirst();
  await ctx.db
    .insertInto('baton_rule_change')
    .values({
      id: newId(),
      formPack: entry.form.pack,
      formKey: entry.form.key,
      recordId: entry.recordId,
      op: entry.op,
      before: entry.before === null ? null : toJson(ctx.db, entry.before),
      after: entry.after === null ? null : toJson(ctx.db, entry.after),
      rulePack: entry.rule.pack,
      ruleKey: entry.rule.key,
      ruleVersion: entry.rule.version,
      runId: entry.runId,
      eventType: entry.eventType,
      instanceId: entry.instanceId,
      sourcePack: entry.source.pack,
      sourceKey: entry.source.key,
      sourceRecordId: entry.source.recordId,
      actorId: entry.actorId,
      at: instant(ctx.clock.now()),
      seq: Number(last?.seq ?? 0) + 1,
    })
    .execute();
}

export type RecordChange = {
  id: string;
  seq: number;
  at: string;
  op: RuleChangeOp;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  rule: { pack: string; key: string; version: number };
  eventType: string;
  /** The request that made the change (drill-through), with its title and flow. */
  instance: { id: string; title: string; flow: string; state: string } | null;
  /** The record the rule read (the request's form record). */
  source: { pack: string; key: string; recordId: string };
  actorId: string;
};

const listInput = z.strictObject({
  pack: z.string().min(1).max(40),
  key: z.string().min(1).max(40),
  recordId: z.string().min(1).max(64),
  limit: z.number().int().min(1).max(200).default(50),
  /** The `seq` of the last change of the previous page. */
  before: z.number().int().min(1).optional(),
});

/**
 * A record's history as rules wrote it, newest first, each change linked to the request behind it. With a viewer,
 * the record must be inside the viewer's scopes (FORM_RECORD_NOT_FOUND otherwise), as for reading the record.
 */
export async function listRecordChanges(
  ctx: DbCtx,
  input: z.input<typeof listInput>,
  options: { viewer?: Viewer } = {},
): Promise<{ changes: RecordChange[]; nextBefore: number | null }> {
  const data = parseInput(listInput, input);
  if (options.viewer)
    await getRecord(ctx, { pack: data.pack, key: data.key, id: data.recordId }, { viewer: options.viewer });
  let query = ctx.db
    .selectFrom('baton_rule_change as c')
    .leftJoin('baton_flow_instance as i', 'i.id', 'c.instanceId')
    .selectAll('c')
    .select(['i.title as instanceTitle', 'i.flowPack', 'i.flowKey', 'i.state as instanceState'])
    .where('c.formPack', '=', data.pack)
    .where('c.formKey', '=', data.key)
    .where('c.recordId', '=', data.recordId);
  if (data.before !== undefined) query = query.where('c.seq', '<', data.before);
  const rows = await query
    .orderBy('c.seq', 'desc')
    .limit(data.limit + 1)
    .execute();
  const page = rows.slice(0, data.limit);
  const changes = page.map(
    (row): RecordChange => ({
      id: row.id,
      seq: Number(row.seq),
      at: row.at,
      op: row.op,
      before: row.before === null ? null : fromJson<Record<string, unknown>>(row.before),
      after: row.after === null ? null : fromJson<Record<string, unknown>>(row.after),
      rule: { pack: row.rulePack, key: row.ruleKey, version: Number(row.ruleVersion) },
      eventType: row.eventType,
      instance:
        row.instanceId && row.instanceTitle !== null
          ? {
              id: row.instanceId,
              title: row.instanceTitle,
              flow: `${row.flowPack}.${row.flowKey}`,
              state: String(row.instanceState),
            }
          : null,
      source: { pack: row.sourcePack, key: row.sourceKey, recordId: row.sourceRecordId },
      actorId: row.actorId,
    }),
  );
  const last = page[page.length - 1];
  return { changes, nextBefore: rows.length > data.limit && last ? Number(last.seq) : null };
}
