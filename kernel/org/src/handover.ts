import type { DbCtx } from '@baton/db';
import { z } from 'zod';
import { OrgErrors } from './errors.ts';
import { type Department, type Member, toDepartment, toMember } from './model.ts';
import { bumpRevision, deleteEntity, fresh, insertEntity, runOp, updateEntity } from './op.ts';
import {
  concurrentPostsWhere,
  divisionLeadersWhere,
  findMember,
  loadMember,
  loadRole,
  roleAssignmentsWhere,
} from './repo.ts';
import { insertAssignment, sameScope } from './roles.ts';
import { idField, parseInput, versionField } from './validate.ts';

/** What a handover hook holds for, or moved from, the leaving member. */
export type HandoverReport = {
  /** Items the member still holds (pending tasks, assets …); > 0 without a successor refuses the leave. */
  held: number;
  /** Items moved to the successor. */
  moved?: number;
  detail?: string;
};

/**
 * Runs inside the leave's or transfer's transaction (ctx.db is that transaction), after the member is
 * marked left or moved. Without a successor it must only count what the member holds; with one it hands
 * the items over. Throwing rolls the whole operation back. `reason` says which: a member who leaves
 * hands over everything; one who changes post (调岗) only when the administrator names a successor.
 */
export type HandoverHook = (
  ctx: DbCtx,
  input: { memberId: string; successorId: string | null; reason: 'leave' | 'move' },
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook with nothing to report may simply not return
) => Promise<HandoverReport | undefined | void>;

const hooks = new Map<string, HandoverHook>();

/**
 * Registers a hook that runs on every memberLeaves (e.g. the flow engine moving pending tasks, the asset
 * app reassigning equipment: P-05). Wired in the composition root; returns a function that unregisters it.
 */
export function registerHandover(name: string, hook: HandoverHook): () => void {
  if (!name.trim()) throw new TypeError('registerHandover: name is required');
  if (hooks.has(name)) throw new TypeError(`registerHandover: "${name}" is registered twice`);
  hooks.set(name, hook);
  return () => {
    if (hooks.get(name) === hook) hooks.delete(name);
  };
}

const memberLeavesInput = z.strictObject({
  memberId: idField,
  /** Receives headships, division leaderships, role assignments and whatever the hooks hand over. */
  successorId: idField.nullable().optional(),
  version: versionField.optional(),
});
export type MemberLeavesInput = z.input<typeof memberLeavesInput>;

export type MemberLeavesResult = {
  member: Member;
  successorId: string | null;
  /** Departments whose head became the successor (or was cleared, for disabled departments without one). */
  headships: string[];
  divisionLeaderships: string[];
  roleAssignments: string[];
  /** Members whose supervisor override pointed at the leaver: now the successor, or cleared. */
  supervised: string[];
  removedConcurrentPosts: string[];
  handovers: Record<string, HandoverReport>;
  batchId: string;
};

/**
 * Marks a member as left. A successor is required when the member heads an enabled department, is a
 * division leader, holds a role, or when any handover hook reports held items; headships, division
 * leaderships and role assignments then pass to the successor. Concurrent posts end. The member row
 * stays (status 'left') so history and as-of queries keep working.
 */
export async function memberLeaves(ctx: DbCtx, input: MemberLeavesInput): Promise<MemberLeavesResult> {
  const data = parseInput(memberLeavesInput, input);
  return runOp(ctx, 'memberLeaves', async (batch) => {
    const { db } = batch.ctx;
    const member = await loadMember(batch.ctx, data.memberId);
    if (member.status !== 'active') throw OrgErrors.memberLeft.create({ name: member.name });
    const successorId = data.successorId ?? null;
    if (successorId) {
      const successor = await findMember(batch.ctx, successorId);
      if (successor?.status !== 'active' || successor.id === member.id) {
        throw OrgErrors.successorInvalid.create({}, { fields: [{ path: ['successorId'], code: 'invalid' }] });
      }
    }
    const headed: Department[] = (
      await db.selectFrom('baton_org_department').selectAll().where('headMemberId', '=', member.id).execute()
    ).map(toDepartment);
    const leaderships = await divisionLeadersWhere(batch.ctx, { memberId: member.id });
    const assignments = await roleAssignmentsWhere(batch.ctx, { memberId: member.id });
    const enabledHeaded = headed.filter((d) => d.enabled);
    if (!successorId && (enabledHeaded.length > 0 || leaderships.length > 0 || assignments.length > 0)) {
      throw successorRequired(member, [
        enabledHeaded.length > 0 ? `heads ${enabledHeaded.length} department(s)` : '',
        leaderships.length > 0 ? `division leader of ${leaderships.length} department(s)` : '',
        assignments.length > 0 ? `holds ${assignments.length} role assignment(s)` : '',
      ]);
    }

    const result: MemberLeavesResult = {
      member,
      successorId,
      headships: [],
      divisionLeaderships: [],
      roleAssignments: [],
      supervised: [],
      removedConcurrentPosts: [],
      handovers: {},
      batchId: batch.id,
    };
    for (const department of headed) {
      await updateEntity(batch, 'department', department, { headMemberId: successorId }, { action: 'setHead' });
      result.headships.push(department.id);
    }
    for (const leadership of leaderships) {
      const alreadyLeads =
        successorId &&
        (await divisionLeadersWhere(batch.ctx, { departmentId: leadership.departmentId, memberId: successorId }))
          .length > 0;
      await deleteEntity(batch, 'divisionLeader', leadership);
      if (successorId && !alreadyLeads) {
        await insertEntity(batch, 'divisionLeader', {
          ...fresh(batch),
          departmentId: leadership.departmentId,
          memberId: successorId,
          sort: leadership.sort,
        });
      }
      result.divisionLeaderships.push(leadership.departmentId);
    }
    for (const assignment of assignments) {
      await deleteEntity(batch, 'roleAssignment', assignment, 'unassign');
      if (!successorId) continue;
      const held = await roleAssignmentsWhere(batch.ctx, { roleId: assignment.roleId, memberId: successorId });
      if (!held.some((a) => sameScope(a, assignment.scopeUnitId, assignment.scopeDepartmentId))) {
        const role = await loadRole(batch.ctx, assignment.roleId);
        await insertAssignment(batch, role, successorId, assignment.scopeUnitId, assignment.scopeDepartmentId);
      }
      result.roleAssignments.push(assignment.id);
    }
    const supervised = (
      await db.selectFrom('baton_org_member').selectAll().where('supervisorId', '=', member.id).execute()
    ).map(toMember);
    for (const subordinate of supervised) {
      await updateEntity(batch, 'member', subordinate, { supervisorId: successorId }, { action: 'update' });
      result.supervised.push(subordinate.id);
    }
    for (const post of await concurrentPostsWhere(batch.ctx, { memberId: member.id })) {
      await deleteEntity(batch, 'concurrentPost', post);
      result.removedConcurrentPosts.push(post.id);
    }
    result.member = await updateEntity(
      batch,
      'member',
      await loadMember(batch.ctx, member.id),
      { status: 'left', leftAt: batch.at },
      { action: 'leave', expectedVersion: data.version },
    );

    // Hooks see the org as it is after the leave (a fresh revision, so their resolutions do too).
    await bumpRevision(batch.ctx);
    result.handovers = await runHandovers(batch.ctx, { memberId: member.id, successorId, reason: 'leave' });
    const reasons = Object.entries(result.handovers)
      .filter(([, report]) => report.held > 0 && !successorId)
      .map(([name, report]) => `${name}: ${report.held} item(s)`);
    if (reasons.length > 0) throw successorRequired(member, reasons);
    return result;
  });
}

/** Runs every registered hook in registration order inside the caller's transaction. */
export async function runHandovers(
  ctx: DbCtx,
  input: { memberId: string; successorId: string | null; reason: 'leave' | 'move' },
): Promise<Record<string, HandoverReport>> {
  const reports: Record<string, HandoverReport> = {};
  for (const [name, hook] of hooks) reports[name] = (await hook(ctx, input)) ?? { held: 0 };
  return reports;
}

function successorRequired(member: Member, reasons: string[]) {
  return OrgErrors.successorRequired.create(
    { name: member.name, reasons: reasons.filter(Boolean).join('; ') },
    { fields: [{ path: ['successorId'], code: 'required' }] },
  );
}
