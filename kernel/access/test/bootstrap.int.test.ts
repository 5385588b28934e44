import {
  can,
  checkPasswordPolicy,
  definePermission,
  ensureAdministrator,
  queryAudit,
  seedPasswords,
  signIn,
  verifyPassword,
} from '@baton/access';
import { silentLogger, systemActor } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { getRole, listMembers, listRoleAssignments, memberLeaves } from '@baton/org';
import { testDialect } from '@baton/testkit';
import { describe, expect, it } from 'vitest';
import { buildOrg, openEnv } from './access-fixture.ts';

const anything = definePermission('test.bootstrap.anything', { zh: '任意', en: 'Anything' });

describe('first start', () => {
  it('creates one administrator with a generated password, once', async () => {
    const env = await openEnv();
    try {
      const first = await ensureAdministrator(env.ctx);
      if (!first.created) throw new Error('expected an administrator to be created');
      expect(first.login).toBe('admin');
      expect(checkPasswordPolicy(first.password, { login: 'admin' })).toEqual([]);
      const role = await getRole(env.ctx, { role: 'admin' });
      expect(role.kind).toBe('system');
      expect((await listRoleAssignments(env.ctx, { role: 'admin' })).map((a) => a.memberId)).toEqual([first.memberId]);
      expect(await can(env.ctx, first.memberId, anything)).toBe(true);

      // The printed password works, and must be changed first.
      const session = await signIn(env.ctx, { login: 'admin', password: first.password, ip: '127.0.0.1' });
      expect(session.memberId).toBe(first.memberId);
      expect(session.mustChangePassword).toBe(true);

      // Idempotent: nothing new, nothing printed.
      expect(await ensureAdministrator(env.ctx)).toEqual({ created: false, memberId: first.memberId });
      expect(await listMembers(env.ctx, { status: 'all' })).toHaveLength(1);
      const audit = await queryAudit(env.ctx, { action: 'access.bootstrap.*' });
      expect(audit.items.map((e) => e.action).sort()).toEqual([
        'access.bootstrap.adminRole',
        'access.bootstrap.administrator',
        'access.bootstrap.everyoneRole',
      ]);
      expect(JSON.stringify(audit.items)).not.toContain(first.password);
    } finally {
      await env.database.cleanup();
    }
  });

  it('never uses a fixed default password', async () => {
    const passwords: string[] = [];
    for (let i = 0; i < 2; i++) {
      const env = await openEnv();
      try {
        const result = await ensureAdministrator(env.ctx);
        if (!result.created) throw new Error('expected an administrator to be created');
        passwords.push(result.password);
        for (const guess of ['admin', 'admin123', 'Admin@123', 'password', '123456', 'baton', 'Baton@123']) {
          // verifyPassword is not throttled: seven guesses in a row would lock the login through signIn.
          expect(await verifyPassword(env.ctx, { login: 'admin', password: guess })).toBeNull();
        }
      } finally {
        await env.database.cleanup();
      }
    }
    expect(passwords[0]).not.toBe(passwords[1]);
  });

  it('places the administrator in an existing org and respects an existing admin', async () => {
    const env = await openEnv();
    try {
      const org = await buildOrg(env.ctx);
      const result = await ensureAdministrator(env.ctx);
      if (!result.created) throw new Error('expected an administrator to be created');
      const [admin] = await listMembers(env.ctx, { search: 'admin' });
      expect(admin?.mainDepartmentId).toBe(org.departments.D1.id);
      expect(await ensureAdministrator(env.ctx)).toMatchObject({ created: false });

      // The only administrator leaves (handing the role to alice): alice is now the administrator.
      await memberLeaves(env.ctx, { memberId: result.memberId, successorId: org.members.alice.id });
      expect(await ensureAdministrator(env.ctx)).toEqual({ created: false, memberId: org.members.alice.id });
    } finally {
      await env.database.cleanup();
    }
  });

  it.runIf(testDialect === 'postgres')(
    'creates exactly one administrator when two processes start at once',
    async () => {
      const env = await openEnv();
      try {
        const second = env.database.openSecond();
        const other: DbCtx = { db: second.db, actor: systemActor('second'), clock: env.clock, log: silentLogger() };
        const results = await Promise.all([ensureAdministrator(env.ctx), ensureAdministrator(other)]);
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(await listRoleAssignments(env.ctx, { role: 'admin' })).toHaveLength(1);
      } finally {
        await env.database.cleanup();
      }
    },
  );

  it('seeds generated passwords for demo members, returned once', async () => {
    const env = await openEnv();
    try {
      const org = await buildOrg(env.ctx);
      await memberLeaves(env.ctx, { memberId: org.members.gina.id });
      const ids = [org.members.alice.id, org.members.bob.id, org.members.gina.id];
      const seeded = await seedPasswords(env.ctx, ids);
      expect(seeded.map((s) => s.login)).toEqual(['alice', 'bob']);
      expect(new Set(seeded.map((s) => s.password)).size).toBe(2);
      for (const entry of seeded) {
        const session = await signIn(env.ctx, { login: entry.login, password: entry.password, ip: '127.0.0.1' });
        expect(session.memberId).toBe(entry.memberId);
        expect(session.mustChangePassword).toBe(false);
      }
      const rows = JSON.stringify(await env.database.db.selectFrom('baton_access_credential').selectAll().execute());
      for (const entry of seeded) expect(rows).not.toContain(entry.password);
    } finally {
      await env.database.cleanup();
    }
  });
});
