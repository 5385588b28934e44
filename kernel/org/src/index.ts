// @baton/org — units, departments, posts, levels, members, concurrent posts, roles; relative-role
// resolution; change log and as-of queries. The package's only entry point.
import './schema.ts';

export { departmentTreeAsOf, type MemberAsOf, memberAsOf } from './as-of.ts';
export {
  buildDemoOrg,
  type CatalogRoleCode,
  catalogRoles,
  type DemoOrgSummary,
} from './demo.ts';
export {
  type CreateDepartmentInput,
  createDepartment,
  enableDepartment,
  type SetDivisionLeadersInput,
  type SetHeadInput,
  setDivisionLeaders,
  setHead,
  type UpdateDepartmentInput,
  updateDepartment,
} from './departments.ts';
export { OrgErrors } from './errors.ts';
export {
  type HandoverHook,
  type HandoverReport,
  type MemberLeavesInput,
  type MemberLeavesResult,
  memberLeaves,
  registerHandover,
} from './handover.ts';
export {
  cellText,
  exportOrg,
  type ImportProblem,
  type ImportReport,
  type ImportRow,
  importOrg,
  normaliseHeader,
  type OrgExport,
  type OrgImportInput,
  type OrgSheet,
  orgSheetHeaders,
  orgSheets,
  type SheetColumn,
} from './import.ts';
export { buildLargeOrg, type LargeOrgOptions, type LargeOrgSummary } from './large.ts';
export {
  type AddConcurrentPostInput,
  addConcurrentPost,
  type CreateMemberInput,
  type CreateMembersInput,
  createMember,
  createMembers,
  type MoveMemberInput,
  moveMember,
  type RemoveConcurrentPostInput,
  removeConcurrentPost,
  type UpdateMemberInput,
  updateMember,
} from './members.ts';
export { orgMigrations } from './migrations.ts';
export type {
  ConcurrentPost,
  Department,
  DivisionLeader,
  EntityType,
  Level,
  Member,
  OrgChange,
  Post,
  Role,
  RoleAssignment,
  Unit,
} from './model.ts';
export {
  type DepartmentTreeNode,
  departmentTree,
  findMemberByLogin,
  getDepartment,
  getLevel,
  getMember,
  getMemberWithUnit,
  getPost,
  getRole,
  getUnit,
  type ListChangesInput,
  type ListMembersInput,
  listChanges,
  listConcurrentPosts,
  listDepartments,
  listDivisionLeaders,
  listLevels,
  listMembers,
  listPosts,
  listRoleAssignments,
  listRoles,
  listUnits,
  type MemberPlacement,
  type MemberWithUnit,
  memberIsActive,
  memberPlacements,
} from './queries.ts';
export {
  type DisableDepartmentInput,
  type DisableResult,
  disableDepartment,
  type MergeDepartmentsInput,
  type MergeResult,
  type MoveDepartmentInput,
  mergeDepartments,
  moveDepartment,
  type SplitDepartmentInput,
  type SplitResult,
  splitDepartment,
} from './reorganise.ts';
export {
  type MemberContextInput,
  orgRevision,
  resolveDivisionLeaderOf,
  resolveHeadOf,
  resolveHeadOfDepartment,
  resolveHoldersOfPost,
  resolveHoldersOfRole,
  resolveMembersOfDepartment,
  resolveNthSupervisor,
  resolveSubordinates,
  resolveSupervisorsUpToLevel,
} from './resolve.ts';
export {
  type AssignRoleInput,
  assignRole,
  type CreateRoleInput,
  createRole,
  type UnassignRoleInput,
  type UpdateRoleInput,
  unassignRole,
  updateRole,
} from './roles.ts';
export type {
  MemberStatus,
  RoleKind,
  RoleScope,
  UnitKind,
} from './schema.ts';
export { resetOrgCache } from './snapshot.ts';
export {
  type CreateLevelInput,
  type CreatePostInput,
  type CreateUnitInput,
  createLevel,
  createPost,
  createUnit,
  type UpdateLevelInput,
  type UpdatePostInput,
  type UpdateUnitInput,
  updateLevel,
  updatePost,
  updateUnit,
} from './units.ts';
