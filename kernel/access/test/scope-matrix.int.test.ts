import {
  createGrant,
  listGrants,
  queryAudit,
  type RecordScope,
  recordScopes,
  revokeGrant,
  type ScopeGrants,
  scopesWhere,
  scopeWhere,
} from '@baton/access';
import type { DbCtx } from '@baton/db';
import { withTx } from '@baton/db';
import { createDepartment, createMembers, memberLeaves, moveDepartment, setHead } from '@baton/org';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asMember, buildOrg, type Env, type Org, openEnv } from './access-fixture.ts';

const HOUR = 3_600_000;
const RESOURCE = 'test.record';

// biome-ignore lint/suspicious/noExplicitAny: a throwaway table outside BatonDatabase
type AnyDb = Kysely<any>;

describe('record scopes as SQL', () => {
  let env: Env;
  let org: Org;
  let db: AnyDb;

  const viewers = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'] as const;
  type Viewer = (typeof viewers)[number];

  beforeAll(async () => {
    env = await openEnv();
    org = await buildOrg(env.ctx);
    await memberLeaves(env.ctx, { memberId: org.members.gina.id });
    db = env.database.db as unknown as AnyDb;
    await db.schema
      .createTable('test_record')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text')
      .addColumn('department_id', 'text')
      .addColumn('unit_id', 'text')
      .addColumn('assignee_id', 'text')
      .execute();
    const { members: m, departments: d, units: u } = org;
    const row = (
      id: string,
      owner: string | null,
      department: string | null,
      unit: string | null,
      assignee: string | null = null,
    ) => ({ id, ownerId: owner, departmentId: department, unitId: unit, assigneeId: assignee });
    await db
      .insertInto('test_record')
      .values([
        row('r1', m.alice.id, d.D1.id, u.u1.id),
        row('r2', m.bob.id, d.D11.id, u.u1.id),
        row('r3', m.carol.id, d.D111.id, u.u1.id),
        row('r4', m.dave.id, d.D12.id, u.u1.id, m.carol.id),
        row('r5', m.erin.id, d.D2.id, u.u1.id),
        row('r6', m.frank.id, d.E11.id, u.u2.id, m.bob.id),
        row('r7', m.frank.id, d.E1.id, u.u2.id),
        row('r8', m.carol.id, d.D111.id, u.u1.id),
        row('r9', null, null, null),
        row('r10', m.gina.id, d.D2.id, u.u1.id),
      ])
      .execute();
  });
  afterAll(() => env.database.cleanup());

  const columns = { owner: 'r.ownerId', department: 'r.departmentId', unit: 'r.unitId', members: ['r.assigneeId'] };

  async function visible(
    ctx: DbCtx,
    viewer: string,
    scopes: RecordScope[],
    grants?: Omit<ScopeGrants, 'recordId' | 'resource'> & { resource?: string },
  ): Promise<string[]> {
    const where = await scopesWhere(ctx, {
      viewer,
      scopes,
      columns,
      grants: grants ? { resource: grants.resource ?? RESOURCE, recordId: 'r.id', access: grants.access } : undefined,
    });
    const rows = await (ctx.db as unknown as AnyDb)
      .selectFrom('test_record as r')
      .select('r.id')
      .where(where)
      .execute();
    return rows.map((r) => r.id as string).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  }

  const U1 = ['r1', 'r2', 'r3', 'r4', 'r5', 'r8', 'r10'];
  const U2 = ['r6', 'r7'];
  const ALL = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10'];
  const sort = (ids: string[]) => [...ids].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));

  const expected: Record<Viewer, Record<RecordScope, string[]>> = {
    // Head of D1 (D1, D11, D111, D12 below it).
    alice: {
      own: ['r1'],
      assigned: [],
      department: ['r1'],
      departmentAndBelow: ['r1', 'r2', 'r3', 'r4', 'r8'],
      managedDepartments: ['r1', 'r2', 'r3', 'r4', 'r8'],
      unit: U1,
      all: ALL,
    },
    // Head of D11 (D111 below it).
    bob: {
      own: ['r2'],
      assigned: ['r6'],
      department: ['r2'],
      departmentAndBelow: ['r2', 'r3', 'r8'],
      managedDepartments: ['r2', 'r3', 'r8'],
      unit: U1,
      all: ALL,
    },
    // Plain member of D111, owns two records.
    carol: {
      own: ['r3', 'r8'],
      assigned: ['r4'],
      department: ['r3', 'r8'],
      departmentAndBelow: ['r3', 'r8'],
      managedDepartments: [],
      unit: U1,
      all: ALL,
    },
    // Plain member of D12 with a concurrent post in E11 (the other unit).
    dave: {
      own: ['r4'],
      assigned: [],
      department: ['r4', 'r6'],
      departmentAndBelow: ['r4', 'r6'],
      managedDepartments: [],
      unit: sort([...U1, ...U2]),
      all: ALL,
    },
    // Head of D2, division leader of E1 (E11 below it) in the other unit; her own unit is U1 only.
    erin: {
      own: ['r5'],
      assigned: [],
      department: ['r5', 'r10'],
      departmentAndBelow: ['r5', 'r10'],
      managedDepartments: ['r5', 'r6', 'r7', 'r10'],
      unit: U1,
      all: ALL,
    },
    // Plain member of E11, owns two records (one filed in the parent E1).
    frank: {
      own: ['r6', 'r7'],
      assigned: [],
      department: ['r6'],
      departmentAndBelow: ['r6'],
      managedDepartments: [],
      unit: U2,
      all: ALL,
    },
  };

  for (const viewer of viewers) {
    for (const scope of recordScopes) {
      it(`${viewer} × ${scope}`, async () => {
        const where = await scopeWhere(env.ctx, { viewer: org.members[viewer].id, scope, columns });
        const rows = await db.selectFrom('test_record as r').select('r.id').where(where).execute();
        expect(sort(rows.map((r) => r.id as string))).toEqual(expected[viewer][scope]);
      });
    }
  }

  it('a member who left sees nothing through any scope or grant', async () => {
    for (const scope of recordScopes) {
      expect(await visible(env.ctx, org.members.gina.id, [scope], { access: 'read' })).toEqual([]);
    }
    expect(await visible(env.ctx, 'no-such-member', ['all'])).toEqual([]);
  });

  it('several scopes combine with OR', async () => {
    const { carol, dave, erin } = org.members;
    expect(await visible(env.ctx, carol.id, ['own', 'managedDepartments'])).toEqual(['r3', 'r8']);
    expect(await visible(env.ctx, dave.id, ['own', 'department'])).toEqual(['r4', 'r6']);
    expect(await visible(env.ctx, erin.id, ['own', 'department', 'managedDepartments'])).toEqual([
      'r5',
      'r6',
      'r7',
      'r10',
    ]);
    expect(await visible(env.ctx, erin.id, [])).toEqual([]);
    // It is an expression like any other: it composes with the caller's own conditions.
    const where = await scopesWhere(env.ctx, { viewer: erin.id, scopes: ['managedDepartments'], columns });
    const rows = await db
      .selectFrom('test_record as r')
      .select('r.id')
      .where(where)
      .where('r.unitId', '=', org.units.u2.id)
      .orderBy('r.id')
      .execute();
    expect(rows.map((r) => r.id)).toEqual(['r6', 'r7']);
  });

  it('refuses a scope whose column is missing (fail loudly, never widen)', async () => {
    await expect(
      scopeWhere(env.ctx, { viewer: org.members.alice.id, scope: 'unit', columns: { owner: 'r.ownerId' } }),
    ).rejects.toThrow(/columns\.unit/);
  });

  it('follows the org as it changes, inside the transaction that changes it', async () => {
    const { bob } = org.members;
    const { D11, D12 } = org.departments;
    await expect(
      withTx(env.ctx, async (tx) => {
        // Move D12 under D11: bob now manages it, in this transaction only.
        await moveDepartment(tx, { departmentId: D12.id, parentId: D11.id });
        expect(await visible(tx, bob.id, ['managedDepartments'])).toEqual(['r2', 'r3', 'r4', 'r8']);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await visible(env.ctx, bob.id, ['managedDepartments'])).toEqual(['r2', 'r3', 'r8']);
    // A new sub-department appears at once.
    const sub = await createDepartment(env.ctx, {
      unitId: org.units.u1.id,
      parentId: org.departments.D111.id,
      code: 'D1111',
      name: '新组',
    });
    await db
      .insertInto('test_record')
      .values({ id: 'r11', ownerId: null, departmentId: sub.id, unitId: null })
      .execute();
    expect(await visible(env.ctx, bob.id, ['departmentAndBelow'])).toEqual(['r2', 'r3', 'r8', 'r11']);
    await db.deleteFrom('test_record').where('id', '=', 'r11').execute();
  });

  describe('assigned: named members and their supervisors', () => {
    async function reached(ctx: DbCtx, viewer: string, supervisors: number): Promise<string[]> {
      const where = await scopesWhere(ctx, { viewer, scopes: ['assigned'], columns, supervisors });
      const rows = await (ctx.db as unknown as AnyDb)
        .selectFrom('test_record as r')
        .select('r.id')
        .where(where)
        .execute();
      return sort(rows.map((r) => r.id as string));
    }

    it('reach the supervisors of the owner and of the named members, up to the level given', async () => {
      const { alice, bob, carol, frank } = org.members;
      // alice heads D1: bob (D11) and dave (D12, no head) report to her; carol reports to bob.
      expect(await reached(env.ctx, alice.id, 0)).toEqual([]);
      expect(await reached(env.ctx, alice.id, 1)).toEqual(['r2', 'r4', 'r6']);
      expect(await reached(env.ctx, alice.id, 2)).toEqual(['r2', 'r3', 'r4', 'r6', 'r8']);
      // bob is named on r6 and is carol's head: her records and the one she is named on.
      expect(await reached(env.ctx, bob.id, 1)).toEqual(['r3', 'r4', 'r6', 'r8']);
      expect(await reached(env.ctx, carol.id, 3)).toEqual(['r4']);
      // Nobody heads frank's departments: no supervisor reaches r6 or r7 through him.
      expect(await reached(env.ctx, frank.id, 3)).toEqual([]);
    });

    it('follow a reorganisation at once: supervisors are worked out from the org, not stored', async () => {
      const { bob, dave } = org.members;
      await expect(
        withTx(env.ctx, async (tx) => {
          // dave becomes head of D111: carol now reports to dave, and bob loses her records.
          await setHead(tx, { departmentId: org.departments.D111.id, memberId: dave.id });
          expect(await reached(tx, bob.id, 1)).toEqual(['r6']);
          expect(await reached(tx, dave.id, 1)).toEqual(['r3', 'r4', 'r8']);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await reached(env.ctx, bob.id, 1)).toEqual(['r3', 'r4', 'r6', 'r8']);
    });

    it('a long list of subordinates is bound as one array, with the same answer', async () => {
      const { alice } = org.members;
      await expect(
        withTx(env.ctx, async (tx) => {
          const many = await createMembers(tx, {
            members: Array.from({ length: 520 }, (_, i) => ({
              code: `X${i}`,
              name: `x${i}`,
              login: `x${i}`,
              mainDepartmentId: org.departments.D12.id,
            })),
          });
          const last = many[many.length - 1] as { id: string };
          await (tx.db as unknown as AnyDb).insertInto('test_record').values({ id: 'r12', ownerId: last.id }).execute();
          expect(await reached(tx, alice.id, 1)).toEqual(['r2', 'r4', 'r6', 'r12']);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
    });

    it('refuses the scope without member columns', async () => {
      await expect(
        scopeWhere(env.ctx, { viewer: org.members.alice.id, scope: 'assigned', columns: { owner: 'r.ownerId' } }),
      ).rejects.toThrow(/columns\.members/);
    });
  });

  describe('grants', () => {
    it('make a record visible only while in force: expiry to the millisecond, revocation', async () => {
      const { frank, alice } = org.members;
      expect(await visible(env.ctx, frank.id, ['own'], { access: 'read' })).toEqual(['r6', 'r7']);
      const expiresAt = new Date(env.clock.now().getTime() + HOUR);
      const grant = await createGrant(asMember(env.ctx, alice.id), {
        memberId: frank.id,
        resource: RESOURCE,
        recordId: 'r3',
        access: 'read',
        expiresAt,
        reason: '跨区域借阅客户档案',
      });
      expect(grant.grantedBy).toBe(alice.id);
      expect(await visible(env.ctx, frank.id, ['own'], { access: 'read' })).toEqual(['r3', 'r6', 'r7']);
      // Only through the grant: no scope of frank's reaches r3.
      expect(await visible(env.ctx, frank.id, ['own', 'unit', 'managedDepartments'])).toEqual(['r6', 'r7']);
      // A grant for another resource does not apply.
      expect(await visible(env.ctx, frank.id, ['own'], { access: 'read', resource: 'other.thing' })).toEqual([
        'r6',
        'r7',
      ]);
      // Read grants do not allow writing.
      expect(await visible(env.ctx, frank.id, ['own'], { access: 'write' })).toEqual(['r6', 'r7']);

      env.clock.set(new Date(expiresAt.getTime() - 1));
      expect(await visible(env.ctx, frank.id, [], { access: 'read' })).toEqual(['r3']);
      env.clock.set(expiresAt);
      expect(await visible(env.ctx, frank.id, [], { access: 'read' })).toEqual([]);
      env.clock.advance(1);
      expect(await visible(env.ctx, frank.id, [], { access: 'read' })).toEqual([]);
      expect(await listGrants(env.ctx, { memberId: frank.id })).toEqual([]);
      expect(await listGrants(env.ctx, { memberId: frank.id, activeOnly: false })).toHaveLength(1);
    });

    it('write grants allow reading and writing; revocation ends them at once', async () => {
      const { carol } = org.members;
      const grant = await createGrant(env.ctx, {
        memberId: carol.id,
        resource: RESOURCE,
        recordId: 'r5',
        access: 'write',
        expiresAt: new Date(env.clock.now().getTime() + HOUR),
      });
      expect(await visible(env.ctx, carol.id, ['own'], { access: 'read' })).toEqual(['r3', 'r5', 'r8']);
      expect(await visible(env.ctx, carol.id, ['own'], { access: 'write' })).toEqual(['r3', 'r5', 'r8']);
      const revoked = await revokeGrant(env.ctx, { id: grant.id, reason: '归还' });
      expect(revoked.revokedAt).toBe(env.clock.now().toISOString());
      expect(await visible(env.ctx, carol.id, ['own'], { access: 'read' })).toEqual(['r3', 'r8']);
      expect(await visible(env.ctx, carol.id, ['own'], { access: 'write' })).toEqual(['r3', 'r8']);
      const audit = await queryAudit(env.ctx, { target: { type: 'grant', id: grant.id } });
      expect(audit.items.map((e) => e.action)).toEqual(['access.grant.revoke', 'access.grant.create']);
    });

    it('a grant without a record covers the whole resource; without expiry it lasts until revoked', async () => {
      const { frank } = org.members;
      const grant = await createGrant(env.ctx, { memberId: frank.id, resource: RESOURCE, access: 'read' });
      expect(await visible(env.ctx, frank.id, [], { access: 'read' })).toEqual(ALL);
      env.clock.advance(1_000 * 24 * HOUR);
      expect(await visible(env.ctx, frank.id, [], { access: 'read' })).toEqual(ALL);
      expect(await visible(env.ctx, frank.id, [], { access: 'write' })).toEqual([]);
      await revokeGrant(env.ctx, { id: grant.id });
      expect(await visible(env.ctx, frank.id, [], { access: 'read' })).toEqual([]);
    });

    it('refuses grants to members who left, in the past, or to unknown grants', async () => {
      await expect(
        createGrant(env.ctx, { memberId: org.members.gina.id, resource: RESOURCE, recordId: 'r1' }),
      ).rejects.toMatchObject({ code: 'ACCESS_MEMBER_LEFT' });
      await expect(
        createGrant(env.ctx, {
          memberId: org.members.frank.id,
          resource: RESOURCE,
          recordId: 'r1',
          expiresAt: env.clock.now(),
        }),
      ).rejects.toMatchObject({ code: 'CORE_VALIDATION_FAILED' });
      await expect(revokeGrant(env.ctx, { id: 'missing' })).rejects.toMatchObject({ code: 'ACCESS_GRANT_NOT_FOUND' });
      await expect(
        createGrant(env.ctx, { memberId: org.members.frank.id, resource: 'bad resource!' }),
      ).rejects.toMatchObject({ code: 'CORE_VALIDATION_FAILED' });
    });
  });
});
