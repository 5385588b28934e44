import type { DbCtx } from '@baton/db';
import type {
  ConcurrentPost,
  Department,
  DivisionLeader,
  EntityType,
  Level,
  Member,
  Post,
  Role,
  RoleAssignment,
  Unit,
} from './model.ts';
import { createNamer, createRandom, pick } from './names.ts';
import { type Batch, fresh, recordChanges, runOp, tableOf } from './op.ts';

export type LargeOrgOptions = {
  departments?: number;
  /** Maximum depth of the tree; one branch always reaches it. */
  depth?: number;
  members?: number;
  seed?: number;
  /** Also write a change-log row per entity (default true), so as-of queries work on it. */
  changeLog?: boolean;
};

export type LargeOrgSummary = {
  unitId: string;
  departmentIds: string[];
  memberIds: string[];
  postIds: string[];
  levelIds: string[];
  roleCodes: string[];
  maxDepth: number;
  counts: {
    departments: number;
    members: number;
    posts: number;
    levels: number;
    roles: number;
    roleAssignments: number;
    concurrentPosts: number;
    divisionLeaders: number;
  };
};

// Both databases take this many rows per INSERT comfortably (parameters stay far below the SQLite and
// PostgreSQL limits for the widest org row).
const CHUNK = 500;

async function insertMany(batch: Batch, entityType: EntityType, rows: object[], log: boolean): Promise<void> {
  const db = batch.ctx.db;
  for (let start = 0; start < rows.length; start += CHUNK) {
    // biome-ignore lint/suspicious/noExplicitAny: rows are the public shapes, which match the columns
    await (db as any)
      .insertInto(tableOf[entityType])
      .values(rows.slice(start, start + CHUNK))
      .execute();
  }
  if (log) {
    await recordChanges(
      batch,
      (rows as Array<{ id: string }>).map((row) => ({
        entityType,
        entityId: row.id,
        action: 'create',
        before: null,
        after: row,
      })),
    );
  }
}

const departmentWords = [
  '研发',
  '产品',
  '运营',
  '市场',
  '销售',
  '客服',
  '财务',
  '人力',
  '法务',
  '数据',
  '平台',
  '安全',
  '增长',
  '渠道',
];

/**
 * A large synthetic org for tests and benchmarks (DIDI-2 scale and beyond): one unit, `departments`
 * departments (default 1,000) at most `depth` deep (default 6), `members` members (default 10,000), every
 * department headed, division leaders on top-level departments, ~2 % concurrent posts, ~0.5 % supervisor
 * overrides, 20 roles with unscoped, unit- and department-scoped holders. Rows go in with multi-row
 * INSERTs inside one transaction, bypassing per-row checks (the generator builds only valid data).
 */
export async function buildLargeOrg(ctx: DbCtx, options: LargeOrgOptions = {}): Promise<LargeOrgSummary> {
  const departmentCount = Math.max(1, options.departments ?? 1_000);
  const maxDepth = Math.max(1, options.depth ?? 6);
  const memberCount = Math.max(1, options.members ?? 10_000);
  const seed = options.seed ?? 1;
  const log = options.changeLog ?? true;
  const random = createRandom(seed);
  const nextName = createNamer(random);
  const prefix = `lg${seed}`;

  return runOp(ctx, 'buildLargeOrg', async (batch) => {
    const unit: Unit = {
      ...fresh(batch),
      code: prefix,
      name: `规模测试集团 ${seed}`,
      kind: 'headquarters',
      timeZone: 'Asia/Shanghai',
      sort: 1_000 + seed,
      enabled: true,
    };
    await insertMany(batch, 'unit', [unit], log);

    const levelNames: Array<[string, number]> = [
      ['总裁', 10],
      ['副总裁', 20],
      ['总监', 30],
      ['经理', 40],
      ['主管', 50],
      ['专员', 60],
      ['助理', 70],
    ];
    const levels: Level[] = levelNames.map(([name, rank]) => ({
      ...fresh(batch),
      code: `${prefix}-L${rank}`,
      name,
      rank,
    }));
    await insertMany(batch, 'level', levels, log);
    const levelByRank = new Map(levels.map((level) => [level.rank, level.id]));
    const posts: Post[] = Array.from({ length: 30 }, (_, i) => ({
      ...fresh(batch),
      unitId: null,
      code: `${prefix}-P${String(i + 1).padStart(2, '0')}`,
      name: `岗位${i + 1}`,
      sort: (i + 1) * 10,
      enabled: true,
    }));
    await insertMany(batch, 'post', posts, log);

    // The tree: one chain reaching maxDepth, a few more top-level departments, then random attachment
    // to any department above the maximum depth.
    const departments: Department[] = [];
    const depthOf: number[] = [];
    const eligible: number[] = [];
    const topLevel = Math.min(departmentCount, maxDepth + 9);
    for (let i = 0; i < departmentCount; i++) {
      let parentIndex: number | null;
      if (i < maxDepth) parentIndex = i === 0 ? null : i - 1;
      else if (i < topLevel || eligible.length === 0) parentIndex = null;
      else parentIndex = pick(random, eligible);
      const depth = parentIndex === null ? 1 : (depthOf[parentIndex] as number) + 1;
      depthOf.push(depth);
      if (depth < maxDepth) eligible.push(i);
      departments.push({
        ...fresh(batch),
        unitId: unit.id,
        parentId: parentIndex === null ? null : (departments[parentIndex] as Department).id,
        name: `${pick(random, departmentWords)}${i + 1}部`,
        code: `${prefix}-${String(i + 1).padStart(5, '0')}`,
        sort: i * 10 + Math.floor(random() * 5),
        enabled: true,
        headMemberId: null,
        mergedIntoId: null,
      });
    }

    // Members: the first one of each department becomes its head; the rest are spread at random.
    const members: Member[] = [];
    for (let i = 0; i < memberCount; i++) {
      const departmentIndex = i < departmentCount ? i : Math.floor(random() * departmentCount);
      const department = departments[departmentIndex] as Department;
      const head = i < departmentCount;
      const depth = depthOf[departmentIndex] as number;
      const rank = head ? Math.min(30 + (depth - 1) * 10, 50) : random() < 0.1 ? 50 : 60;
      const { name, login } = nextName();
      members.push({
        ...fresh(batch),
        code: `${prefix}-${String(i + 1).padStart(6, '0')}`,
        name,
        login: `${prefix}.${login}`,
        email: null,
        phone: null,
        mainDepartmentId: department.id,
        postId: (pick(random, posts) as Post).id,
        levelId: levelByRank.get(rank) ?? null,
        supervisorId: null,
        status: 'active',
        leftAt: null,
        locale: null,
        sort: i,
      });
      if (head) department.headMemberId = members[i]?.id ?? null;
    }
    // Overrides point at heads (never at the member themself).
    const heads = members.slice(0, Math.min(departmentCount, memberCount));
    for (const member of members) {
      if (random() < 0.005) {
        const supervisor = pick(random, heads);
        if (supervisor.id !== member.id) member.supervisorId = supervisor.id;
      }
    }
    // Departments go in parents first (they were generated in that order) and without heads, members
    // next, then the heads are known: write departments with heads after the members exist.
    const headsByDepartment = departments.map((d) => d.headMemberId);
    await insertMany(
      batch,
      'department',
      departments.map((d) => ({ ...d, headMemberId: null })),
      false,
    );
    // Overrides may point at a member of a later INSERT chunk: set them once every member exists.
    await insertMany(
      batch,
      'member',
      members.map((m) => ({ ...m, supervisorId: null })),
      false,
    );
    for (const member of members) {
      if (!member.supervisorId) continue;
      await batch.ctx.db
        .updateTable('baton_org_member')
        .set({ supervisorId: member.supervisorId })
        .where('id', '=', member.id)
        .execute();
    }
    for (const [index, department] of departments.entries()) {
      const headId = headsByDepartment[index];
      if (headId) {
        await batch.ctx.db
          .updateTable('baton_org_department')
          .set({ headMemberId: headId })
          .where('id', '=', department.id)
          .execute();
      }
    }
    if (log) {
      await recordChanges(
        batch,
        departments.map((d) => ({
          entityType: 'department',
          entityId: d.id,
          action: 'create',
          before: null,
          after: d,
        })),
      );
      await recordChanges(
        batch,
        members.map((m) => ({ entityType: 'member', entityId: m.id, action: 'create', before: null, after: m })),
      );
    }

    // Division leaders: the first members of the root department act as executives.
    const topIndexes = departments.map((d, i) => (d.parentId === null ? i : -1)).filter((i) => i >= 0);
    const executives = members.filter((m) => m.mainDepartmentId === departments[0]?.id).slice(0, 6);
    const divisionLeaders: DivisionLeader[] = executives.length
      ? topIndexes.map((index, n) => ({
          ...fresh(batch),
          departmentId: (departments[index] as Department).id,
          memberId: (executives[n % executives.length] as Member).id,
          sort: 10,
        }))
      : [];
    await insertMany(batch, 'divisionLeader', divisionLeaders, log);

    const concurrentPosts: ConcurrentPost[] = [];
    for (const member of members) {
      if (random() >= 0.02 || departmentCount < 2) continue;
      let department = pick(random, departments);
      if (department.id === member.mainDepartmentId)
        department = departments[(departments.indexOf(department) + 1) % departmentCount] as Department;
      concurrentPosts.push({
        ...fresh(batch),
        memberId: member.id,
        departmentId: department.id,
        postId: (pick(random, posts) as Post).id,
        levelId: levelByRank.get(60) ?? null,
        sort: 0,
      });
    }
    await insertMany(batch, 'concurrentPost', concurrentPosts, log);

    const roles: Role[] = Array.from({ length: 20 }, (_, i) => ({
      ...fresh(batch),
      code: `${prefix}Role${String(i + 1).padStart(2, '0')}`,
      name: `角色${i + 1}`,
      nameEn: `Role ${i + 1}`,
      kind: 'business',
      scope: 'global',
      scopeId: null,
      description: null,
      enabled: true,
    }));
    await insertMany(batch, 'role', roles, log);
    const assignments: RoleAssignment[] = [];
    const assign = (role: Role, member: Member, scope: { unit?: string; department?: string } = {}) =>
      assignments.push({
        ...fresh(batch),
        roleId: role.id,
        memberId: member.id,
        scopeUnitId: scope.unit ?? null,
        scopeDepartmentId: scope.department ?? null,
      });
    for (const [index, role] of roles.entries()) {
      const kind = index % 4;
      if (kind === 3) {
        // Department-scoped holders: one per top-level department (e.g. attendance clerks).
        for (const top of topIndexes) {
          const department = departments[top] as Department;
          assign(role, members[top] as Member, { department: department.id });
        }
      } else {
        const holders = new Set<Member>();
        const count = 5 + Math.floor(random() * 45);
        while (holders.size < Math.min(count, members.length)) holders.add(pick(random, members));
        for (const member of holders) assign(role, member, kind === 2 ? { unit: unit.id } : {});
      }
    }
    await insertMany(batch, 'roleAssignment', assignments, log);

    return {
      unitId: unit.id,
      departmentIds: departments.map((d) => d.id),
      memberIds: members.map((m) => m.id),
      postIds: posts.map((p) => p.id),
      levelIds: levels.map((l) => l.id),
      roleCodes: roles.map((r) => r.code),
      maxDepth: Math.max(...depthOf),
      counts: {
        departments: departments.length,
        members: members.length,
        posts: posts.length,
        levels: levels.length,
        roles: roles.length,
        roleAssignments: assignments.length,
        concurrentPosts: concurrentPosts.length,
        divisionLeaders: divisionLeaders.length,
      },
    };
  });
}
