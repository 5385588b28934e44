import type { DbCtx } from '@baton/db';
import { readRevision } from './op.ts';

// The in-process resolution cache. One snapshot of the whole org structure (no names, no personal data:
// only what resolution needs) per revision stamp. Every resolution reads the stamp with one primary-key
// read through ctx.db, so a transaction sees its own uncommitted changes (its stamp is new and private),
// and a stamp that was rolled back can never come back, because stamps are random.

export type DepartmentNode = {
  id: string;
  unitId: string;
  parentId: string | null;
  /** Own flag, its unit's flag and every ancestor's flag together. */
  enabled: boolean;
  headMemberId: string | null;
  /** Position in `order` (depth-first, siblings by sort then code); the sub-tree is `order[tin..tout]`. */
  tin: number;
  tout: number;
};

export type MemberNode = {
  id: string;
  active: boolean;
  mainDepartmentId: string;
  levelId: string | null;
  supervisorId: string | null;
};

export type Placement = {
  memberId: string;
  departmentId: string;
  postId: string | null;
  levelId: string | null;
  concurrent: boolean;
};

export type RoleNode = { id: string; code: string; enabled: boolean; scope: string; scopeId: string | null };
export type AssignmentNode = { memberId: string; scopeUnitId: string | null; scopeDepartmentId: string | null };

export type Snapshot = {
  stamp: string;
  revision: number;
  units: Map<string, { enabled: boolean }>;
  departments: Map<string, DepartmentNode>;
  order: string[];
  members: Map<string, MemberNode>;
  levelRank: Map<string, number>;
  divisionLeaders: Map<string, string[]>;
  /** Main placements first (member sort, code), then concurrent ones. */
  placementsByDepartment: Map<string, Placement[]>;
  concurrentByMember: Map<string, Placement[]>;
  holdersByPost: Map<string, Placement[]>;
  roles: Map<string, RoleNode>;
  roleIdByCode: Map<string, string>;
  assignmentsByRole: Map<string, AssignmentNode[]>;
};

const MAX_ENTRIES = 8;
const MAX_ATTEMPTS = 3;
const cache = new Map<string, Promise<Snapshot>>();

/** A snapshot whose build overlapped an org commit: it may mix two states and must not be cached. */
class StaleSnapshot extends Error {
  constructor(readonly snapshot: Snapshot) {
    super('org changed while the resolution cache was being built');
  }
}

/** The snapshot for the org state ctx.db sees: reused when the stamp is cached, else built. */
export async function snapshotFor(ctx: Pick<DbCtx, 'db'>, attempt = 1): Promise<Snapshot> {
  const { stamp, revision } = await readRevision(ctx);
  let pending = cache.get(stamp);
  if (pending) {
    // Least recently used goes first: re-insert on every hit.
    cache.delete(stamp);
    cache.set(stamp, pending);
  } else {
    pending = buildChecked(ctx, stamp, revision);
    const entry = pending;
    cache.set(stamp, entry);
    entry.catch(() => {
      if (cache.get(stamp) === entry) cache.delete(stamp);
    });
    while (cache.size > MAX_ENTRIES) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  }
  try {
    return await pending;
  } catch (error) {
    if (!(error instanceof StaleSnapshot)) throw error;
    // Under constant churn give up on consistency rather than on answering.
    return attempt >= MAX_ATTEMPTS ? error.snapshot : snapshotFor(ctx, attempt + 1);
  }
}

/**
 * Builds with several queries, then re-reads the stamp: every org commit changes the stamp, so an
 * unchanged stamp proves that no org change committed while the queries ran (they may each see a
 * different moment outside a transaction, or in a READ COMMITTED one).
 */
async function buildChecked(ctx: Pick<DbCtx, 'db'>, stamp: string, revision: number): Promise<Snapshot> {
  const snapshot = await build(ctx, stamp, revision);
  if ((await readRevision(ctx)).stamp !== stamp) throw new StaleSnapshot(snapshot);
  return snapshot;
}

/** Forgets every cached snapshot (benchmarks measuring a cold cache; never needed for correctness). */
export function resetOrgCache(): void {
  cache.clear();
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const bool = (value: unknown): boolean => value === true || value === 1;

async function build(ctx: Pick<DbCtx, 'db'>, stamp: string, revision: number): Promise<Snapshot> {
  const { db } = ctx;
  // Sequential on purpose: inside a transaction every query shares one connection anyway.
  const unitRows = await db.selectFrom('baton_org_unit').select(['id', 'enabled']).execute();
  const departmentRows = await db
    .selectFrom('baton_org_department')
    .select(['id', 'unitId', 'parentId', 'enabled', 'headMemberId', 'sort', 'code'])
    .orderBy('sort')
    .orderBy('code')
    .execute();
  const memberRows = await db
    .selectFrom('baton_org_member')
    .select(['id', 'status', 'mainDepartmentId', 'postId', 'levelId', 'supervisorId'])
    .orderBy('sort')
    .orderBy('code')
    .execute();
  const concurrentRows = await db
    .selectFrom('baton_org_concurrent_post as p')
    .innerJoin('baton_org_member as m', 'm.id', 'p.memberId')
    .select(['p.memberId', 'p.departmentId', 'p.postId', 'p.levelId'])
    .orderBy('p.sort')
    .orderBy('m.sort')
    .orderBy('m.code')
    .execute();
  const levelRows = await db.selectFrom('baton_org_level').select(['id', 'rank']).execute();
  const leaderRows = await db
    .selectFrom('baton_org_division_leader')
    .select(['departmentId', 'memberId'])
    .orderBy('sort')
    .orderBy('id')
    .execute();
  const roleRows = await db
    .selectFrom('baton_org_role')
    .select(['id', 'code', 'enabled', 'scope', 'scopeId'])
    .execute();
  const assignmentRows = await db
    .selectFrom('baton_org_role_assignment')
    .select(['roleId', 'memberId', 'scopeUnitId', 'scopeDepartmentId'])
    .orderBy('id')
    .execute();

  const units = new Map(unitRows.map((row) => [row.id, { enabled: bool(row.enabled) }]));
  const departments = new Map<string, DepartmentNode>();
  const children = new Map<string | null, string[]>();
  const ownEnabled = new Map<string, boolean>();
  for (const row of departmentRows) {
    departments.set(row.id, {
      id: row.id,
      unitId: row.unitId,
      parentId: row.parentId,
      enabled: false,
      headMemberId: row.headMemberId,
      tin: -1,
      tout: -2,
    });
    ownEnabled.set(row.id, bool(row.enabled) && (units.get(row.unitId)?.enabled ?? false));
  }
  for (const row of departmentRows) {
    // A parent that does not exist makes a root, so a damaged row can never hide a sub-tree.
    const parent = row.parentId && departments.has(row.parentId) ? row.parentId : null;
    push(children, parent, row.id);
  }
  // Depth-first numbering from the roots (rows came sorted, so siblings are in sort order).
  const order: string[] = [];
  const stack: Array<{ id: string; exit: boolean }> = [...(children.get(null) ?? [])]
    .reverse()
    .map((id) => ({ id, exit: false }));
  while (stack.length > 0) {
    const frame = stack.pop() as { id: string; exit: boolean };
    const node = departments.get(frame.id) as DepartmentNode;
    if (frame.exit) {
      node.tout = order.length - 1;
      continue;
    }
    node.tin = order.length;
    order.push(node.id);
    const parent = node.parentId ? departments.get(node.parentId) : undefined;
    node.enabled = (ownEnabled.get(node.id) ?? false) && (parent ? parent.enabled : true);
    stack.push({ id: node.id, exit: true });
    const kids = children.get(node.id) ?? [];
    for (let index = kids.length - 1; index >= 0; index--) stack.push({ id: kids[index] as string, exit: false });
  }

  const members = new Map<string, MemberNode>();
  const placementsByDepartment = new Map<string, Placement[]>();
  const holdersByPost = new Map<string, Placement[]>();
  const concurrentByMember = new Map<string, Placement[]>();
  for (const row of memberRows) {
    const active = row.status === 'active';
    members.set(row.id, {
      id: row.id,
      active,
      mainDepartmentId: row.mainDepartmentId,
      levelId: row.levelId,
      supervisorId: row.supervisorId,
    });
    if (!active) continue;
    const placement: Placement = {
      memberId: row.id,
      departmentId: row.mainDepartmentId,
      postId: row.postId,
      levelId: row.levelId,
      concurrent: false,
    };
    push(placementsByDepartment, row.mainDepartmentId, placement);
    if (row.postId) push(holdersByPost, row.postId, placement);
  }
  for (const row of concurrentRows) {
    if (!members.get(row.memberId)?.active) continue;
    const placement: Placement = { ...row, concurrent: true };
    push(placementsByDepartment, row.departmentId, placement);
    push(concurrentByMember, row.memberId, placement);
    if (row.postId) push(holdersByPost, row.postId, placement);
  }

  const divisionLeaders = new Map<string, string[]>();
  for (const row of leaderRows) push(divisionLeaders, row.departmentId, row.memberId);
  const roles = new Map<string, RoleNode>();
  const roleIdByCode = new Map<string, string>();
  for (const row of roleRows) {
    roles.set(row.id, {
      id: row.id,
      code: row.code,
      enabled: bool(row.enabled),
      scope: row.scope,
      scopeId: row.scopeId,
    });
    roleIdByCode.set(row.code, row.id);
  }
  const assignmentsByRole = new Map<string, AssignmentNode[]>();
  for (const row of assignmentRows) {
    push(assignmentsByRole, row.roleId, {
      memberId: row.memberId,
      scopeUnitId: row.scopeUnitId,
      scopeDepartmentId: row.scopeDepartmentId,
    });
  }

  return {
    stamp,
    revision,
    units,
    departments,
    order,
    members,
    levelRank: new Map(levelRows.map((row) => [row.id, Number(row.rank)])),
    divisionLeaders,
    placementsByDepartment,
    concurrentByMember,
    holdersByPost,
    roles,
    roleIdByCode,
    assignmentsByRole,
  };
}

/** Is department `id` equal to or below `ancestorId`? O(1) through the depth-first numbering. */
export function within(snapshot: Snapshot, id: string, ancestorId: string): boolean {
  const node = snapshot.departments.get(id);
  const ancestor = snapshot.departments.get(ancestorId);
  if (!node || !ancestor || node.tin < 0 || ancestor.tin < 0) return id === ancestorId && node !== undefined;
  return node.tin >= ancestor.tin && node.tin <= ancestor.tout;
}
