import { CoreErrors, newId } from '@baton/core';
import { type DbCtx, instant, withTx } from '@baton/db';
import { z } from 'zod';
import { appendAudit } from './audit.ts';
import { AccessErrors } from './errors.ts';
import { findMemberById } from './org-port.ts';
import type { GrantAccess, GrantTable } from './schema.ts';
import { parseInput } from './validate.ts';

// Grants (借阅, P-63): time-limited access to records one could not otherwise see. They take effect
// through the scope predicate (scopeWhere's `grants`), which compares expires_at with ctx.clock's now
// in SQL, so a grant stops working the instant it expires without any job having to run.

/** `crm.customer`, a form key, `library.document` … */
export const resourceField = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z][A-Za-z0-9_.:-]*$/, 'a resource key such as crm.customer');

const instantField = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value));

const createGrantInput = z.object({
  memberId: z.string().min(1).max(64),
  resource: resourceField,
  /** null or omitted: every record of the resource. */
  recordId: z.string().min(1).max(200).nullish(),
  access: z.enum(['read', 'write']).default('read'),
  /** null or omitted: until revoked. */
  expiresAt: instantField.nullish(),
  reason: z.string().trim().max(2_000).nullish(),
});
export type CreateGrantInput = z.input<typeof createGrantInput>;

export type Grant = {
  id: string;
  memberId: string;
  resource: string;
  recordId: string | null;
  access: GrantAccess;
  expiresAt: string | null;
  grantedBy: string | null;
  reason: string | null;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
};

function toGrant(row: GrantTable): Grant {
  return { ...row };
}

function actorName(ctx: DbCtx): string | null {
  const { actor } = ctx;
  if (actor.kind === 'member') return actor.memberId;
  if (actor.kind === 'system') return `system:${actor.name}`;
  return null;
}

/** Grants a member read or write access to one record (or a whole resource). Audited. */
export async function createGrant(ctx: DbCtx, input: CreateGrantInput): Promise<Grant> {
  const data = parseInput(createGrantInput, input);
  const now = ctx.clock.now();
  if (data.expiresAt && data.expiresAt.getTime() <= now.getTime()) {
    throw CoreErrors.validation.create(
      {},
      { fields: [{ path: ['expiresAt'], code: 'in_past', message: 'expiresAt must be in the future' }] },
    );
  }
  return withTx(ctx, async (tx) => {
    const member = await findMemberById(tx, data.memberId);
    if (!member) throw AccessErrors.memberNotFound.create({ memberId: data.memberId });
    if (member.status !== 'active') throw AccessErrors.memberLeft.create({ memberId: data.memberId });
    const grant: Grant = {
      id: newId(),
      memberId: member.id,
      resource: data.resource,
      recordId: data.recordId ?? null,
      access: data.access,
      expiresAt: data.expiresAt ? instant(data.expiresAt) : null,
      grantedBy: actorName(tx),
      reason: data.reason ?? null,
      createdAt: instant(tx.clock.now()),
      revokedAt: null,
      revokedBy: null,
    };
    await tx.db.insertInto('baton_access_grant').values(grant).execute();
    await appendAudit(tx, {
      action: 'access.grant.create',
      target: { type: 'grant', id: grant.id },
      detail: {
        memberId: grant.memberId,
        resource: grant.resource,
        recordId: grant.recordId,
        access: grant.access,
        expiresAt: grant.expiresAt,
        reason: grant.reason,
      },
    });
    return grant;
  });
}

/** Ends a grant now. Revoking an already revoked grant changes nothing and returns it as it is. */
export async function revokeGrant(ctx: DbCtx, input: { id: string; reason?: string | null }): Promise<Grant> {
  const data = parseInput(
    z.object({ id: z.string().min(1).max(64), reason: z.string().trim().max(2_000).nullish() }),
    input,
  );
  return withTx(ctx, async (tx) => {
    const row = await tx.db.selectFrom('baton_access_grant').selectAll().where('id', '=', data.id).executeTakeFirst();
    if (!row) throw AccessErrors.grantNotFound.create({ id: data.id });
    if (row.revokedAt) return toGrant(row);
    const revokedAt = instant(tx.clock.now());
    const revokedBy = actorName(tx);
    await tx.db
      .updateTable('baton_access_grant')
      .set({ revokedAt, revokedBy })
      .where('id', '=', row.id)
      .where('revokedAt', 'is', null)
      .execute();
    await appendAudit(tx, {
      action: 'access.grant.revoke',
      target: { type: 'grant', id: row.id },
      detail: { memberId: row.memberId, resource: row.resource, recordId: row.recordId, reason: data.reason ?? null },
    });
    return toGrant({ ...row, revokedAt, revokedBy });
  });
}

const listGrantsInput = z.object({
  memberId: z.string().min(1).max(64).optional(),
  resource: resourceField.optional(),
  recordId: z.string().min(1).max(200).optional(),
  /** Default true: only grants in force now (not revoked, not expired). */
  activeOnly: z.boolean().default(true),
  limit: z.number().int().min(1).max(1_000).default(200),
});

/** Grants, newest first. */
export async function listGrants(ctx: DbCtx, input: z.input<typeof listGrantsInput> = {}): Promise<Grant[]> {
  const data = parseInput(listGrantsInput, input);
  let query = ctx.db.selectFrom('baton_access_grant').selectAll();
  if (data.memberId) query = query.where('memberId', '=', data.memberId);
  if (data.resource) query = query.where('resource', '=', data.resource);
  if (data.recordId) query = query.where('recordId', '=', data.recordId);
  if (data.activeOnly) {
    const now = instant(ctx.clock.now());
    query = query
      .where('revokedAt', 'is', null)
      .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]));
  }
  const rows = await query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(data.limit).execute();
  return rows.map(toGrant);
}
