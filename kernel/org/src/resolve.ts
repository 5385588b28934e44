import { CoreErrors, isId } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { readRevision } from './op.ts';
import { type DepartmentNode, type Placement, type Snapshot, snapshotFor, within } from './snapshot.ts';

// Relative-role resolution (P-03). Every function returns member ids of ACTIVE members, de-duplicated,
// in a stable order, and an empty array (never an error) when nobody qualifies or a department or member
// is unknown or disabled. Only malformed input (a non-string id, n < 1) is an error.
//
// The head rule ("walk-up"): a member's first supervisor is
//   1. their supervisor override, when set, active, and the resolution is for their main department;
//   2. otherwise the head of the context department (default: their main department); when that head is
//      empty, has left, is the member themself, or the department is disabled, the head of the parent
//      department, and so on up to the unit's top-level department (no further: units have no head).
// The N-th supervisor applies the same rule to the (N-1)-th, continuing from the department where the
// (N-1)-th was found as head (or from their own main department when they came from an override), and
// never repeats a member: a person who heads two nested departments counts once.

type Ctx = Pick<DbCtx, 'db'>;

function check(ok: boolean, path: string, message: string): void {
  if (!ok) throw CoreErrors.validation.create({}, { fields: [{ path: [path], code: 'invalid', message }] });
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 64;

function optionalText(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  check(isText(value), path, 'an id');
  return value as string;
}

function active(snapshot: Snapshot, memberId: string | null | undefined): memberId is string {
  return !!memberId && snapshot.members.get(memberId)?.active === true;
}

function unique(ids: Iterable<string>): string[] {
  return [...new Set(ids)];
}

/** A supervisor and the department whose head they are (null when they came from an override). */
type Step = { memberId: string; departmentId: string | null };

/** First active, enabled head from `start` upwards that is not in `skip`. */
function headWalk(snapshot: Snapshot, start: string | null, skip: ReadonlySet<string>): Step | undefined {
  let node: DepartmentNode | undefined = start ? snapshot.departments.get(start) : undefined;
  const seen = new Set<string>();
  while (node && !seen.has(node.id)) {
    seen.add(node.id);
    const head = node.headMemberId;
    if (node.enabled && active(snapshot, head) && !skip.has(head)) return { memberId: head, departmentId: node.id };
    node = node.parentId ? snapshot.departments.get(node.parentId) : undefined;
  }
  return undefined;
}

/** The head rule for one member from one department context (see the top of this file). */
function firstSupervisor(
  snapshot: Snapshot,
  memberId: string,
  departmentId: string | undefined,
  skip: ReadonlySet<string>,
): Step | undefined {
  const member = snapshot.members.get(memberId);
  if (!member) return undefined;
  const context = departmentId ?? member.mainDepartmentId;
  const override = member.supervisorId;
  if (override && context === member.mainDepartmentId && active(snapshot, override)) {
    // An override that points back into the chain is a loop: the chain ends there.
    return skip.has(override) ? undefined : { memberId: override, departmentId: null };
  }
  return headWalk(snapshot, context, skip);
}

/** Up to `limit` supervisors of the member, nearest first, each with where they were found. */
function supervisorChain(
  snapshot: Snapshot,
  memberId: string,
  departmentId: string | undefined,
  limit: number,
): Step[] {
  const chain: Step[] = [];
  const skip = new Set([memberId]);
  let step = firstSupervisor(snapshot, memberId, departmentId, skip);
  while (step && chain.length < limit) {
    chain.push(step);
    skip.add(step.memberId);
    step = firstSupervisor(snapshot, step.memberId, step.departmentId ?? undefined, skip);
  }
  return chain;
}

export type MemberContextInput = {
  memberId: string;
  /** Resolve from this department instead of the main one ("the head of the department I filed from"). */
  departmentId?: string | null;
};

function memberInput(input: MemberContextInput): { memberId: string; departmentId: string | undefined } {
  check(isText(input?.memberId), 'memberId', 'an id');
  return { memberId: input.memberId, departmentId: optionalText(input.departmentId, 'departmentId') };
}

/** The member's head (部门主管) by the walk-up rule: at most one id. */
export async function resolveHeadOf(ctx: Ctx, input: MemberContextInput): Promise<string[]> {
  const { memberId, departmentId } = memberInput(input);
  const snapshot = await snapshotFor(ctx);
  return supervisorChain(snapshot, memberId, departmentId, 1).map((step) => step.memberId);
}

/** The N-th supervisor (一级/二级/三级主管): n = 1 is the head. Empty when the chain is shorter. */
export async function resolveNthSupervisor(ctx: Ctx, input: MemberContextInput & { n: number }): Promise<string[]> {
  const { memberId, departmentId } = memberInput(input);
  check(Number.isInteger(input.n) && input.n >= 1 && input.n <= 50, 'n', 'an integer from 1 to 50');
  const snapshot = await snapshotFor(ctx);
  const chain = supervisorChain(snapshot, memberId, departmentId, input.n);
  const nth = chain[input.n - 1];
  return nth ? [nth.memberId] : [];
}

/** Per snapshot and depth: supervisor id → the members whose first `depth` supervisors include them. */
const subordinateIndex = new WeakMap<Snapshot, Map<number, Map<string, string[]>>>();

function subordinatesBy(snapshot: Snapshot, depth: number): Map<string, string[]> {
  let byDepth = subordinateIndex.get(snapshot);
  if (!byDepth) {
    byDepth = new Map();
    subordinateIndex.set(snapshot, byDepth);
  }
  const cached = byDepth.get(depth);
  if (cached) return cached;
  const index = new Map<string, string[]>();
  // Every member's chain from their main department, the same one resolveNthSupervisor walks, inverted:
  // one pass over the org per revision and depth (10,000 members, depth 3: ~50 ms on this machine's SQLite,
  // once; later calls cost the revision read).
  for (const member of snapshot.members.values()) {
    for (const step of supervisorChain(snapshot, member.id, undefined, depth)) {
      const list = index.get(step.memberId);
      if (list) list.push(member.id);
      else index.set(step.memberId, [member.id]);
    }
  }
  byDepth.set(depth, index);
  return index;
}

/**
 * The inverse of resolveNthSupervisor for n = 1 … depth: every member (members who left included — a record
 * may still name them) whose first `depth` supervisors, from their main department, include `memberId`.
 * Derived from the org as it is now, so a reorganisation moves it. Empty for a member who left or is unknown.
 */
export async function resolveSubordinates(ctx: Ctx, input: { memberId: string; depth: number }): Promise<string[]> {
  check(isText(input?.memberId), 'memberId', 'an id');
  check(Number.isInteger(input.depth) && input.depth >= 1 && input.depth <= 10, 'depth', 'an integer from 1 to 10');
  const snapshot = await snapshotFor(ctx);
  if (!active(snapshot, input.memberId)) return [];
  return [...(subordinatesBy(snapshot, input.depth).get(input.memberId) ?? [])];
}

/** The level rank a supervisor acts at: their concurrent post's level in that department, else their own. */
function rankOf(snapshot: Snapshot, step: Step): number | undefined {
  const member = snapshot.members.get(step.memberId);
  const concurrent = step.departmentId
    ? snapshot.concurrentByMember.get(step.memberId)?.find((p) => p.departmentId === step.departmentId)
    : undefined;
  const levelId = concurrent?.levelId ?? member?.levelId;
  return levelId ? snapshot.levelRank.get(levelId) : undefined;
}

/**
 * Continuous supervisors (连续多级主管), nearest first, up to and including the first whose level rank
 * is at or above `levelRank` (a rank number <= levelRank: lower is more senior); the whole chain when
 * nobody reaches it. `levelId` may be given instead of `levelRank`. The member's own level plays no part.
 */
export async function resolveSupervisorsUpToLevel(
  ctx: Ctx,
  input: MemberContextInput & { levelRank?: number; levelId?: string },
): Promise<string[]> {
  const { memberId, departmentId } = memberInput(input);
  const snapshot = await snapshotFor(ctx);
  let target = input.levelRank;
  if (target === undefined) {
    check(isText(input.levelId), 'levelRank', 'give levelRank or levelId');
    target = snapshot.levelRank.get(input.levelId as string);
    if (target === undefined) return [];
  }
  check(Number.isInteger(target), 'levelRank', 'an integer');
  const result: string[] = [];
  for (const step of supervisorChain(snapshot, memberId, departmentId, 50)) {
    result.push(step.memberId);
    const rank = rankOf(snapshot, step);
    if (rank !== undefined && rank <= target) break;
  }
  return result;
}

function enabledDepartment(snapshot: Snapshot, id: string | undefined): DepartmentNode | undefined {
  const node = id ? snapshot.departments.get(id) : undefined;
  return node?.enabled ? node : undefined;
}

/**
 * The division leaders (分管领导) of a department, or of a member's department (main, or `departmentId`).
 * A department without its own inherits them from the nearest enabled ancestor that has some.
 */
export async function resolveDivisionLeaderOf(
  ctx: Ctx,
  input: { departmentId?: string | null; memberId?: string | null },
): Promise<string[]> {
  const memberId = optionalText(input?.memberId, 'memberId');
  let departmentId = optionalText(input?.departmentId, 'departmentId');
  check(!!(memberId || departmentId), 'departmentId', 'give departmentId or memberId');
  const snapshot = await snapshotFor(ctx);
  if (!departmentId) departmentId = snapshot.members.get(memberId as string)?.mainDepartmentId;
  let node = enabledDepartment(snapshot, departmentId);
  const seen = new Set<string>();
  while (node && !seen.has(node.id)) {
    seen.add(node.id);
    if (node.enabled) {
      const leaders = (snapshot.divisionLeaders.get(node.id) ?? []).filter((id) => active(snapshot, id));
      if (leaders.length > 0) return unique(leaders);
    }
    node = node.parentId ? snapshot.departments.get(node.parentId) : undefined;
  }
  return [];
}

/**
 * The head of exactly this department (the department in form field X). Empty when the department is
 * missing or disabled, or its head is empty or has left — unless `walkUp`, which applies the walk-up rule.
 */
export async function resolveHeadOfDepartment(
  ctx: Ctx,
  input: { departmentId: string; walkUp?: boolean },
): Promise<string[]> {
  check(isText(input?.departmentId), 'departmentId', 'an id');
  const snapshot = await snapshotFor(ctx);
  const node = enabledDepartment(snapshot, input.departmentId);
  if (!node) return [];
  if (active(snapshot, node.headMemberId)) return [node.headMemberId];
  if (!input.walkUp) return [];
  const step = headWalk(snapshot, node.parentId, new Set());
  return step ? [step.memberId] : [];
}

/** Placements (main and concurrent, enabled departments only) under an optional unit/department filter. */
function placementsIn(
  snapshot: Snapshot,
  placements: Placement[],
  filter: { unitId?: string; departmentId?: string; withSubDepartments?: boolean },
): string[] {
  const ids: string[] = [];
  for (const placement of placements) {
    const department = snapshot.departments.get(placement.departmentId);
    if (!department?.enabled || !active(snapshot, placement.memberId)) continue;
    if (filter.unitId && department.unitId !== filter.unitId) continue;
    if (filter.departmentId) {
      const inside = filter.withSubDepartments
        ? within(snapshot, department.id, filter.departmentId)
        : department.id === filter.departmentId;
      if (!inside) continue;
    }
    ids.push(placement.memberId);
  }
  return unique(ids);
}

/** Members holding a post, as main post or concurrent post, optionally only in a unit or department (and below). */
export async function resolveHoldersOfPost(
  ctx: Ctx,
  input: { postId: string; unitId?: string | null; departmentId?: string | null; withSubDepartments?: boolean },
): Promise<string[]> {
  check(isText(input?.postId), 'postId', 'an id');
  const unitId = optionalText(input.unitId, 'unitId');
  const departmentId = optionalText(input.departmentId, 'departmentId');
  const snapshot = await snapshotFor(ctx);
  if (departmentId && !enabledDepartment(snapshot, departmentId)) return [];
  return placementsIn(snapshot, snapshot.holdersByPost.get(input.postId) ?? [], {
    unitId,
    departmentId,
    withSubDepartments: input.withSubDepartments,
  });
}

/**
 * Holders of a role (by id or code). Without context: every active holder. With a department (or unit)
 * context the most specific assignments win, first non-empty of:
 *   1. assignments scoped to the context department, else to its nearest ancestor that has any;
 *   2. assignments scoped to the context unit;
 *   3. unscoped assignments whose holder has a main or concurrent post in the context unit;
 *   4. all unscoped assignments.
 * A unit- or department-scoped role resolves to [] outside its scope; a disabled role to [].
 */
export async function resolveHoldersOfRole(
  ctx: Ctx,
  input: { role: string; unitId?: string | null; departmentId?: string | null },
): Promise<string[]> {
  check(isText(input?.role), 'role', 'a role id or code');
  let unitId = optionalText(input.unitId, 'unitId');
  const departmentId = optionalText(input.departmentId, 'departmentId');
  const snapshot = await snapshotFor(ctx);
  const roleId = isId(input.role) ? input.role : snapshot.roleIdByCode.get(input.role);
  const role = roleId ? snapshot.roles.get(roleId) : undefined;
  if (!role?.enabled) return [];
  let department: DepartmentNode | undefined;
  if (departmentId) {
    department = enabledDepartment(snapshot, departmentId);
    if (!department) return [];
    if (unitId && unitId !== department.unitId) return [];
    unitId = department.unitId;
  }
  if (unitId && !snapshot.units.get(unitId)?.enabled) return [];
  if (role.scope === 'unit' && unitId && role.scopeId !== unitId) return [];
  if (role.scope === 'department' && role.scopeId) {
    if (department && !within(snapshot, department.id, role.scopeId)) return [];
    if (!department && unitId && snapshot.departments.get(role.scopeId)?.unitId !== unitId) return [];
  }
  const assignments = (snapshot.assignmentsByRole.get(role.id) ?? []).filter((a) => active(snapshot, a.memberId));
  const holders = (list: typeof assignments) => unique(list.map((a) => a.memberId));
  if (!unitId) {
    return holders(
      assignments.filter((a) => !a.scopeDepartmentId || snapshot.departments.get(a.scopeDepartmentId)?.enabled),
    );
  }
  let node = department;
  while (node) {
    const id: string = node.id;
    const here = node.enabled ? assignments.filter((a) => a.scopeDepartmentId === id) : [];
    if (here.length > 0) return holders(here);
    node = node.parentId ? snapshot.departments.get(node.parentId) : undefined;
  }
  const forUnit = assignments.filter((a) => a.scopeUnitId === unitId);
  if (forUnit.length > 0) return holders(forUnit);
  const unscoped = assignments.filter((a) => !a.scopeUnitId && !a.scopeDepartmentId);
  const placedInUnit = unscoped.filter((a) => placedIn(snapshot, a.memberId, unitId as string));
  return holders(placedInUnit.length > 0 ? placedInUnit : unscoped);
}

function placedIn(snapshot: Snapshot, memberId: string, unitId: string): boolean {
  const member = snapshot.members.get(memberId);
  if (!member) return false;
  const main = snapshot.departments.get(member.mainDepartmentId);
  if (main?.enabled && main.unitId === unitId) return true;
  return (snapshot.concurrentByMember.get(memberId) ?? []).some((p) => {
    const department = snapshot.departments.get(p.departmentId);
    return department?.enabled === true && department.unitId === unitId;
  });
}

/**
 * Active members of a department — main placements first, then concurrent posts — and with
 * `withSubDepartments` of every enabled department below it, in tree order.
 */
export async function resolveMembersOfDepartment(
  ctx: Ctx,
  input: { departmentId: string; withSubDepartments?: boolean },
): Promise<string[]> {
  check(isText(input?.departmentId), 'departmentId', 'an id');
  const snapshot = await snapshotFor(ctx);
  const node = enabledDepartment(snapshot, input.departmentId);
  if (!node) return [];
  const ids = input.withSubDepartments ? snapshot.order.slice(node.tin, node.tout + 1) : [node.id];
  const placements: Placement[] = [];
  for (const id of ids) placements.push(...(snapshot.placementsByDepartment.get(id) ?? []));
  return placementsIn(snapshot, placements, {});
}

/** The org revision (grows with every change transaction) and its stamp, for other engines' caches. */
export async function orgRevision(ctx: Ctx): Promise<{ revision: number; stamp: string }> {
  return readRevision(ctx);
}
