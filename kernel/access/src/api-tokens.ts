import { CoreErrors, newId } from '@baton/core';
import { type DbCtx, fromJson, instant, toJson, withTx } from '@baton/db';
import { z } from 'zod';
import { appendAudit } from './audit.ts';
import { randomToken, sha256Hex } from './crypto.ts';
import { AccessErrors } from './errors.ts';
import { findMemberById } from './org-port.ts';
import { type Permission, unknownPermissions } from './permission-registry.ts';
import { permissionsOf } from './permissions.ts';
import type { ApiTokenTable } from './schema.ts';
import { parseInput } from './validate.ts';

// API tokens for integrations: `bt_` + 32 random bytes (base64url). The prefix lets secret scanners and
// log redaction recognise them. Only the SHA-256 is stored; 256 random bits need no slow hash.

const TOKEN = /^bt_[A-Za-z0-9_-]{43}$/;
const TOUCH_MS = 60_000;

const instantField = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value));

const createInput = z.object({
  memberId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(200),
  scopes: z.array(z.string().min(1).max(200)).min(1).max(500),
  /** Omitted or null: until revoked. */
  expiresAt: instantField.nullish(),
});
export type CreateApiTokenInput = z.input<typeof createInput>;

export type ApiToken = {
  id: string;
  memberId: string;
  name: string;
  /** `bt_` and the first characters: enough to tell tokens apart in a list. */
  hint: string;
  scopes: Permission[];
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

function toApiToken(row: ApiTokenTable): ApiToken {
  const { tokenHash: _hash, scopes, ...rest } = row;
  return { ...rest, scopes: fromJson<Permission[]>(scopes) ?? [] };
}

function actorName(ctx: DbCtx): string | null {
  const { actor } = ctx;
  if (actor.kind === 'member') return actor.memberId;
  if (actor.kind === 'system') return `system:${actor.name}`;
  return null;
}

/**
 * Creates a token for a member, limited to `scopes`, which must be declared permissions the member holds
 * now (ACCESS_SCOPE_NOT_HELD otherwise). The plaintext is returned once and never again.
 */
export async function createApiToken(
  ctx: DbCtx,
  input: CreateApiTokenInput,
): Promise<{ token: string; apiToken: ApiToken }> {
  const data = parseInput(createInput, input);
  const scopes = [...new Set(data.scopes)].sort();
  const unknown = unknownPermissions(scopes);
  if (unknown.length > 0) throw AccessErrors.permissionUnknown.create({ permissions: unknown.join(', ') });
  if (data.expiresAt && data.expiresAt.getTime() <= ctx.clock.now().getTime()) {
    throw CoreErrors.validation.create(
      {},
      { fields: [{ path: ['expiresAt'], code: 'in_past', message: 'expiresAt must be in the future' }] },
    );
  }
  return withTx(ctx, async (tx) => {
    const member = await findMemberById(tx, data.memberId);
    if (!member) throw AccessErrors.memberNotFound.create({ memberId: data.memberId });
    if (member.status !== 'active') throw AccessErrors.memberLeft.create({ memberId: data.memberId });
    const held = await permissionsOf(tx, member.id);
    const missing = scopes.filter((scope) => !held.has(scope));
    if (missing.length > 0) throw AccessErrors.scopeNotHeld.create({ permissions: missing.join(', ') });
    const token = `bt_${randomToken(32)}`;
    const row: ApiTokenTable = {
      id: newId(),
      memberId: member.id,
      name: data.name,
      tokenHash: sha256Hex(token),
      hint: token.slice(0, 7),
      scopes: JSON.stringify(scopes),
      createdAt: instant(tx.clock.now()),
      createdBy: actorName(tx),
      expiresAt: data.expiresAt ? instant(data.expiresAt) : null,
      lastUsedAt: null,
      revokedAt: null,
    };
    await tx.db
      .insertInto('baton_access_api_token')
      .values({ ...row, scopes: toJson(tx.db, scopes) })
      .execute();
    await appendAudit(tx, {
      action: 'access.apiToken.create',
      target: { type: 'apiToken', id: row.id },
      detail: { memberId: member.id, name: row.name, scopes, expiresAt: row.expiresAt },
    });
    return { token, apiToken: toApiToken(row) };
  });
}

/**
 * The principal for a presented token: its member and scopes, or null when the token is unknown,
 * revoked, expired, or its member has left. Pass the result to can/assertCan/permissionsOf, which grant
 * only what both the scopes and the member's current permissions allow.
 */
export async function resolveApiToken(
  ctx: DbCtx,
  token: string | null | undefined,
): Promise<{ tokenId: string; memberId: string; scopes: Permission[]; locale: string | null } | null> {
  if (typeof token !== 'string' || !TOKEN.test(token)) return null;
  const row = await ctx.db
    .selectFrom('baton_access_api_token')
    .selectAll()
    .where('tokenHash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.revokedAt) return null;
  const now = ctx.clock.now().getTime();
  if (row.expiresAt && new Date(row.expiresAt).getTime() <= now) return null;
  const member = await findMemberById(ctx, row.memberId);
  if (member?.status !== 'active') return null;
  if (!row.lastUsedAt || now - new Date(row.lastUsedAt).getTime() >= TOUCH_MS) {
    await ctx.db
      .updateTable('baton_access_api_token')
      .set({ lastUsedAt: instant(new Date(now)) })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    tokenId: row.id,
    memberId: row.memberId,
    scopes: fromJson<Permission[]>(row.scopes) ?? [],
    locale: member.locale,
  };
}

/** Revokes a token for good. Audited; revoking twice changes nothing. */
export async function revokeApiToken(ctx: DbCtx, input: { id: string }): Promise<ApiToken> {
  const { id } = parseInput(z.object({ id: z.string().min(1).max(64) }), input);
  return withTx(ctx, async (tx) => {
    const row = await tx.db.selectFrom('baton_access_api_token').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw AccessErrors.tokenNotFound.create({ id });
    if (row.revokedAt) return toApiToken(row);
    const revokedAt = instant(tx.clock.now());
    await tx.db.updateTable('baton_access_api_token').set({ revokedAt }).where('id', '=', id).execute();
    await appendAudit(tx, {
      action: 'access.apiToken.revoke',
      target: { type: 'apiToken', id },
      detail: { memberId: row.memberId, name: row.name },
    });
    return toApiToken({ ...row, revokedAt });
  });
}

/** A member's tokens, newest first, without any secret. */
export async function listApiTokens(ctx: DbCtx, input: { memberId: string }): Promise<ApiToken[]> {
  const { memberId } = parseInput(z.object({ memberId: z.string().min(1).max(64) }), input);
  const rows = await ctx.db
    .selectFrom('baton_access_api_token')
    .selectAll()
    .where('memberId', '=', memberId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toApiToken);
}
