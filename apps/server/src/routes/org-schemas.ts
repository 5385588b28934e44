import * as z from 'zod';

// Request and response schemas of the Organisation API. Requests are checked here for shape (ids are
// UUIDs, unknown body keys are refused) and again by the org engine for meaning; responses are parsed
// on the way out, so a key not listed here never reaches a client.

export const uuid = z.uuid();
const nullableId = z.string().nullable();

// ---- parameters and query values ----------------------------------------------------------------

export const idParams = z.object({ id: uuid });
export const concurrentPostParams = z.object({ id: uuid, departmentId: uuid });
export const assignmentParams = z.object({ id: uuid, assignmentId: uuid });

/** `true` / `false` in a query string. */
const flag = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .optional();

/** A text filter; an empty value means no filter (pickers send `search=` while the box is empty). */
const searchText = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((value) => value || undefined);

// ---- entities -----------------------------------------------------------------------------------

const audited = {
  id: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

const unitKind = z.enum(['headquarters', 'branch', 'subsidiary']);
const roleKind = z.enum(['system', 'business']);
const roleScope = z.enum(['global', 'unit', 'department']);
const memberStatus = z.enum(['active', 'left']);
const locale = z.enum(['zh-CN', 'en-US']);
const entityType = z.enum([
  'unit',
  'department',
  'divisionLeader',
  'post',
  'level',
  'member',
  'concurrentPost',
  'role',
  'roleAssignment',
]);

export const unitView = z
  .object({
    ...audited,
    code: z.string(),
    name: z.string(),
    kind: unitKind,
    timeZone: z.string(),
    sort: z.number(),
    enabled: z.boolean(),
  })
  .meta({ id: 'OrgUnit' });

export const departmentView = z
  .object({
    ...audited,
    unitId: z.string(),
    parentId: nullableId,
    name: z.string(),
    code: z.string(),
    sort: z.number(),
    enabled: z.boolean(),
    headMemberId: nullableId,
    /** Set on a department merged into another (it is disabled): where its people went. */
    mergedIntoId: nullableId,
  })
  .meta({ id: 'OrgDepartment' });

export type DepartmentNodeView = {
  id: string;
  unitId: string;
  parentId: string | null;
  name: string;
  code: string;
  sort: number;
  enabled: boolean;
  headMemberId: string | null;
  headName: string | null;
  mergedIntoId: string | null;
  version: number;
  children: DepartmentNodeView[];
};

export const departmentNodeView: z.ZodType<DepartmentNodeView> = z
  .object({
    id: z.string(),
    unitId: z.string(),
    parentId: nullableId,
    name: z.string(),
    code: z.string(),
    sort: z.number(),
    enabled: z.boolean(),
    headMemberId: nullableId,
    headName: z.string().nullable(),
    mergedIntoId: nullableId,
    version: z.number().int(),
    get children() {
      return z.array(departmentNodeView);
    },
  })
  .meta({ id: 'OrgDepartmentNode' });

const personRef = z.object({ id: z.string(), code: z.string(), name: z.string() });

export const departmentDetailView = departmentView
  .extend({
    head: personRef.nullable(),
    divisionLeaders: z.array(personRef),
    /** Active members whose main department this is (sub-departments and concurrent posts not counted). */
    memberCount: z.number().int(),
  })
  .meta({ id: 'OrgDepartmentDetail' });

export const divisionLeaderView = z.object({
  ...audited,
  departmentId: z.string(),
  memberId: z.string(),
  sort: z.number(),
});

export const postView = z
  .object({
    ...audited,
    unitId: nullableId,
    code: z.string(),
    name: z.string(),
    sort: z.number(),
    enabled: z.boolean(),
  })
  .meta({ id: 'OrgPost' });

export const levelView = z
  .object({ ...audited, code: z.string(), name: z.string(), rank: z.number() })
  .meta({ id: 'OrgLevel' });

export const memberView = z
  .object({
    ...audited,
    code: z.string(),
    name: z.string(),
    login: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    mainDepartmentId: z.string(),
    postId: nullableId,
    levelId: nullableId,
    supervisorId: nullableId,
    status: memberStatus,
    leftAt: z.string().nullable(),
    locale: z.string().nullable(),
    sort: z.number(),
  })
  .meta({ id: 'OrgMember' });

export const placementView = z.object({
  departmentId: z.string(),
  departmentName: z.string(),
  unitId: z.string(),
  postId: nullableId,
  levelId: nullableId,
  concurrent: z.boolean(),
});

export const heldRoleView = z.object({
  assignmentId: z.string(),
  roleId: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  scopeUnitId: nullableId,
  scopeDepartmentId: nullableId,
});

export const memberDetailView = memberView
  .extend({
    /** The main department first, then concurrent posts. */
    placements: z.array(placementView),
    roles: z.array(heldRoleView),
  })
  .meta({ id: 'OrgMemberDetail' });

export const concurrentPostView = z.object({
  ...audited,
  memberId: z.string(),
  departmentId: z.string(),
  postId: nullableId,
  levelId: nullableId,
  sort: z.number(),
});

export const roleView = z
  .object({
    ...audited,
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    kind: roleKind,
    scope: roleScope,
    scopeId: nullableId,
    description: z.string().nullable(),
    enabled: z.boolean(),
  })
  .meta({ id: 'OrgRole' });

export const roleAssignmentView = z.object({
  ...audited,
  roleId: z.string(),
  memberId: z.string(),
  scopeUnitId: nullableId,
  scopeDepartmentId: nullableId,
});

export const roleHolderView = z.object({
  assignmentId: z.string(),
  memberId: z.string(),
  code: z.string(),
  name: z.string(),
  status: memberStatus,
  scopeUnitId: nullableId,
  scopeDepartmentId: nullableId,
});

const actorView = z.object({
  kind: z.enum(['member', 'system', 'anonymous']),
  memberId: z.string().optional(),
  name: z.string().optional(),
});

export const changeView = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: actorView,
    actorMemberId: nullableId,
    entityType,
    entityId: z.string(),
    memberId: nullableId,
    /** create | update | move | merge | disable | enable | setHead | leave | unassign | delete … */
    action: z.string(),
    /** The operation that wrote the entry (mergeDepartments, memberLeaves …). */
    operation: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    /** Entries written by one operation share it. */
    batchId: z.string(),
  })
  .meta({ id: 'OrgChange' });

const moved = {
  movedMembers: z.array(z.string()),
  movedDepartments: z.array(z.string()),
  movedConcurrentPosts: z.array(z.string()),
  movedRoleAssignments: z.array(z.string()),
};

export const mergeResultView = z.object({
  source: departmentView,
  target: departmentView,
  ...moved,
  batchId: z.string(),
});

export const splitResultView = z.object({
  source: departmentView,
  department: departmentView,
  movedMembers: z.array(z.string()),
  movedConcurrentPosts: z.array(z.string()),
  movedDepartments: z.array(z.string()),
  batchId: z.string(),
});

export const disableResultView = z.object({
  department: departmentView,
  /** Every department this disabled (the sub-tree, with force). */
  disabled: z.array(z.string()),
  movedMembers: z.array(z.string()).optional(),
  movedDepartments: z.array(z.string()).optional(),
  movedConcurrentPosts: z.array(z.string()).optional(),
  movedRoleAssignments: z.array(z.string()).optional(),
  batchId: z.string(),
});

export const leaveResultView = z.object({
  member: memberView,
  successorId: nullableId,
  headships: z.array(z.string()),
  divisionLeaderships: z.array(z.string()),
  roleAssignments: z.array(z.string()),
  supervised: z.array(z.string()),
  removedConcurrentPosts: z.array(z.string()),
  handovers: z.record(
    z.string(),
    z.object({ held: z.number(), moved: z.number().optional(), detail: z.string().optional() }),
  ),
  batchId: z.string(),
});

/** Every collection is an object, so paging can be added without breaking clients. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const memberPageView = z.object({
  items: z.array(memberView),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

// ---- queries ------------------------------------------------------------------------------------

export const includeDisabledQuery = z.object({ includeDisabled: flag });
export const treeQuery = z.object({ unitId: uuid.optional(), includeDisabled: flag });
export const postsQuery = z.object({ unitId: uuid.optional(), includeDisabled: flag });
export const rolesQuery = z.object({ kind: roleKind.optional() });

/** Member pages are ordered by code; the cursor carries the last code seen, opaquely. */
export function encodeMemberCursor(code: string): string {
  return Buffer.from(JSON.stringify({ c: code }), 'utf8').toString('base64url');
}

const cursorPayload = z.strictObject({ c: z.string().min(1).max(64) });

const memberCursor = z
  .string()
  .max(200)
  .transform((value, context) => {
    try {
      const parsed = cursorPayload.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
      if (parsed.success) return parsed.data.c;
    } catch {
      // not base64url JSON: reported below
    }
    context.addIssue({ code: 'custom', message: 'not a cursor this server gave out' });
    return z.NEVER;
  });

export const MEMBER_PAGE_MAX = 200;

export const membersQuery = z.object({
  departmentId: uuid.optional(),
  withSubDepartments: flag,
  status: z.enum(['active', 'left', 'all']).default('active'),
  /** Part of a name, login or employee code. */
  search: searchText,
  cursor: memberCursor.optional(),
  limit: z.coerce.number().int().min(1).max(MEMBER_PAGE_MAX).default(50),
});

export const changesQuery = z.object({
  entityType: entityType.optional(),
  entityId: uuid.optional(),
  /** Entries concerning this member (their row, concurrent posts, role assignments, leaderships). */
  memberId: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

// ---- bodies -------------------------------------------------------------------------------------
// Texts are bounded here; their finer rules (code characters, login shape, time zones) are the engine's.

const code = z.string().trim().min(1).max(64);
const name = z.string().trim().min(1).max(200);
const sort = z.number().int();
const version = z.number().int().min(1);

export const createUnitBody = z.strictObject({
  code,
  name,
  kind: unitKind.optional(),
  /** IANA zone, default Asia/Shanghai. */
  timeZone: z.string().max(64).optional(),
  sort: sort.optional(),
});

export const updateUnitBody = z.strictObject({
  version,
  code: code.optional(),
  name: name.optional(),
  kind: unitKind.optional(),
  timeZone: z.string().max(64).optional(),
  sort: sort.optional(),
  enabled: z.boolean().optional(),
});

export const createDepartmentBody = z.strictObject({
  unitId: uuid,
  /** Omitted or null: a top-level department of the unit. */
  parentId: uuid.nullable().optional(),
  name,
  /** Unique within the unit, e.g. `10-00004`. */
  code,
  sort: sort.optional(),
  headMemberId: uuid.nullable().optional(),
});

export const updateDepartmentBody = z.strictObject({
  version,
  name: name.optional(),
  code: code.optional(),
  sort: sort.optional(),
});

export const moveDepartmentBody = z.strictObject({
  /** The new parent; null makes it a top-level department of its unit. */
  parentId: uuid.nullable(),
  sort: sort.optional(),
  version: version.optional(),
});

export const mergeDepartmentBody = z.strictObject({
  /** Receives the members, sub-departments, concurrent posts and department-scoped roles. */
  targetId: uuid,
  /** The source's version, to fail if it changed meanwhile. */
  version: version.optional(),
});

export const splitDepartmentBody = z.strictObject({
  /** The new sibling department. */
  name,
  code,
  /** Members to move (a main placement, or else a concurrent post, in the source). */
  memberIds: z.array(uuid).max(5_000).optional(),
  /** Direct sub-departments of the source to move under the new department. */
  departmentIds: z.array(uuid).max(1_000).optional(),
});

export const disableDepartmentBody = z.strictObject({
  /** Disable the whole sub-tree, members stay in place. */
  force: z.boolean().optional(),
  /** Move everything to this department first (a merge). */
  moveTo: uuid.optional(),
  version: version.optional(),
});

/** The body may be left out: a POST without one arrives as null. */
export const enableDepartmentBody = z.strictObject({ version: version.optional() }).nullish();

export const setHeadBody = z.strictObject({
  /** null clears the head. */
  memberId: uuid.nullable(),
  version: version.optional(),
});

export const setDivisionLeadersBody = z.strictObject({
  /** The complete new list, in order; empty clears it. */
  memberIds: z.array(uuid).max(50),
});

const email = z.string().trim().max(200).nullable().optional();
const phone = z.string().trim().max(32).nullable().optional();

export const createMemberBody = z.strictObject({
  /** Employee number, unique. */
  code,
  name,
  /** Unique; stored lower-case. */
  login: z.string().trim().min(2).max(64),
  email,
  phone,
  mainDepartmentId: uuid,
  postId: uuid.nullable().optional(),
  levelId: uuid.nullable().optional(),
  /** Overrides the head rule for this member's first supervisor. */
  supervisorId: uuid.nullable().optional(),
  locale: locale.nullable().optional(),
  sort: sort.optional(),
});

export const updateMemberBody = z.strictObject({
  version,
  code: code.optional(),
  name: name.optional(),
  login: z.string().trim().min(2).max(64).optional(),
  email,
  phone,
  supervisorId: uuid.nullable().optional(),
  locale: locale.nullable().optional(),
  sort: sort.optional(),
});

export const moveMemberBody = z.strictObject({
  /** New main department. */
  departmentId: uuid.optional(),
  /** New post; null clears it. */
  postId: uuid.nullable().optional(),
  /** New level; null clears it. */
  levelId: uuid.nullable().optional(),
  /** 工作交接: hand the member's pending approval tasks (and other open work) to this member. */
  successorId: uuid.optional(),
  version: version.optional(),
});

export const memberLeavesBody = z.strictObject({
  /** Receives headships, division leaderships and roles; required when the member holds any. */
  successorId: uuid.nullable().optional(),
  version: version.optional(),
});

export const addConcurrentPostBody = z.strictObject({
  departmentId: uuid,
  postId: uuid.nullable().optional(),
  levelId: uuid.nullable().optional(),
  sort: sort.optional(),
});

export const createPostBody = z.strictObject({
  code,
  name,
  /** Omitted or null: a group-wide post usable in every unit. */
  unitId: uuid.nullable().optional(),
  sort: sort.optional(),
});

export const updatePostBody = z.strictObject({
  version,
  code: code.optional(),
  name: name.optional(),
  sort: sort.optional(),
  enabled: z.boolean().optional(),
});

export const createLevelBody = z.strictObject({
  code,
  name,
  /** Lower number = more senior (总裁 10 … 专员 60). */
  rank: z.number().int(),
});

export const updateLevelBody = z.strictObject({
  version,
  code: code.optional(),
  name: name.optional(),
  rank: z.number().int().optional(),
});

const description = z.string().trim().max(2_000).nullable().optional();

export const createRoleBody = z.strictObject({
  /** ASCII identifier used by flows and packs, e.g. `financeDirector`. */
  code,
  /** zh-CN name. */
  name,
  nameEn: name.nullable().optional(),
  kind: roleKind.optional(),
  scope: roleScope.optional(),
  /** The unit or department of a unit- or department-scoped role. */
  scopeId: uuid.nullable().optional(),
  description,
});

export const updateRoleBody = z.strictObject({
  version,
  code: code.optional(),
  name: name.optional(),
  nameEn: name.nullable().optional(),
  scope: roleScope.optional(),
  scopeId: uuid.nullable().optional(),
  description,
  enabled: z.boolean().optional(),
});

export const assignRoleBody = z.strictObject({
  memberId: uuid,
  /** The holder serves only this unit … */
  scopeUnitId: uuid.nullable().optional(),
  /** … or only this department and below. */
  scopeDepartmentId: uuid.nullable().optional(),
});
