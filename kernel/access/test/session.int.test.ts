import { createHash } from 'node:crypto';
import {
  AccessErrors,
  assertCsrf,
  purgeSessions,
  queryAudit,
  renewCsrfToken,
  resolveSession,
  setPassword,
  signIn,
  signOut,
  signOutEverywhere,
  verifyCsrf,
} from '@baton/access';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, type Env, type Org, openEnv } from './access-fixture.ts';

const PASSWORD = 'Lantern-Harbor-42';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('sessions', () => {
  let env: Env;
  let org: Org;
  const signInAlice = (extra: { previousToken?: string } = {}) =>
    signIn(env.ctx, { login: 'alice', password: PASSWORD, ip: '198.51.100.1', userAgent: 'test', ...extra });

  beforeAll(async () => {
    env = await openEnv();
    org = await buildOrg(env.ctx);
    await setPassword(env.ctx, { memberId: org.members.alice.id, password: PASSWORD, mustChange: false });
  });
  afterAll(() => env.database.cleanup());

  it('stores only hashes of the session and CSRF tokens', async () => {
    const result = await signInAlice();
    const row = await env.database.db
      .selectFrom('baton_access_session')
      .selectAll()
      .where('id', '=', result.sessionId)
      .executeTakeFirstOrThrow();
    expect(row.tokenHash).toBe(sha256(result.sessionToken));
    expect(row.csrfHash).toBe(sha256(result.csrfToken));
    const all = JSON.stringify(await env.database.db.selectFrom('baton_access_session').selectAll().execute());
    expect(all).not.toContain(result.sessionToken);
    expect(all).not.toContain(result.csrfToken);
    expect(result.expiresAt).toBe(new Date(env.clock.now().getTime() + 12 * HOUR).toISOString());
  });

  it('issues a new session at every sign-in; a presented token is never upgraded', async () => {
    const planted = await signInAlice();
    const next = await signInAlice({ previousToken: planted.sessionToken });
    expect(next.sessionToken).not.toBe(planted.sessionToken);
    expect(next.sessionId).not.toBe(planted.sessionId);
    // The presented session ended with the sign-in.
    expect(await resolveSession(env.ctx, planted.sessionToken)).toBeNull();
    expect((await resolveSession(env.ctx, next.sessionToken))?.memberId).toBe(org.members.alice.id);

    // Without presenting it, the old one stays until signed out.
    const a = await signInAlice();
    const b = await signInAlice();
    expect(a.sessionToken).not.toBe(b.sessionToken);
    expect(await signOut(env.ctx, a.sessionToken)).toBe(true);
    expect(await signOut(env.ctx, a.sessionToken)).toBe(false);
    expect(await resolveSession(env.ctx, a.sessionToken)).toBeNull();
    expect(await resolveSession(env.ctx, b.sessionToken)).not.toBeNull();
  });

  it('rejects malformed and unknown tokens without a hit', async () => {
    expect(await resolveSession(env.ctx, undefined)).toBeNull();
    expect(await resolveSession(env.ctx, '')).toBeNull();
    expect(await resolveSession(env.ctx, "' or 1=1 --")).toBeNull();
    expect(await resolveSession(env.ctx, 'A'.repeat(43))).toBeNull();
  });

  it('ends after 2 hours idle', async () => {
    const s = await signInAlice();
    env.clock.advance(2 * HOUR - 1);
    const alive = await resolveSession(env.ctx, s.sessionToken);
    expect(alive).not.toBeNull();
    // That use moved last_seen: another 2 h of idleness are allowed from here.
    env.clock.advance(2 * HOUR - 1);
    expect(await resolveSession(env.ctx, s.sessionToken)).not.toBeNull();
    env.clock.advance(2 * HOUR);
    expect(await resolveSession(env.ctx, s.sessionToken)).toBeNull();
  });

  it('ends exactly at the idle limit when unused', async () => {
    const s = await signInAlice();
    env.clock.advance(2 * HOUR);
    expect(await resolveSession(env.ctx, s.sessionToken)).toBeNull();
  });

  it('ends after 12 hours however busy', async () => {
    const s = await signInAlice();
    for (let hour = 1; hour < 12; hour++) {
      env.clock.advance(HOUR);
      expect(await resolveSession(env.ctx, s.sessionToken)).not.toBeNull();
    }
    env.clock.advance(HOUR - 1);
    const last = await resolveSession(env.ctx, s.sessionToken);
    expect(last?.expiresAt).toBe(new Date(env.clock.now().getTime() + 1).toISOString());
    env.clock.advance(1);
    expect(await resolveSession(env.ctx, s.sessionToken)).toBeNull();
  });

  it('takes its timeouts from the policy it was issued under', async () => {
    const s = await signIn(
      env.ctx,
      { login: 'alice', password: PASSWORD, ip: '198.51.100.1' },
      { sessionIdleMs: 10 * MINUTE, sessionAbsoluteMs: HOUR },
    );
    env.clock.advance(10 * MINUTE - 1);
    expect(await resolveSession(env.ctx, s.sessionToken)).not.toBeNull();
    env.clock.advance(10 * MINUTE);
    expect(await resolveSession(env.ctx, s.sessionToken)).toBeNull();
  });

  it('writes last_seen at most once a minute', async () => {
    const s = await signInAlice();
    const lastSeen = async () =>
      (
        await env.database.db
          .selectFrom('baton_access_session')
          .select('lastSeenAt')
          .where('id', '=', s.sessionId)
          .executeTakeFirstOrThrow()
      ).lastSeenAt;
    const start = await lastSeen();
    env.clock.advance(59_999);
    await resolveSession(env.ctx, s.sessionToken);
    expect(await lastSeen()).toBe(start);
    env.clock.advance(1);
    await resolveSession(env.ctx, s.sessionToken);
    expect(await lastSeen()).toBe(env.clock.now().toISOString());
  });

  it('signs a member out everywhere, optionally but one', async () => {
    const sessions = [await signInAlice(), await signInAlice(), await signInAlice()];
    const ended = await signOutEverywhere(env.ctx, org.members.alice.id, {
      exceptSessionId: sessions[0]?.sessionId,
    });
    expect(ended).toBeGreaterThanOrEqual(2);
    expect(await resolveSession(env.ctx, sessions[0]?.sessionToken)).not.toBeNull();
    expect(await resolveSession(env.ctx, sessions[1]?.sessionToken)).toBeNull();
    expect(await resolveSession(env.ctx, sessions[2]?.sessionToken)).toBeNull();
    await signOutEverywhere(env.ctx, org.members.alice.id);
    expect(await resolveSession(env.ctx, sessions[0]?.sessionToken)).toBeNull();
    const audit = await queryAudit(env.ctx, { action: 'auth.sessionsRevoked' });
    expect(audit.items).toHaveLength(2);
    expect(audit.items[0]?.target).toEqual({ type: 'member', id: org.members.alice.id });
  });

  it('verifies the CSRF token: good, bad, missing, another session’s, renewed', async () => {
    const s = await signInAlice();
    const t = await signInAlice();
    const session = await resolveSession(env.ctx, s.sessionToken);
    if (!session) throw new Error('no session');
    expect(verifyCsrf(session, s.csrfToken)).toBe(true);
    expect(verifyCsrf(session, t.csrfToken)).toBe(false);
    expect(verifyCsrf(session, `${s.csrfToken.slice(0, -1)}x`)).toBe(false);
    expect(verifyCsrf(session, undefined)).toBe(false);
    expect(verifyCsrf(session, null)).toBe(false);
    expect(verifyCsrf(session, '')).toBe(false);
    expect(verifyCsrf(session, s.sessionToken)).toBe(false);
    expect(() => assertCsrf(session, undefined)).toThrow(AccessErrors.csrfInvalid.create().message);
    try {
      assertCsrf(session, 'nope');
    } catch (error) {
      expect(AccessErrors.csrfInvalid.is(error)).toBe(true);
      expect((error as { status: number }).status).toBe(403);
    }
    const renewed = await renewCsrfToken(env.ctx, session.id);
    const again = await resolveSession(env.ctx, s.sessionToken);
    if (!again || !renewed) throw new Error('no session');
    expect(verifyCsrf(again, renewed)).toBe(true);
    expect(verifyCsrf(again, s.csrfToken)).toBe(false);
  });

  it('audits sign-in and sign-out', async () => {
    const s = await signInAlice();
    await signOut(env.ctx, s.sessionToken);
    const audit = await queryAudit(env.ctx, { target: { type: 'session', id: s.sessionId } });
    expect(audit.items.map((e) => e.action)).toEqual(['auth.signOut', 'auth.signIn']);
    expect(audit.items.every((e) => e.actor.id === org.members.alice.id)).toBe(true);
    expect(audit.items[1]?.ip).toBe('198.51.100.1');
  });

  it('purges sessions that ended long ago', async () => {
    env.clock.advance(40 * 24 * HOUR);
    expect(await purgeSessions(env.ctx)).toBeGreaterThan(0);
    const left = await env.database.db.selectFrom('baton_access_session').select('id').execute();
    expect(left).toHaveLength(0);
  });
});
