import { createHash } from 'node:crypto';
import {
  accessMemberLeft,
  assertCan,
  can,
  createApiToken,
  definePermission,
  grantPermissions,
  listApiTokens,
  permissionsOf,
  queryAudit,
  resolveApiToken,
  revokeApiToken,
  revokePermissions,
} from '@baton/access';
import { assignRole, createRole, memberLeaves, registerHandover } from '@baton/org';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, type Env, type Org, openEnv } from './access-fixture.ts';

const alpha = definePermission('test.token.alpha', { zh: '甲', en: 'Alpha' });
const beta = definePermission('test.token.beta', { zh: '乙', en: 'Beta' });
const gamma = definePermission('test.token.gamma', { zh: '丙', en: 'Gamma' });
const HOUR = 3_600_000;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'no error';
}

describe('API tokens', () => {
  let env: Env;
  let org: Org;

  beforeAll(async () => {
    env = await openEnv();
    org = await buildOrg(env.ctx);
    await createRole(env.ctx, { code: 'integrator', name: '集成' });
    await grantPermissions(env.ctx, { role: 'integrator', permissions: [alpha, beta] });
    await assignRole(env.ctx, { role: 'integrator', memberId: org.members.alice.id });
    await assignRole(env.ctx, { role: 'integrator', memberId: org.members.frank.id });
  });
  afterAll(() => env.database.cleanup());

  it('can carry only declared permissions the member holds', async () => {
    const memberId = org.members.alice.id;
    expect(await codeOf(createApiToken(env.ctx, { memberId, name: 'erp', scopes: [alpha, gamma] }))).toBe(
      'ACCESS_SCOPE_NOT_HELD',
    );
    expect(await codeOf(createApiToken(env.ctx, { memberId, name: 'erp', scopes: ['test.token.unknown'] }))).toBe(
      'ACCESS_PERMISSION_UNKNOWN',
    );
    expect(await codeOf(createApiToken(env.ctx, { memberId, name: 'erp', scopes: [] }))).toBe('CORE_VALIDATION_FAILED');
    expect(
      await codeOf(createApiToken(env.ctx, { memberId, name: 'erp', scopes: [alpha], expiresAt: env.clock.now() })),
    ).toBe('CORE_VALIDATION_FAILED');
  });

  it('is confined to its scopes AND the member’s current permissions', async () => {
    const { token, apiToken } = await createApiToken(env.ctx, {
      memberId: org.members.alice.id,
      name: 'erp',
      scopes: [alpha],
    });
    expect(token).toMatch(/^bt_[A-Za-z0-9_-]{43}$/);
    expect(apiToken.hint).toBe(token.slice(0, 7));
    const principal = await resolveApiToken(env.ctx, token);
    expect(principal).toEqual({ tokenId: apiToken.id, memberId: org.members.alice.id, scopes: [alpha], locale: null });
    if (!principal) throw new Error('unreachable');
    // The member holds beta, the token does not carry it.
    expect(await can(env.ctx, org.members.alice.id, beta)).toBe(true);
    expect(await can(env.ctx, principal, alpha)).toBe(true);
    expect(await can(env.ctx, principal, beta)).toBe(false);
    expect(await codeOf(assertCan(env.ctx, principal, beta))).toBe('ACCESS_FORBIDDEN');
    expect([...(await permissionsOf(env.ctx, principal))]).toEqual([alpha]);
    // The member loses alpha: so does the token, at once.
    await revokePermissions(env.ctx, { role: 'integrator', permissions: [alpha] });
    expect(await can(env.ctx, principal, alpha)).toBe(false);
    await grantPermissions(env.ctx, { role: 'integrator', permissions: [alpha] });
    expect(await can(env.ctx, principal, alpha)).toBe(true);
  });

  it('refuses revoked, expired, unknown and malformed tokens', async () => {
    const memberId = org.members.alice.id;
    const revoked = await createApiToken(env.ctx, { memberId, name: 'old', scopes: [alpha] });
    await revokeApiToken(env.ctx, { id: revoked.apiToken.id });
    expect(await resolveApiToken(env.ctx, revoked.token)).toBeNull();
    expect((await revokeApiToken(env.ctx, { id: revoked.apiToken.id })).revokedAt).not.toBeNull();
    expect(await codeOf(revokeApiToken(env.ctx, { id: 'nope' }))).toBe('ACCESS_TOKEN_NOT_FOUND');

    const expiring = await createApiToken(env.ctx, {
      memberId,
      name: 'short',
      scopes: [alpha],
      expiresAt: new Date(env.clock.now().getTime() + HOUR),
    });
    env.clock.advance(HOUR - 1);
    expect(await resolveApiToken(env.ctx, expiring.token)).not.toBeNull();
    env.clock.advance(1);
    expect(await resolveApiToken(env.ctx, expiring.token)).toBeNull();

    expect(await resolveApiToken(env.ctx, `bt_${'A'.repeat(43)}`)).toBeNull();
    expect(await resolveApiToken(env.ctx, 'bt_short')).toBeNull();
    expect(await resolveApiToken(env.ctx, null)).toBeNull();
  });

  it('dies with its member (and the handover hook revokes it in the leave transaction)', async () => {
    const frank = org.members.frank.id;
    const { token, apiToken } = await createApiToken(env.ctx, { memberId: frank, name: 'f', scopes: [beta] });
    expect(await resolveApiToken(env.ctx, token)).not.toBeNull();
    const unregister = registerHandover('access', accessMemberLeft);
    try {
      const left = await memberLeaves(env.ctx, { memberId: frank, successorId: org.members.alice.id });
      expect(left.handovers.access).toMatchObject({ held: 0 });
    } finally {
      unregister();
    }
    expect(await resolveApiToken(env.ctx, token)).toBeNull();
    const [listed] = await listApiTokens(env.ctx, { memberId: frank });
    expect(listed?.id).toBe(apiToken.id);
    expect(listed?.revokedAt).toBe(env.clock.now().toISOString());
    const audit = await queryAudit(env.ctx, { action: 'access.memberLeft' });
    expect(audit.items[0]?.detail).toEqual({ sessions: 0, apiTokens: 1, grants: 0 });
  });

  it('is stored hashed: the plaintext appears nowhere in the table', async () => {
    const { token, apiToken } = await createApiToken(env.ctx, {
      memberId: org.members.alice.id,
      name: 'scan',
      scopes: [alpha, beta],
    });
    const rows = await env.database.db.selectFrom('baton_access_api_token').selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(3));
    const row = rows.find((r) => r.id === apiToken.id);
    expect(row?.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    const listed = await listApiTokens(env.ctx, { memberId: org.members.alice.id });
    expect(listed.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(listed)).not.toContain('tokenHash');
    expect(listed[0]?.scopes).toEqual([alpha, beta]);
  });
});
