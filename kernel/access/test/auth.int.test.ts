import {
  AccessErrors,
  assertPasswordPolicy,
  changePassword,
  checkPasswordPolicy,
  clientAddressKey,
  generatePassword,
  passwordHashParams,
  purgeThrottle,
  queryAudit,
  resolveSession,
  setPassword,
  signIn,
  verifyPassword,
} from '@baton/access';
import { CoreErrors } from '@baton/core';
import { withTx } from '@baton/db';
import { memberLeaves } from '@baton/org';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, type Env, type Org, openEnv } from './access-fixture.ts';

const PASSWORD = 'Lantern-Harbor-42';
const MINUTE = 60_000;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'no error';
}

describe('password policy', () => {
  it('lists every failed rule', () => {
    expect(checkPasswordPolicy('short', { login: 'alice' })).toEqual(['tooShort', 'tooFewClasses']);
    expect(checkPasswordPolicy('Alice.Admin1', { login: 'alice.admin1' })).toEqual(['sameAsLogin']);
    expect(checkPasswordPolicy('abcdefghijk')).toEqual(['tooFewClasses']);
    expect(checkPasswordPolicy('P@ssw0rd123')).toEqual(['common']);
    expect(checkPasswordPolicy('1qaz@WSX3edc')).toEqual(['common']);
    expect(checkPasswordPolicy('x'.repeat(300))).toEqual(['tooLong', 'tooFewClasses']);
    expect(checkPasswordPolicy(PASSWORD, { login: 'alice' })).toEqual([]);
    // Code points, not UTF-16 units: ten characters of which some CJK satisfy the length rule.
    expect(checkPasswordPolicy('接力平台Ab12cd')).toEqual([]);
  });

  it('throws ACCESS_WEAK_PASSWORD with one field issue per rule', () => {
    let caught: unknown;
    try {
      assertPasswordPolicy('alice', { login: 'alice' });
    } catch (error) {
      caught = error;
    }
    expect(AccessErrors.weakPassword.is(caught)).toBe(true);
    const error = caught as { fields: Array<{ path: string[]; code: string }>; localized(l: string): string };
    expect(error.fields.map((f) => f.code)).toEqual(['tooShort', 'sameAsLogin', 'tooFewClasses']);
    expect(error.fields.every((f) => f.path.join('.') === 'password')).toBe(true);
    expect(error.localized('zh-CN')).toContain('密码不符合要求');
  });

  it('generates strong, different passwords', () => {
    const passwords = Array.from({ length: 20 }, () => generatePassword());
    expect(new Set(passwords).size).toBe(20);
    for (const password of passwords) {
      expect(password).toHaveLength(20);
      expect(checkPasswordPolicy(password, { login: 'admin' })).toEqual([]);
    }
  });

  it('normalises client addresses for the per-address counter', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('not an address')).toBeNull();
    expect(clientAddressKey(undefined)).toBeNull();
  });
});

describe('passwords and sign-in', () => {
  let env: Env;
  let org: Org;

  beforeAll(async () => {
    env = await openEnv();
    org = await buildOrg(env.ctx);
    for (const member of Object.values(org.members)) {
      await setPassword(env.ctx, { memberId: member.id, password: PASSWORD, mustChange: false });
    }
  });
  afterAll(() => env.database.cleanup());

  it('stores argon2id with the documented parameters, never the password', async () => {
    expect(passwordHashParams).toEqual({
      algorithm: 'argon2id',
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
      outputLen: 32,
    });
    const rows = await env.database.db.selectFrom('baton_access_credential').selectAll().execute();
    expect(rows).toHaveLength(7);
    for (const row of rows) {
      expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
      expect(JSON.stringify(row)).not.toContain(PASSWORD);
    }
    // Same password, different salts.
    expect(new Set(rows.map((row) => row.passwordHash)).size).toBe(7);
  });

  it('signs in with the right password', async () => {
    const result = await signIn(env.ctx, { login: 'Alice', password: PASSWORD, ip: '198.51.100.1' });
    expect(result.memberId).toBe(org.members.alice.id);
    expect(result.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.mustChangePassword).toBe(false);
  });

  it('gives the same error for an unknown login and a wrong password, after the same work', async () => {
    const time = async (login: string) => {
      const started = performance.now();
      let caught: unknown;
      try {
        await signIn(env.ctx, { login, password: 'Wrong-Password-1', ip: '198.51.100.2' });
      } catch (error) {
        caught = error;
      }
      return { error: caught as { code: string; status: number; message: string }, ms: performance.now() - started };
    };
    const unknown: Array<Awaited<ReturnType<typeof time>>> = [];
    const wrong: Array<Awaited<ReturnType<typeof time>>> = [];
    // Interleaved, so that load from other test files slows both series alike.
    for (let i = 0; i < 5; i++) {
      unknown.push(await time(`nobody${i}`));
      wrong.push(await time(i % 2 === 0 ? 'bob' : 'alice'));
    }
    for (const attempt of [...unknown, ...wrong]) {
      expect(attempt.error.code).toBe('ACCESS_BAD_CREDENTIALS');
      expect(attempt.error.status).toBe(401);
      expect(attempt.error.message).toBe(wrong[0]?.error.message);
    }
    // Both paths run one argon2 verification; without the dummy hash an unknown login answers ~20× faster.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2] as number;
    expect(median(unknown.map((a) => a.ms))).toBeGreaterThan(median(wrong.map((a) => a.ms)) * 0.3);
    const audit = await queryAudit(env.ctx, { action: 'auth.signInFailed', limit: 10 });
    expect(audit.items.map((e) => (e.detail as { reason: string }).reason)).toContain('unknownLogin');
    expect(audit.items.map((e) => (e.detail as { reason: string }).reason)).toContain('wrongPassword');
  });

  it('locks a login after 5 failures for 15 minutes, then lets the right password in', async () => {
    const login = 'carol';
    const ip = '198.51.100.3';
    for (let i = 1; i <= 4; i++) {
      expect(await codeOf(signIn(env.ctx, { login, password: `Wrong-Password-${i}`, ip }))).toBe(
        'ACCESS_BAD_CREDENTIALS',
      );
    }
    const lockedAt = env.clock.now().getTime();
    let fifth: unknown;
    try {
      await signIn(env.ctx, { login, password: 'Wrong-Password-5', ip });
    } catch (error) {
      fifth = error;
    }
    expect(AccessErrors.accountLocked.is(fifth)).toBe(true);
    const unlockAt = new Date(lockedAt + 15 * MINUTE).toISOString();
    expect((fifth as { params: { unlockAt: string } }).params.unlockAt).toBe(unlockAt);
    expect((fifth as { status: number }).status).toBe(423);

    // Locked: even the right password is refused, with the unlock time.
    let refused: unknown;
    try {
      await signIn(env.ctx, { login, password: PASSWORD, ip });
    } catch (error) {
      refused = error;
    }
    expect(AccessErrors.accountLocked.is(refused)).toBe(true);
    expect((refused as { params: { unlockAt: string } }).params.unlockAt).toBe(unlockAt);

    env.clock.advance(15 * MINUTE - 1);
    expect(await codeOf(signIn(env.ctx, { login, password: PASSWORD, ip }))).toBe('ACCESS_ACCOUNT_LOCKED');
    env.clock.advance(1);
    const ok = await signIn(env.ctx, { login, password: PASSWORD, ip });
    expect(ok.memberId).toBe(org.members.carol.id);
    const refusals = await queryAudit(env.ctx, { action: 'auth.signInRefused', target: { type: 'login', id: login } });
    expect(refusals.items).toHaveLength(2);
  });

  it('lets no more than 5 guesses through when they arrive all at once', async () => {
    const codes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        codeOf(signIn(env.ctx, { login: 'racer', password: `Wrong-Password-${i}`, ip: `198.51.100.${100 + i}` })),
      ),
    );
    // Four plain failures, the fifth locks, the other seven are refused without checking a password.
    expect(codes.filter((c) => c === 'ACCESS_BAD_CREDENTIALS')).toHaveLength(4);
    expect(codes.filter((c) => c === 'ACCESS_ACCOUNT_LOCKED')).toHaveLength(8);
    const failed = await queryAudit(env.ctx, { action: 'auth.signInFailed', target: { type: 'login', id: 'racer' } });
    expect(failed.items).toHaveLength(5);
  });

  it('locks unknown logins the same way (the lock does not reveal which logins exist)', async () => {
    for (let i = 1; i <= 4; i++) {
      expect(await codeOf(signIn(env.ctx, { login: 'ghost', password: 'Wrong-Password-1', ip: '198.51.100.4' }))).toBe(
        'ACCESS_BAD_CREDENTIALS',
      );
    }
    expect(await codeOf(signIn(env.ctx, { login: 'ghost', password: 'Wrong-Password-1', ip: '198.51.100.4' }))).toBe(
      'ACCESS_ACCOUNT_LOCKED',
    );
  });

  it('resets the login counter on success', async () => {
    const ip = '198.51.100.5';
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) {
        expect(await codeOf(signIn(env.ctx, { login: 'dave', password: 'Wrong-Password-1', ip }))).toBe(
          'ACCESS_BAD_CREDENTIALS',
        );
      }
      expect((await signIn(env.ctx, { login: 'dave', password: PASSWORD, ip })).memberId).toBe(org.members.dave.id);
    }
  });

  it('refuses an address after 20 failures in 15 minutes, whatever the login', async () => {
    env.clock.advance(20 * MINUTE);
    const ip = '203.0.113.9';
    for (let i = 0; i < 20; i++) {
      expect(await codeOf(signIn(env.ctx, { login: `stranger${i}`, password: 'Wrong-Password-1', ip }))).toBe(
        'ACCESS_BAD_CREDENTIALS',
      );
    }
    let refused: unknown;
    try {
      await signIn(env.ctx, { login: 'erin', password: PASSWORD, ip });
    } catch (error) {
      refused = error;
    }
    expect(AccessErrors.tooManyAttempts.is(refused)).toBe(true);
    expect((refused as { status: number }).status).toBe(429);
    // The same login from another address is fine; the address's /64 (IPv6) or IPv4 is what counts.
    expect((await signIn(env.ctx, { login: 'erin', password: PASSWORD, ip: '203.0.113.10' })).memberId).toBe(
      org.members.erin.id,
    );
    env.clock.advance(15 * MINUTE);
    expect((await signIn(env.ctx, { login: 'erin', password: PASSWORD, ip })).memberId).toBe(org.members.erin.id);
  });

  it('counts successes against the address only provisionally', async () => {
    const ip = '203.0.113.20';
    for (let i = 0; i < 30; i++) await signIn(env.ctx, { login: 'frank', password: PASSWORD, ip });
    const row = await env.database.db
      .selectFrom('baton_access_throttle')
      .select('failures')
      .where('key', '=', `ip:${ip}`)
      .executeTakeFirstOrThrow();
    expect(Number(row.failures)).toBe(0);
  });

  it('refuses a member who left with the generic error, and ends their sessions', async () => {
    const session = await signIn(env.ctx, { login: 'gina', password: PASSWORD, ip: '198.51.100.6' });
    expect(await resolveSession(env.ctx, session.sessionToken)).not.toBeNull();
    await memberLeaves(env.ctx, { memberId: org.members.gina.id });
    expect(await codeOf(signIn(env.ctx, { login: 'gina', password: PASSWORD, ip: '198.51.100.6' }))).toBe(
      'ACCESS_BAD_CREDENTIALS',
    );
    expect(await resolveSession(env.ctx, session.sessionToken)).toBeNull();
    expect(await verifyPassword(env.ctx, { login: 'gina', password: PASSWORD })).toBeNull();
    const audit = await queryAudit(env.ctx, { action: 'auth.signInFailed', limit: 1 });
    expect(audit.items[0]?.detail).toEqual({ login: 'gina', reason: 'memberLeft' });
  });

  it('refuses to run inside a caller transaction (a failure must be recorded)', async () => {
    await expect(
      withTx(env.ctx, (tx) => signIn(tx, { login: 'alice', password: PASSWORD, ip: '198.51.100.7' })),
    ).rejects.toThrow(TypeError);
  });

  it('validates input with paths', async () => {
    let caught: unknown;
    try {
      await signIn(env.ctx, { login: '', password: '' } as never);
    } catch (error) {
      caught = error;
    }
    expect(CoreErrors.validation.is(caught)).toBe(true);
    expect((caught as { fields: Array<{ path: string[] }> }).fields.map((f) => f.path.join('.'))).toEqual([
      'login',
      'password',
    ]);
  });

  it('verifies a password without signing in', async () => {
    expect(await verifyPassword(env.ctx, { login: 'alice', password: PASSWORD })).toEqual({
      memberId: org.members.alice.id,
      mustChangePassword: false,
    });
    expect(await verifyPassword(env.ctx, { login: 'alice', password: 'Wrong-Password-1' })).toBeNull();
    expect(await verifyPassword(env.ctx, { login: 'nobody', password: PASSWORD })).toBeNull();
  });

  it('admin reset forces a change at next sign-in and ends sessions; self-change needs the old password', async () => {
    const bob = org.members.bob.id;
    const before = await signIn(env.ctx, { login: 'bob', password: PASSWORD, ip: '198.51.100.8' });
    const { generatedPassword } = await setPassword(env.ctx, { memberId: bob });
    expect(generatedPassword).toBeDefined();
    expect(await resolveSession(env.ctx, before.sessionToken)).toBeNull();
    expect(await codeOf(signIn(env.ctx, { login: 'bob', password: PASSWORD, ip: '198.51.100.8' }))).toBe(
      'ACCESS_BAD_CREDENTIALS',
    );
    const first = await signIn(env.ctx, { login: 'bob', password: generatedPassword as string, ip: '198.51.100.8' });
    expect(first.mustChangePassword).toBe(true);
    expect((await resolveSession(env.ctx, first.sessionToken))?.mustChangePassword).toBe(true);
    const other = await signIn(env.ctx, { login: 'bob', password: generatedPassword as string, ip: '198.51.100.8' });

    expect(
      await codeOf(
        changePassword(env.ctx, { memberId: bob, oldPassword: 'Wrong-Password-1', newPassword: 'New-Lantern-77' }),
      ),
    ).toBe('ACCESS_WRONG_OLD_PASSWORD');
    expect(
      await codeOf(
        changePassword(env.ctx, { memberId: bob, oldPassword: generatedPassword as string, newPassword: 'bob' }),
      ),
    ).toBe('ACCESS_WEAK_PASSWORD');
    expect(
      await codeOf(
        changePassword(env.ctx, {
          memberId: bob,
          oldPassword: generatedPassword as string,
          newPassword: generatedPassword as string,
        }),
      ),
    ).toBe('ACCESS_PASSWORD_REUSED');
    await changePassword(env.ctx, {
      memberId: bob,
      oldPassword: generatedPassword as string,
      newPassword: 'New-Lantern-77',
      keepSessionId: first.sessionId,
    });
    const kept = await resolveSession(env.ctx, first.sessionToken);
    expect(kept?.mustChangePassword).toBe(false);
    expect(await resolveSession(env.ctx, other.sessionToken)).toBeNull();
    const after = await signIn(env.ctx, { login: 'bob', password: 'New-Lantern-77', ip: '198.51.100.8' });
    expect(after.mustChangePassword).toBe(false);
    expect(await codeOf(setPassword(env.ctx, { memberId: bob, password: 'weak' }))).toBe('ACCESS_WEAK_PASSWORD');
    expect(await codeOf(setPassword(env.ctx, { memberId: org.members.gina.id, password: PASSWORD }))).toBe(
      'ACCESS_MEMBER_LEFT',
    );
  });

  it('purges counters whose window and lock are long over', async () => {
    const count = async () =>
      (await env.database.db.selectFrom('baton_access_throttle').select('key').execute()).length;
    expect(await count()).toBeGreaterThan(0);
    env.clock.advance(2 * 24 * 60 * MINUTE);
    expect(await purgeThrottle(env.ctx, 24 * 60 * MINUTE)).toBeGreaterThan(0);
    expect(await count()).toBe(0);
  });
});
