import type { BatonError } from '@baton/core';
import {
  addConcurrentPost,
  assignRole,
  createRole,
  getDepartment,
  getMember,
  listChanges,
  listConcurrentPosts,
  listDivisionLeaders,
  listRoleAssignments,
  memberAsOf,
  memberLeaves,
  registerHandover,
  resolveHeadOf,
  resolveHoldersOfRole,
  setDivisionLeaders,
  updateMember,
} from '@baton/org';
import { testDialect } from '@baton/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFixture, type Fixture, type OrgTest, openOrgDatabase } from './org-fixture.ts';

describe(`member leaves (${testDialect})`, () => {
  let t: OrgTest;
  let f: Fixture;
  const unregister: Array<() => void> = [];
  beforeEach(async () => {
    t = await openOrgDatabase();
    f = await buildFixture(t.ctx);
  });
  afterEach(async () => {
    for (const fn of unregister.splice(0)) fn();
    await t.database.cleanup();
  });

  it('requires a successor for heads, division leaders and role holders, and hands everything over', async () => {
    const { members: m, departments: d } = f;
    await createRole(t.ctx, { code: 'rdLead', name: '研发主管' });
    await assignRole(t.ctx, { role: 'rdLead', memberId: m.devManager.id });
    await setDivisionLeaders(t.ctx, { departmentId: d.E.id, memberIds: [m.devManager.id] });
    await addConcurrentPost(t.ctx, { memberId: m.devManager.id, departmentId: d.D.id });
    await updateMember(t.ctx, { id: m.dev1.id, version: m.dev1.version, supervisorId: m.devManager.id });

    const refused = await memberLeaves(t.ctx, { memberId: m.devManager.id }).catch((e: BatonError) => e);
    expect(refused).toMatchObject({ code: 'ORG_SUCCESSOR_REQUIRED', fields: [{ path: ['successorId'] }] });
    expect((refused as BatonError).localized('zh-CN')).toContain('王研发 离职前需要指定工作交接人');
    expect((await getMember(t.ctx, { id: m.devManager.id })).status).toBe('active');
    expect(
      await memberLeaves(t.ctx, { memberId: m.devManager.id, successorId: m.devManager.id }).catch(
        (e: BatonError) => e.code,
      ),
    ).toBe('ORG_SUCCESSOR_INVALID');

    t.ctx.clock.advance(60_000);
    const result = await memberLeaves(t.ctx, { memberId: m.devManager.id, successorId: m.dev2.id });
    expect(result.member).toMatchObject({ status: 'left', leftAt: '2026-01-05T01:01:00.000Z' });
    expect(result.headships).toEqual([d.C.id]);
    expect((await getDepartment(t.ctx, { id: d.C.id })).headMemberId).toBe(m.dev2.id);
    expect(await listDivisionLeaders(t.ctx, { departmentId: d.E.id })).toMatchObject([{ memberId: m.dev2.id }]);
    expect(await listRoleAssignments(t.ctx, { role: 'rdLead' })).toMatchObject([{ memberId: m.dev2.id }]);
    expect(await resolveHoldersOfRole(t.ctx, { role: 'rdLead' })).toEqual([m.dev2.id]);
    expect(await listConcurrentPosts(t.ctx, { memberId: m.devManager.id })).toEqual([]);
    expect((await getMember(t.ctx, { id: m.dev1.id })).supervisorId).toBe(m.dev2.id);
    expect(await resolveHeadOf(t.ctx, { memberId: m.dev1.id })).toEqual([m.dev2.id]);
    const logged = await listChanges(t.ctx, { batchId: result.batchId });
    expect(logged.find((c) => c.entityId === m.devManager.id)).toMatchObject({
      action: 'leave',
      before: { status: 'active' },
      after: { status: 'left' },
    });
    // History still knows where they were.
    const asOf = await memberAsOf(t.ctx, { memberId: m.devManager.id, at: '2026-01-05T01:00:30.000Z' });
    expect(asOf?.member.status).toBe('active');
    expect(asOf?.concurrentPosts).toHaveLength(1);
    expect(asOf?.roleAssignments).toHaveLength(1);
  });

  it('a member holding nothing can leave without a successor; leaving twice is refused', async () => {
    await memberLeaves(t.ctx, { memberId: f.members.dev1.id });
    expect(await memberLeaves(t.ctx, { memberId: f.members.dev1.id }).catch((e: BatonError) => e.code)).toBe(
      'ORG_MEMBER_LEFT',
    );
  });

  it('runs handover hooks inside the same transaction and requires a successor when they hold items', async () => {
    const { members: m } = f;
    const seen: Array<{ inTransaction: boolean; status: string | undefined; successorId: string | null }> = [];
    unregister.push(
      registerHandover('flow.pendingTasks', async (ctx, { memberId, successorId }) => {
        const row = await ctx.db
          .selectFrom('baton_org_member')
          .select('status')
          .where('id', '=', memberId)
          .executeTakeFirst();
        seen.push({ inTransaction: ctx.db.isTransaction, status: row?.status, successorId });
        return { held: 3, moved: successorId ? 3 : 0 };
      }),
    );
    expect(() => registerHandover('flow.pendingTasks', async () => undefined)).toThrow(/twice/);

    const refused = await memberLeaves(t.ctx, { memberId: m.dev1.id }).catch((e: BatonError) => e);
    expect(refused).toMatchObject({
      code: 'ORG_SUCCESSOR_REQUIRED',
      params: { reasons: 'flow.pendingTasks: 3 item(s)' },
    });
    expect((await getMember(t.ctx, { id: m.dev1.id })).status).toBe('active');

    const result = await memberLeaves(t.ctx, { memberId: m.dev1.id, successorId: m.dev2.id });
    expect(result.handovers).toEqual({ 'flow.pendingTasks': { held: 3, moved: 3 } });
    expect(seen).toEqual([
      { inTransaction: true, status: 'left', successorId: null },
      { inTransaction: true, status: 'left', successorId: m.dev2.id },
    ]);
  });

  it('a hook that throws rolls the whole leave back', async () => {
    const { members: m, departments: d } = f;
    const boom = new Error('asset ledger unavailable');
    unregister.push(
      registerHandover('assets', async () => {
        throw boom;
      }),
    );
    await expect(memberLeaves(t.ctx, { memberId: m.devManager.id, successorId: m.dev2.id })).rejects.toBe(boom);
    expect((await getMember(t.ctx, { id: m.devManager.id })).status).toBe('active');
    expect((await getDepartment(t.ctx, { id: d.C.id })).headMemberId).toBe(m.devManager.id);
    expect(await listChanges(t.ctx, { operation: 'memberLeaves' })).toEqual([]);
    expect(await resolveHeadOf(t.ctx, { memberId: m.dev1.id })).toEqual([m.devManager.id]);
  });
});
