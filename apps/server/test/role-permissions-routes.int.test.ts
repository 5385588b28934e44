import { accessMigrations, permissionsOf } from '@baton/access';
import { orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase } from '@baton/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BatonServer, rolePermissionsRoutes } from '../src/index.ts';
import { PASSWORD, seedCtx, seedDepartment, seedMembers, seedRoles, serverWith } from './fixtures.ts';
import { requestAs, type Signed, signInAll } from './helpers.ts';

// Granting function permissions to roles over HTTP: only holders of access.rolePermission.write; the full set is
// replaced by granting and revoking the difference, audited; unknown codes change nothing.

let database: TestDatabase;
let app: BatonServer;
let members: Record<string, string> = {};
let signed: Record<string, Signed> = {};
const ctx = () => seedCtx(database.db);

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [orgMigrations, accessMigrations] });
  const office = await seedDepartment(ctx(), { name: '综合部', code: '10-00001' });
  await seedRoles(ctx(), { securityAdmin: ['access.rolePermission.write'], clerk: [] });
  members = await seedMembers(ctx(), [
    ['boss', office.id, 'securityAdmin'],
    ['clara', office.id, 'clerk'],
  ]);
  app = await serverWith(database.db, [rolePermissionsRoutes({ db: database.db })]);
  signed = await signInAll(app, Object.keys(members), PASSWORD);
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

const call = (as: string, method: 'GET' | 'PUT', url: string, payload?: unknown) =>
  requestAs(app, signed[as] as Signed, method, url, payload);

it('lists the catalogue and replaces a role’s permissions, audited; others are refused', async () => {
  const catalogue = await call('boss', 'GET', '/api/access/permissions');
  expect(catalogue.statusCode).toBe(200);
  expect(catalogue.json().items).toContainEqual({ code: 'audit.read', zh: expect.any(String), en: expect.any(String) });
  expect((await call('clara', 'GET', '/api/access/permissions')).statusCode).toBe(403);
  expect(
    (await call('clara', 'PUT', '/api/access/roles/clerk/permissions', { permissions: ['audit.read'] })).statusCode,
  ).toBe(403);

  const set = await call('boss', 'PUT', '/api/access/roles/clerk/permissions', { permissions: ['audit.read'] });
  expect(set.statusCode, set.body).toBe(200);
  expect(set.json()).toEqual({ role: 'clerk', permissions: ['audit.read'] });
  expect([...(await permissionsOf(ctx(), members.clara as string))]).toEqual(['audit.read']);

  // Unknown codes are refused and nothing changes.
  const bad = await call('boss', 'PUT', '/api/access/roles/clerk/permissions', { permissions: ['no.such.thing'] });
  expect(bad.statusCode).toBe(422);
  expect(bad.json().code).toBe('ACCESS_PERMISSION_UNKNOWN');
  expect((await call('boss', 'GET', '/api/access/roles/clerk/permissions')).json().permissions).toEqual(['audit.read']);

  const cleared = await call('boss', 'PUT', '/api/access/roles/clerk/permissions', { permissions: [] });
  expect(cleared.json().permissions).toEqual([]);
  expect([...(await permissionsOf(ctx(), members.clara as string))]).toEqual([]);
  expect((await call('boss', 'GET', '/api/access/roles/nobody/permissions')).statusCode).toBe(404);

  const audit = await database.db
    .selectFrom('baton_access_audit')
    .select('action')
    .where('action', 'like', 'access.permission.%')
    .orderBy('seq')
    .execute();
  expect(audit.map((a) => a.action)).toEqual([
    'access.permission.grant',
    'access.permission.grant',
    'access.permission.revoke',
  ]);
});
