import { type Actor, newId } from '@baton/core';
import { type DbCtx, forUpdate, fromJson, instant, toJson, withTx } from '@baton/db';
import { z } from 'zod';
import { auditRowHash, GENESIS_HASH } from './audit-hash.ts';
import { AccessErrors } from './errors.ts';
import type { AuditTable } from './schema.ts';
import { parseInput } from './validate.ts';

/** `auth.signIn`, `access.permission.grant`, `org.department.move`, `flow.task.approve` … */
const ACTION = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)+$/;

export type AuditEntryInput = {
  action: string;
  /** Default: ctx.actor. Sign-in names the member signing in, who is not ctx.actor yet. */
  actor?: Actor;
  target?: { type: string; id?: string | null } | null;
  ip?: string | null;
  /** Any JSON value; undefined members are dropped. Never put secrets here: the log is for reading. */
  detail?: unknown;
};

export type AuditEntry = {
  seq: number;
  id: string;
  at: string;
  actor: { kind: 'member' | 'system' | 'anonymous'; id: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  ip: string | null;
  detail: unknown;
  prevHash: string;
  hash: string;
};

const entrySchema = z.object({
  action: z.string().max(100).regex(ACTION, 'dotted lower-camel words such as auth.signIn'),
  actor: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('member'), memberId: z.string().min(1).max(64) }).loose(),
      z.object({ kind: z.literal('system'), name: z.string().min(1).max(100) }),
      z.object({ kind: z.literal('anonymous') }),
    ])
    .optional(),
  target: z.object({ type: z.string().min(1).max(100), id: z.string().max(200).nullish() }).nullish(),
  ip: z.string().max(100).nullish(),
  detail: z.unknown().optional(),
});

function actorColumns(actor: Actor): { actorKind: AuditTable['actorKind']; actorId: string | null } {
  if (actor.kind === 'member') return { actorKind: 'member', actorId: actor.memberId };
  if (actor.kind === 'system') return { actorKind: 'system', actorId: actor.name };
  return { actorKind: 'anonymous', actorId: null };
}

function toEntry(row: AuditTable): AuditEntry {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at,
    actor: { kind: row.actorKind, id: row.actorId },
    action: row.action,
    target: row.targetType === null ? null : { type: row.targetType, id: row.targetId },
    ip: row.ip,
    detail: fromJson(row.detail),
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/**
 * Appends one row to the hash chain, inside the caller's transaction (one action = one transaction: the
 * row exists exactly when the action committed). The chain head row is locked first (FOR UPDATE on
 * PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers), so concurrent appends queue and
 * the chain never forks. Call it last in a transaction: the head lock is held until commit.
 */
export async function appendAudit(ctx: DbCtx, input: AuditEntryInput): Promise<AuditEntry> {
  const entry = parseInput(entrySchema, input);
  return withTx(ctx, async ({ db, clock, actor }) => {
    const head = await forUpdate(
      db.selectFrom('baton_access_audit_head').select(['seq', 'hash']).where('id', '=', 'audit'),
      db,
    ).executeTakeFirstOrThrow();
    // Normalise to plain JSON first, so the hash covers exactly what is stored and read back.
    const detail = entry.detail === undefined ? null : (JSON.parse(JSON.stringify(entry.detail)) ?? null);
    const fields = {
      seq: Number(head.seq) + 1,
      id: newId(),
      at: instant(clock.now()),
      ...actorColumns((entry.actor as Actor | undefined) ?? actor),
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target ? (entry.target.id ?? null) : null,
      ip: entry.ip ?? null,
      detail,
      prevHash: head.hash,
    };
    const hash = auditRowHash(fields);
    await db
      .insertInto('baton_access_audit')
      .values({ ...fields, detail: detail === null ? null : toJson(db, detail), hash })
      .execute();
    await db.updateTable('baton_access_audit_head').set({ seq: fields.seq, hash }).where('id', '=', 'audit').execute();
    return { ...toEntry({ ...fields, detail: null, hash }), detail };
  });
}

export type AuditVerification = {
  ok: boolean;
  /** Rows checked. */
  checked: number;
  /** The first seq whose row is missing, altered or out of chain. */
  firstBadSeq?: number;
  reason?: 'missing' | 'prevHash' | 'hash' | 'head';
};

const VERIFY_PAGE = 500;

/**
 * Walks the whole chain in seq order, recomputing every hash. Detects a changed row (its hash), a
 * deleted or inserted row (seq gap or prev_hash link) and a cut-off tail (the head row). It cannot
 * detect an attacker who rewrites every later row and the head: anchor the head hash elsewhere for that.
 */
export async function verifyAuditChain(ctx: DbCtx): Promise<AuditVerification> {
  const { db } = ctx;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('baton_access_audit')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(VERIFY_PAGE)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return { ok: false, checked, firstBadSeq: expectedSeq, reason: 'missing' };
      if (row.prevHash !== prevHash) return { ok: false, checked, firstBadSeq: seq, reason: 'prevHash' };
      const recomputed = auditRowHash({
        seq,
        id: row.id,
        at: row.at,
        actorKind: row.actorKind,
        actorId: row.actorId,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        ip: row.ip,
        detail: fromJson(row.detail),
        prevHash: row.prevHash,
      });
      if (recomputed !== row.hash) return { ok: false, checked, firstBadSeq: seq, reason: 'hash' };
      checked += 1;
      expectedSeq = seq + 1;
      prevHash = row.hash;
    }
    if (rows.length < VERIFY_PAGE) break;
  }
  const head = await db
    .selectFrom('baton_access_audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 'audit')
    .executeTakeFirst();
  if (!head || Number(head.seq) !== expectedSeq - 1 || head.hash !== prevHash) {
    return { ok: false, checked, firstBadSeq: expectedSeq, reason: 'head' };
  }
  return { ok: true, checked };
}

const instantField = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value));

const querySchema = z.object({
  from: instantField.optional(),
  to: instantField.optional(),
  /** A member id or a system name. */
  actor: z.string().min(1).max(200).optional(),
  /** An exact action, or a prefix ending in `.*` (`auth.*`). */
  action: z
    .string()
    .max(100)
    .regex(/^[a-z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*(\.\*)?$/, 'an action or a prefix such as auth.*')
    .optional(),
  target: z.object({ type: z.string().min(1).max(100), id: z.string().max(200).optional() }).optional(),
  cursor: z.string().max(40).optional(),
  limit: z.number().int().min(1).max(500).default(50),
});

export type AuditQuery = z.input<typeof querySchema>;

/**
 * Newest first. `from` is inclusive, `to` exclusive. `nextCursor` is null on the last page; pass it
 * back as `cursor` for the next one. Cursors are positions in the chain, so rows appended meanwhile
 * never shift a page.
 */
export async function queryAudit(
  ctx: DbCtx,
  input: AuditQuery = {},
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const filter = parseInput(querySchema, input);
  let before: number | undefined;
  if (filter.cursor !== undefined) {
    if (!/^[1-9]\d{0,15}$/.test(filter.cursor)) throw AccessErrors.auditCursorInvalid.create();
    before = Number(filter.cursor);
  }
  let query = ctx.db.selectFrom('baton_access_audit').selectAll();
  if (before !== undefined) query = query.where('seq', '<', before);
  if (filter.from) query = query.where('at', '>=', instant(filter.from));
  if (filter.to) query = query.where('at', '<', instant(filter.to));
  if (filter.actor) query = query.where('actorId', '=', filter.actor);
  if (filter.action?.endsWith('.*')) {
    // The action pattern allows only letters, digits and dots, so the prefix has no LIKE wildcards.
    query = query.where('action', 'like', `${filter.action.slice(0, -1)}%`);
  } else if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.target) {
    query = query.where('targetType', '=', filter.target.type);
    if (filter.target.id !== undefined) query = query.where('targetId', '=', filter.target.id);
  }
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const items = rows.slice(0, filter.limit).map(toEntry);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > filter.limit && last ? String(last.seq) : null };
}
