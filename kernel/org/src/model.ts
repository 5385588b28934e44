import type { Actor } from '@baton/core';
import type {
  ConcurrentPostTable,
  DepartmentTable,
  DivisionLeaderTable,
  LevelTable,
  MemberTable,
  PostTable,
  RoleAssignmentTable,
  RoleKind,
  RoleScope,
  RoleTable,
  UnitKind,
  UnitTable,
} from './schema.ts';

// The public shapes of org entities. They are also the before/after snapshots of the change log,
// so a snapshot read back from the log has exactly the shape the live query returns.

type Audited = { id: string; version: number; createdAt: string; updatedAt: string };

export type Unit = Audited & {
  code: string;
  name: string;
  kind: UnitKind;
  timeZone: string;
  sort: number;
  enabled: boolean;
};

export type Department = Audited & {
  unitId: string;
  parentId: string | null;
  name: string;
  code: string;
  sort: number;
  enabled: boolean;
  headMemberId: string | null;
  mergedIntoId: string | null;
};

export type DivisionLeader = DivisionLeaderTable;

export type Post = Audited & { unitId: string | null; code: string; name: string; sort: number; enabled: boolean };

/** Ordered by rank: a lower rank number is more senior (总裁 10 is above 专员 60). */
export type Level = Audited & { code: string; name: string; rank: number };

/** Members and concurrent posts have no columns that need converting: the row shape is the public one. */
export type Member = MemberTable;

export type ConcurrentPost = ConcurrentPostTable;

export type Role = Audited & {
  code: string;
  name: string;
  nameEn: string | null;
  kind: RoleKind;
  scope: RoleScope;
  scopeId: string | null;
  description: string | null;
  enabled: boolean;
};

export type RoleAssignment = Audited & {
  roleId: string;
  memberId: string;
  scopeUnitId: string | null;
  scopeDepartmentId: string | null;
};

export type EntityType =
  | 'unit'
  | 'department'
  | 'divisionLeader'
  | 'post'
  | 'level'
  | 'member'
  | 'concurrentPost'
  | 'role'
  | 'roleAssignment';

export type OrgChange = {
  id: string;
  at: string;
  actor: Actor;
  actorMemberId: string | null;
  entityType: EntityType;
  entityId: string;
  memberId: string | null;
  /** create | update | move | merge | disable | enable | setHead | leave | delete … */
  action: string;
  /** The operation that wrote the row (createMember, mergeDepartments …). */
  operation: string;
  before: unknown;
  after: unknown;
  batchId: string;
};

const bool = (value: number | boolean): boolean => value === true || value === 1;
const num = (value: unknown): number => Number(value);

function audited(row: { id: string; version: number; createdAt: string; updatedAt: string }): Audited {
  return { id: row.id, version: num(row.version), createdAt: row.createdAt, updatedAt: row.updatedAt };
}

export function toUnit(row: UnitTable): Unit {
  return {
    ...audited(row),
    code: row.code,
    name: row.name,
    kind: row.kind,
    timeZone: row.timeZone,
    sort: num(row.sort),
    enabled: bool(row.enabled),
  };
}

export function toDepartment(row: DepartmentTable): Department {
  return {
    ...audited(row),
    unitId: row.unitId,
    parentId: row.parentId,
    name: row.name,
    code: row.code,
    sort: num(row.sort),
    enabled: bool(row.enabled),
    headMemberId: row.headMemberId,
    mergedIntoId: row.mergedIntoId,
  };
}

export function toDivisionLeader(row: DivisionLeaderTable): DivisionLeader {
  return { ...audited(row), departmentId: row.departmentId, memberId: row.memberId, sort: num(row.sort) };
}

export function toPost(row: PostTable): Post {
  return {
    ...audited(row),
    unitId: row.unitId,
    code: row.code,
    name: row.name,
    sort: num(row.sort),
    enabled: bool(row.enabled),
  };
}

export function toLevel(row: LevelTable): Level {
  return { ...audited(row), code: row.code, name: row.name, rank: num(row.rank) };
}

export function toMember(row: MemberTable): Member {
  return {
    ...audited(row),
    code: row.code,
    name: row.name,
    login: row.login,
    email: row.email,
    phone: row.phone,
    mainDepartmentId: row.mainDepartmentId,
    postId: row.postId,
    levelId: row.levelId,
    supervisorId: row.supervisorId,
    status: row.status,
    leftAt: row.leftAt,
    locale: row.locale,
    sort: num(row.sort),
  };
}

export function toConcurrentPost(row: ConcurrentPostTable): ConcurrentPost {
  return {
    ...audited(row),
    memberId: row.memberId,
    departmentId: row.departmentId,
    postId: row.postId,
    levelId: row.levelId,
    sort: num(row.sort),
  };
}

export function toRole(row: RoleTable): Role {
  return {
    ...audited(row),
    code: row.code,
    name: row.name,
    nameEn: row.nameEn,
    kind: row.kind,
    scope: row.scope,
    scopeId: row.scopeId,
    description: row.description,
    enabled: bool(row.enabled),
  };
}

export function toRoleAssignment(row: RoleAssignmentTable): RoleAssignment {
  return {
    ...audited(row),
    roleId: row.roleId,
    memberId: row.memberId,
    scopeUnitId: row.scopeUnitId,
    scopeDepartmentId: row.scopeDepartmentId,
  };
}
