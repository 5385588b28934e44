import {
  ACCESS_POLICY_SETTING,
  AccessErrors,
  getAccessSettings,
  resolveSession,
  setPassword,
  signIn,
  updateAccessSettings,
} from '@baton/access';
import { writeSetting } from '@baton/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asMember, buildOrg, type Env, type Org, openEnv } from './access-fixture.ts';

// 系统设置 of kernel/access: the administrator's session lengths and lockout, stored in kernel/db settings and read
// by every sign-in (a session keeps the limits it was opened with).

const PASSWORD = 'Lantern-Harbor-42';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('access settings', () => {
  let env: Env;
  let org: Org;

  beforeAll(async () => {
    env = await openEnv();
    org = await buildOrg(env.ctx);
    await setPassword(env.ctx, { memberId: org.members.alice.id, password: PASSWORD, mustChange: false });
  });
  afterAll(() => env.database.cleanup());

  it('starts at the built-in defaults', async () => {
    expect(await getAccessSettings(env.ctx)).toEqual({
      values: {
        sessionIdleMs: 2 * HOUR,
        sessionAbsoluteMs: 12 * HOUR,
        loginMaxFailures: 5,
        lockMs: 15 * MINUTE,
        ipMaxFailures: 20,
      },
      defaults: {
        sessionIdleMs: 2 * HOUR,
        sessionAbsoluteMs: 12 * HOUR,
        loginMaxFailures: 5,
        lockMs: 15 * MINUTE,
        ipMaxFailures: 20,
      },
      updatedAt: null,
      updatedBy: null,
    });
  });

  it('opens sessions with the stored lengths; sessions opened before keep theirs', async () => {
    const before = await signIn(env.ctx, { login: 'alice', password: PASSWORD, ip: '198.51.100.7' });
    const admin = asMember(env.ctx, org.members.erin.id);
    const change = await updateAccessSettings(admin, { sessionIdleMs: 30 * MINUTE, sessionAbsoluteMs: 8 * HOUR });
    expect(change.before.sessionIdleMs).toBe(2 * HOUR);
    expect(change.after).toMatchObject({
      sessionIdleMs: 30 * MINUTE,
      sessionAbsoluteMs: 8 * HOUR,
      loginMaxFailures: 5,
    });
    expect(await getAccessSettings(env.ctx)).toMatchObject({ updatedBy: org.members.erin.id });

    const after = await signIn(env.ctx, { login: 'alice', password: PASSWORD, ip: '198.51.100.7' });
    expect(after.expiresAt).toBe(new Date(env.clock.now().getTime() + 8 * HOUR).toISOString());
    env.clock.advance(31 * MINUTE);
    expect(await resolveSession(env.ctx, after.sessionToken)).toBeNull();
    expect(await resolveSession(env.ctx, before.sessionToken)).not.toBeNull();
  });

  it('locks a login after the stored number of failures', async () => {
    await updateAccessSettings(env.ctx, { loginMaxFailures: 3, lockMs: 5 * MINUTE });
    const attempt = () => signIn(env.ctx, { login: 'alice', password: 'wrong-Password-1', ip: '198.51.100.8' });
    await expect(attempt()).rejects.toMatchObject({ code: 'ACCESS_BAD_CREDENTIALS' });
    await expect(attempt()).rejects.toMatchObject({ code: 'ACCESS_BAD_CREDENTIALS' });
    const third = await attempt().catch((error: unknown) => error);
    expect(AccessErrors.accountLocked.is(third)).toBe(true);
    env.clock.advance(5 * MINUTE + 1);
    await expect(signIn(env.ctx, { login: 'alice', password: PASSWORD, ip: '198.51.100.8' })).resolves.toBeTruthy();
  });

  it('refuses values out of bounds and an idle time longer than the session, changing nothing', async () => {
    const current = await getAccessSettings(env.ctx);
    await expect(
      updateAccessSettings(env.ctx, { loginMaxFailures: 0, lockMs: 1, sessionIdleMs: 1.5 as never }),
    ).rejects.toMatchObject({
      code: 'CORE_VALIDATION_FAILED',
      fields: expect.arrayContaining([
        expect.objectContaining({ path: ['loginMaxFailures'] }),
        expect.objectContaining({ path: ['lockMs'] }),
        expect.objectContaining({ path: ['sessionIdleMs'] }),
      ]),
    });
    await expect(updateAccessSettings(env.ctx, { sessionIdleMs: 20 * HOUR })).rejects.toMatchObject({
      code: 'CORE_VALIDATION_FAILED',
      fields: [expect.objectContaining({ path: ['sessionIdleMs'], code: 'idle_longer_than_session' })],
    });
    await expect(updateAccessSettings(env.ctx, { nonsense: 1 } as never)).rejects.toMatchObject({
      code: 'CORE_VALIDATION_FAILED',
    });
    expect(await getAccessSettings(env.ctx)).toEqual(current);
  });

  it('ignores a stored value today’s bounds refuse (written by another build), keeping the rest', async () => {
    await writeSetting(env.ctx, {
      key: ACCESS_POLICY_SETTING,
      value: { sessionIdleMs: 1, sessionAbsoluteMs: 6 * HOUR, loginMaxFailures: 'many' },
    });
    expect((await getAccessSettings(env.ctx)).values).toMatchObject({
      sessionIdleMs: 2 * HOUR,
      sessionAbsoluteMs: 6 * HOUR,
      loginMaxFailures: 5,
    });
  });
});
