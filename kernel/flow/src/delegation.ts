import { CoreErrors, newId } from '@baton/core';
import { type DbCtx, instant, renewStamp, toJson, withTx } from '@baton/db';
import { getMember } from '@baton/org';
import { z } from 'zod';
import { actorId } from './engine.ts';
import { FlowErrors } from './errors.ts';
import type { FlowDelegationTable } from './schema.ts';

const id = z.string().min(1).max(64);
const delegateSchema = z.strictObject({
  fromMemberId: id,
  toMemberId: id,
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  /** Only this flow (default: every flow). */
  flow: z.strictObject({ pack: z.string().max(40), key: z.string().max(40) }).optional(),
});
export type DelegateInput = z.input<typeof delegateSchema>;

function invalid(path: string, code: string, message: string) {
  return FlowErrors.invalidInput.create({}, { fields: [{ path: [path], code, message }] });
}

/**
 * 委托: tasks created for `fromMemberId` between the two instants go to `toMemberId` (the task records
 * delegatedFrom). Tasks that already exist stay where they are. The row is the audit trail.
 */
export async function delegate(ctx: DbCtx, input: DelegateInput): Promise<{ id: string }> {
  const parsed = delegateSchema.safeParse(input);
  if (!parsed.success) throw invalid(String(parsed.error.issues[0]?.path[0] ?? ''), 'invalid', parsed.error.message);
  const data = parsed.data;
  if (data.fromMemberId === data.toMemberId) throw invalid('toMemberId', 'same_member', 'delegate to someone else');
  const startsAt = instant(new Date(data.startsAt));
  const endsAt = instant(new Date(data.endsAt));
  if (endsAt <= startsAt) throw invalid('endsAt', 'bad_range', 'endsAt must be after startsAt');
  if (ctx.actor.kind === 'anonymous') throw CoreErrors.forbidden.create();
  return withTx(ctx, async (tx) => {
    // A delegate who has left (or never existed) would silently swallow every task of the period.
    const to = await getMember(tx, { id: data.toMemberId }).catch(() => undefined);
    if (to?.status !== 'active') throw invalid('toMemberId', 'not_active', 'the delegate is not an active member');
    const row = {
      id: newId(),
      fromMemberId: data.fromMemberId,
      toMemberId: data.toMemberId,
      startsAt,
      endsAt,
      flowPack: data.flow?.pack ?? null,
      flowKey: data.flow?.key ?? null,
      createdAt: instant(tx.clock.now()),
      createdBy: actorId(tx),
      revokedAt: null,
    };
    await tx.db.insertInto('baton_flow_delegation').values(row).execute();
    await newDelegationStamp(tx);
    return { id: row.id };
  });
}

/** Every process re-reads its cached delegations at the next action after this commits (see engine.ts). */
async function newDelegationStamp(ctx: DbCtx): Promise<void> {
  await renewStamp(ctx, 'baton_flow_delegation_stamp', 'delegations');
}

export type Delegation = {
  id: string;
  fromMemberId: string;
  toMemberId: string;
  startsAt: string;
  endsAt: string;
  /** Only this flow; null: every flow. */
  flow: { pack: string; key: string } | null;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
};

const toDelegation = (row: FlowDelegationTable): Delegation => ({
  id: row.id,
  fromMemberId: row.fromMemberId,
  toMemberId: row.toMemberId,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  flow: row.flowPack && row.flowKey ? { pack: row.flowPack, key: row.flowKey } : null,
  createdAt: row.createdAt,
  createdBy: row.createdBy,
  revokedAt: row.revokedAt,
});

export async function getDelegation(ctx: DbCtx, input: { id: string }): Promise<Delegation> {
  const row = await ctx.db
    .selectFrom('baton_flow_delegation')
    .selectAll()
    .where('id', '=', input.id)
    .executeTakeFirst();
  if (!row) throw FlowErrors.delegationNotFound.create({ id: input.id });
  return toDelegation(row);
}

/**
 * A member's delegations both ways (given and received), newest first. Without `includeEnded`, only
 * those not revoked and not yet over: what the member must know is in force.
 */
export async function listDelegations(
  ctx: DbCtx,
  input: { memberId: string; includeEnded?: boolean; limit?: number },
): Promise<Delegation[]> {
  let query = ctx.db
    .selectFrom('baton_flow_delegation')
    .selectAll()
    .where((eb) => eb.or([eb('fromMemberId', '=', input.memberId), eb('toMemberId', '=', input.memberId)]));
  if (!input.includeEnded) {
    query = query.where('revokedAt', 'is', null).where('endsAt', '>', instant(ctx.clock.now()));
  }
  const rows = await query
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(input.limit ?? 100, 1), 500))
    .execute();
  return rows.map(toDelegation);
}

/** Ends a delegation now; tasks it already routed stay with the delegate. Revoking twice is a no-op. */
export async function revokeDelegation(ctx: DbCtx, input: { id: string }): Promise<Delegation> {
  return withTx(ctx, async (tx) => {
    const revoked = await tx.db
      .updateTable('baton_flow_delegation')
      .set({ revokedAt: instant(tx.clock.now()) })
      .where('id', '=', input.id)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    if (Number(revoked.numUpdatedRows) > 0) await newDelegationStamp(tx);
    return getDelegation(tx, input);
  });
}

/**
 * For org's registerHandover (wired in the composition root): the open approval tasks of a member who
 * leaves, or changes post with a named successor, move to the successor; without a successor they are
 * reported as held, which refuses a leave.
 */
export async function flowMemberLeft(
  ctx: DbCtx,
  input: { memberId: string; successorId: string | null; reason?: 'leave' | 'move' },
): Promise<{ held: number; moved: number; detail: string }> {
  const open = await ctx.db
    .selectFrom('baton_flow_task')
    .select(['id', 'instanceId', 'nodeKey'])
    .where('assigneeId', '=', input.memberId)
    .where('state', 'in', ['pending', 'waiting'])
    .where('kind', '=', 'approval')
    .execute();
  if (!input.successorId || open.length === 0) {
    return { held: open.length, moved: 0, detail: `${open.length} open flow task(s)` };
  }
  const at = instant(ctx.clock.now());
  for (const instanceId of new Set(open.map((task) => task.instanceId))) {
    // Bumps the optimistic lock so an action racing the handover on the same instance conflicts.
    await ctx.db
      .updateTable('baton_flow_instance')
      .set((eb) => ({ version: eb('version', '+', 1), updatedAt: at }))
      .where('id', '=', instanceId)
      .execute();
  }
  for (const task of open) {
    await ctx.db
      .updateTable('baton_flow_task')
      .set({ assigneeId: input.successorId, delegatedFrom: input.memberId })
      .where('id', '=', task.id)
      .execute();
    await ctx.db
      .insertInto('baton_flow_action')
      .values({
        id: newId(),
        instanceId: task.instanceId,
        clientActionId: null,
        actorId: actorId(ctx),
        action: 'handover',
        nodeKey: task.nodeKey,
        taskId: task.id,
        opinion: null,
        attachments: null,
        detail: toJson(ctx.db, { from: input.memberId, to: input.successorId, reason: input.reason ?? 'leave' }),
        result: null,
        at,
      })
      .execute();
  }
  return { held: open.length, moved: open.length, detail: `moved ${open.length} open flow task(s)` };
}
