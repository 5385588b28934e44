// Row shapes of the org tables as Kysely sees them (camelCase through CamelCasePlugin; SQL is snake_case).
// Booleans are written as true/false and read back as 1/0 on both databases; instants are ISO strings;
// JSON columns are text written with toJson and read with fromJson.

type Audited = {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type UnitKind = 'headquarters' | 'branch' | 'subsidiary';

export type UnitTable = Audited & {
  code: string;
  name: string;
  kind: UnitKind;
  timeZone: string;
  sort: number;
  enabled: number | boolean;
};

export type DepartmentTable = Audited & {
  unitId: string;
  /** null: a top-level department of its unit. */
  parentId: string | null;
  name: string;
  /** Unique within the unit, e.g. `10-00004`. */
  code: string;
  sort: number;
  enabled: number | boolean;
  headMemberId: string | null;
  /** Set by mergeDepartments on the (disabled) source: where its people went. */
  mergedIntoId: string | null;
};

export type DivisionLeaderTable = Audited & {
  departmentId: string;
  memberId: string;
  sort: number;
};

export type PostTable = Audited & {
  /** null: a group-wide post usable in every unit. */
  unitId: string | null;
  code: string;
  name: string;
  sort: number;
  enabled: number | boolean;
};

export type LevelTable = Audited & {
  code: string;
  name: string;
  /** Lower number = more senior (总裁 10 … 专员 60). */
  rank: number;
};

export type MemberStatus = 'active' | 'left';

export type MemberTable = Audited & {
  code: string;
  name: string;
  /** Unique, stored lower-case. */
  login: string;
  email: string | null;
  phone: string | null;
  mainDepartmentId: string;
  postId: string | null;
  levelId: string | null;
  /** Overrides the head rule for this member's first supervisor. */
  supervisorId: string | null;
  status: MemberStatus;
  leftAt: string | null;
  locale: string | null;
  sort: number;
};

export type ConcurrentPostTable = Audited & {
  memberId: string;
  departmentId: string;
  postId: string | null;
  levelId: string | null;
  sort: number;
};

export type RoleKind = 'system' | 'business';
export type RoleScope = 'global' | 'unit' | 'department';

export type RoleTable = Audited & {
  code: string;
  name: string;
  nameEn: string | null;
  kind: RoleKind;
  scope: RoleScope;
  /** The unit or department of a unit- or department-scoped role; null for global roles. */
  scopeId: string | null;
  description: string | null;
  enabled: number | boolean;
};

export type RoleAssignmentTable = Audited & {
  roleId: string;
  memberId: string;
  /** At most one of the two scopes is set; none = the holder serves every context. */
  scopeUnitId: string | null;
  scopeDepartmentId: string | null;
};

/** Append-only: rows are inserted by operations and never updated or deleted by code. */
export type ChangeTable = {
  id: string;
  at: string;
  /** JSON of the Actor. */
  actor: string;
  /** The acting member, when a member acted (for "who changed this" queries). */
  actorMemberId: string | null;
  entityType: string;
  entityId: string;
  /** The member the change concerns (member rows, their concurrent posts and role assignments). */
  memberId: string | null;
  action: string;
  operation: string;
  before: string | null;
  after: string | null;
  batchId: string;
};

/** One row (id 'org'): `revision` grows and `stamp` changes in every org change transaction. */
export type RevisionTable = {
  id: string;
  revision: number;
  stamp: string;
  updatedAt: string;
};

declare module '@baton/db' {
  interface BatonDatabase {
    baton_org_unit: UnitTable;
    baton_org_department: DepartmentTable;
    baton_org_division_leader: DivisionLeaderTable;
    baton_org_post: PostTable;
    baton_org_level: LevelTable;
    baton_org_member: MemberTable;
    baton_org_concurrent_post: ConcurrentPostTable;
    baton_org_role: RoleTable;
    baton_org_role_assignment: RoleAssignmentTable;
    baton_org_change: ChangeTable;
    baton_org_revision: RevisionTable;
  }
}
