import { newId } from '@baton/core';
import { type DbCtx, instant, toJson, updateVersioned, withTx } from '@baton/db';
import type { EntityType } from './model.ts';

/** One org operation in progress: its transaction, its change-log batch and its single instant. */
export type Batch = {
  ctx: DbCtx;
  id: string;
  operation: string;
  /** ctx.clock at the start: every row and change of the operation carries the same instant. */
  at: string;
};

export const tableOf = {
  unit: 'baton_org_unit',
  department: 'baton_org_department',
  divisionLeader: 'baton_org_division_leader',
  post: 'baton_org_post',
  level: 'baton_org_level',
  member: 'baton_org_member',
  concurrentPost: 'baton_org_concurrent_post',
  role: 'baton_org_role',
  roleAssignment: 'baton_org_role_assignment',
} as const satisfies Record<EntityType, string>;

type Versioned = { id: string; version: number; updatedAt: string };

/**
 * Moves the org revision on and gives it a fresh random stamp. Resolution caches are keyed by the stamp,
 * so a cache built inside a transaction that later rolls back can never be taken for committed state.
 * On PostgreSQL the update also row-locks the revision: org changes run one at a time, which keeps
 * cycle checks and uniqueness checks valid until commit (SQLite's BEGIN IMMEDIATE already serialises).
 */
export async function bumpRevision(ctx: DbCtx): Promise<void> {
  await ctx.db
    .updateTable('baton_org_revision')
    .set((eb) => ({ revision: eb('revision', '+', 1), stamp: newId(), updatedAt: instant(ctx.clock.now()) }))
    .where('id', '=', 'org')
    .execute();
}

/** The current org revision as seen by `ctx.db` (inside a transaction: including its own changes). */
export async function readRevision(ctx: Pick<DbCtx, 'db'>): Promise<{ revision: number; stamp: string }> {
  const row = await ctx.db
    .selectFrom('baton_org_revision')
    .select(['revision', 'stamp'])
    .where('id', '=', 'org')
    .executeTakeFirstOrThrow();
  return { revision: Number(row.revision), stamp: row.stamp };
}

/**
 * Runs one org operation: one transaction (joined when ctx.db already is one), one change-log batch.
 * The revision is bumped first (taking the lock) and again at the end, so that a resolution that ran
 * in between (e.g. inside a handover hook) cached state that no later reader will see under its stamp.
 */
export async function runOp<T>(ctx: DbCtx, operation: string, fn: (batch: Batch) => Promise<T>): Promise<T> {
  return withTx(ctx, async (tx) => {
    const batch: Batch = { ctx: tx, id: newId(), operation, at: instant(tx.clock.now()) };
    await bumpRevision(tx);
    try {
      const result = await fn(batch);
      await bumpRevision(tx);
      return result;
    } catch (error) {
      // A caller that catches the error inside its own transaction keeps any partial writes; a new stamp
      // keeps caches honest for it. In an aborted PostgreSQL transaction this fails too, which is fine.
      await bumpRevision(tx).catch(() => undefined);
      throw error;
    }
  });
}

type ChangeInput = {
  entityType: EntityType;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
  memberId?: string | null;
};

function concernedMember(change: ChangeInput): string | null {
  if (change.memberId !== undefined) return change.memberId;
  if (change.entityType === 'member') return change.entityId;
  const subject = (change.after ?? change.before) as { memberId?: unknown } | null;
  return typeof subject?.memberId === 'string' ? subject.memberId : null;
}

const CHANGE_CHUNK = 200;

/** Appends change-log rows (never updated or deleted afterwards). */
export async function recordChanges(batch: Batch, changes: ChangeInput[]): Promise<void> {
  if (changes.length === 0) return;
  const { db, actor } = batch.ctx;
  const actorMemberId = actor.kind === 'member' ? actor.memberId : null;
  const rows = changes.map((change) => ({
    id: newId(),
    at: batch.at,
    actor: toJson(db, actor),
    actorMemberId,
    entityType: change.entityType,
    entityId: change.entityId,
    memberId: concernedMember(change),
    action: change.action,
    operation: batch.operation,
    before: change.before === null || change.before === undefined ? null : toJson(db, change.before),
    after: change.after === null || change.after === undefined ? null : toJson(db, change.after),
    batchId: batch.id,
  }));
  for (let start = 0; start < rows.length; start += CHANGE_CHUNK) {
    await db
      .insertInto('baton_org_change')
      .values(rows.slice(start, start + CHANGE_CHUNK))
      .execute();
  }
}

/** Inserts a new entity (its public shape is its row) and logs its creation. */
export async function insertEntity<E extends Versioned>(
  batch: Batch,
  entityType: EntityType,
  entity: E,
  action = 'create',
): Promise<E> {
  // biome-ignore lint/suspicious/noExplicitAny: the table is chosen by entity type; shapes are checked by the mappers
  await (batch.ctx.db as any).insertInto(tableOf[entityType]).values(entity).execute();
  await recordChanges(batch, [{ entityType, entityId: entity.id, action, before: null, after: entity }]);
  return entity;
}

/** New audited fields for an entity created in this batch. */
export function fresh(batch: Batch): { id: string; version: number; createdAt: string; updatedAt: string } {
  return { id: newId(), version: 1, createdAt: batch.at, updatedAt: batch.at };
}

/**
 * Optimistic update of one entity: applies only if the row still has `expectedVersion` (default: the
 * version just read), else DB_VERSION_CONFLICT rolls the whole operation back. Logs before and after.
 * A patch that changes nothing writes nothing.
 */
export async function updateEntity<E extends Versioned>(
  batch: Batch,
  entityType: EntityType,
  before: E,
  patch: Partial<E>,
  options: { action?: string; expectedVersion?: number } = {},
): Promise<E> {
  const changed = Object.fromEntries(
    Object.entries(patch).filter(
      ([key, value]) => value !== undefined && (before as Record<string, unknown>)[key] !== value,
    ),
  );
  const expected = options.expectedVersion ?? before.version;
  if (Object.keys(changed).length === 0) {
    if (expected !== before.version) {
      // Still report the stale version: the caller acted on something that has changed since.
      await updateVersioned(batch.ctx, {
        table: tableOf[entityType],
        id: before.id,
        version: expected,
        set: { updatedAt: before.updatedAt },
      });
    }
    return before;
  }
  const { version } = await updateVersioned(batch.ctx, {
    table: tableOf[entityType],
    id: before.id,
    version: expected,
    set: { ...changed, updatedAt: batch.at },
  });
  const after = { ...before, ...changed, version, updatedAt: batch.at } as E;
  await recordChanges(batch, [{ entityType, entityId: before.id, action: options.action ?? 'update', before, after }]);
  return after;
}

/** Deletes a link row (concurrent post, division leader, role assignment) and logs it; optimistic too. */
export async function deleteEntity<E extends Versioned>(
  batch: Batch,
  entityType: EntityType,
  before: E,
  action = 'delete',
): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: the table is chosen by entity type
  const result = await (batch.ctx.db as any)
    .deleteFrom(tableOf[entityType])
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    // Let updateVersioned produce the standard conflict / not-found error.
    await updateVersioned(batch.ctx, {
      table: tableOf[entityType],
      id: before.id,
      version: before.version,
      set: { updatedAt: batch.at },
    });
  }
  await recordChanges(batch, [{ entityType, entityId: before.id, action, before, after: null }]);
}
