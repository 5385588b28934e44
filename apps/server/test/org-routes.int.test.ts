import { accessMigrations, queryAudit, verifyAuditChain } from '@baton/access';
import { newId, silentLogger } from '@baton/core';
import { orgMigrations } from '@baton/org';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatonServer, buildServer, type Gate, orgRoutes } from '../src/index.ts';

// The Organisation API over HTTP, on SQLite or (TEST_DATABASE_URL) PostgreSQL, behind a stand-in gate:
// callers by the x-test-member header, permissions from the table below.

const ADMIN = newId();
const WRITER = newId();
const READER = newId();
const permissions: Record<string, string[]> = {
  [ADMIN]: ['org.read', 'org.write', 'org.role.write'],
  [WRITER]: ['org.write'],
  [READER]: [],
};

const gate: Gate = {
  identify: async (request) => {
    const memberId = request.headers['x-test-member'];
    return typeof memberId === 'string' && memberId in permissions ? { memberId, via: 'token' } : null;
  },
  checkCsrf: async () => {},
  allows: async (caller, permission) => (permissions[caller.memberId] ?? []).includes(permission),
};

let database: TestDatabase;
let app: BatonServer;
/** Every JSON body the API answered with, for the no-credentials check. */
const bodies: unknown[] = [];

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [orgMigrations, accessMigrations] });
  app = await buildServer({ logger: silentLogger(), readiness: {}, routes: [orgRoutes({ db: database.db })], gate });
});

afterAll(async () => {
  await app?.close();
  await database?.cleanup();
});

type Call = { as?: string | null; body?: unknown; headers?: Record<string, string> };

async function call(method: InjectOptions['method'], url: string, options: Call = {}): Promise<LightMyRequestResponse> {
  const { as = ADMIN, body, headers = {} } = options;
  const res = await app.inject({
    method,
    url: `/api/org${url}`,
    headers: { 'accept-language': 'en-US', ...(as ? { 'x-test-member': as } : {}), ...headers },
    ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
  });
  if (res.body && /json/.test(String(res.headers['content-type']))) bodies.push(res.json());
  return res;
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely; their shapes are the assertions
type Json = Record<string, any>;

/** The response body after asserting the status (the body is shown when it differs). */
async function ok<T = Json>(res: Promise<LightMyRequestResponse>, status = 200): Promise<T> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r.json() as T;
}

async function problem(res: Promise<LightMyRequestResponse>, status: number, code: string) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = r.json();
  expect(body.code).toBe(code);
  return body as { code: string; detail: string; fields?: Array<{ path: string; code: string; message: string }> };
}

let n = 0;
const next = (prefix: string) => `${prefix}${String(++n).padStart(4, '0')}`;

const createUnit = () => ok(call('POST', '/units', { body: { code: next('U'), name: next('单位') } }), 201);

const createDepartment = (unitId: string, parentId: string | null, extra: Record<string, unknown> = {}) =>
  ok(call('POST', '/departments', { body: { unitId, parentId, name: next('部门'), code: next('D-'), ...extra } }), 201);

const createMember = (mainDepartmentId: string, extra: Record<string, unknown> = {}) => {
  const code = next('E');
  return ok(
    call('POST', '/members', {
      body: { code, name: `成员${code}`, login: code.toLowerCase(), mainDepartmentId, ...extra },
    }),
    201,
  );
};

type Node = { id: string; code: string; name: string; enabled: boolean; headName: string | null; children: Node[] };

/** The tree as nested codes, e.g. `A(B(D),C)`, for compact assertions. */
function shape(nodes: Node[], label: (node: Node) => string): string {
  return nodes.map((node) => label(node) + (node.children.length ? `(${shape(node.children, label)})` : '')).join(',');
}

async function treeOf(unitId: string, query = ''): Promise<Node[]> {
  return (await ok<{ items: Node[] }>(call('GET', `/departments/tree?unitId=${unitId}${query}`, { as: READER }))).items;
}

async function auditCount(): Promise<number> {
  const ctx = testCtx(database.db);
  let count = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await queryAudit(ctx, { action: 'org.*', limit: 500, cursor });
    count += page.items.length;
    if (!page.nextCursor) return count;
    cursor = page.nextCursor;
  }
}

describe('units, posts and levels', () => {
  it('creates, lists and updates with optimistic versions', async () => {
    const unit = await createUnit();
    expect(unit).toMatchObject({ enabled: true, timeZone: 'Asia/Shanghai', version: 1 });
    const units = await ok(call('GET', '/units', { as: READER }));
    expect(units.items.map((u: { id: string }) => u.id)).toContain(unit.id);

    const renamed = await ok(call('PATCH', `/units/${unit.id}`, { body: { version: 1, name: '新名称' } }));
    expect(renamed).toMatchObject({ name: '新名称', version: 2 });
    await problem(
      call('PATCH', `/units/${unit.id}`, { body: { version: 1, name: '过期' } }),
      409,
      'DB_VERSION_CONFLICT',
    );

    const post = await ok(
      call('POST', '/posts', { body: { code: next('P'), name: '销售人员', unitId: unit.id } }),
      201,
    );
    const posts = await ok(call('GET', `/posts?unitId=${unit.id}`, { as: READER }));
    expect(posts.items.map((p: { id: string }) => p.id)).toContain(post.id);
    await ok(call('PATCH', `/posts/${post.id}`, { body: { version: 1, enabled: false } }));
    const enabledPosts = await ok(call('GET', `/posts?unitId=${unit.id}`, { as: READER }));
    expect(enabledPosts.items.map((p: { id: string }) => p.id)).not.toContain(post.id);
    const allPosts = await ok(call('GET', `/posts?unitId=${unit.id}&includeDisabled=true`, { as: READER }));
    expect(allPosts.items.map((p: { id: string }) => p.id)).toContain(post.id);

    const junior = await ok(call('POST', '/levels', { body: { code: next('L'), name: '专员', rank: 60 } }), 201);
    const senior = await ok(call('POST', '/levels', { body: { code: next('L'), name: '总监', rank: 30 } }), 201);
    const levels = (await ok(call('GET', '/levels', { as: READER }))).items.map((l: { id: string }) => l.id);
    expect(levels.indexOf(senior.id)).toBeLessThan(levels.indexOf(junior.id));
    expect(await ok(call('PATCH', `/levels/${junior.id}`, { body: { version: 1, rank: 50 } }))).toMatchObject({
      rank: 50,
    });
  });

  it('reports a duplicate code with its field', async () => {
    const unit = await createUnit();
    const body = await problem(
      call('POST', '/units', { body: { code: unit.code, name: 'x' } }),
      409,
      'ORG_DUPLICATE_CODE',
    );
    expect(body.fields).toEqual([expect.objectContaining({ path: 'code', code: 'duplicate' })]);
    expect(body.detail).toContain(unit.code);
  });
});

describe('department tree', () => {
  it('follows create, move, merge, disable and enable', async () => {
    const unit = await createUnit();
    const A = await createDepartment(unit.id, null, { code: 'A' });
    const B = await createDepartment(unit.id, A.id, { code: 'B', sort: 20 });
    const C = await createDepartment(unit.id, A.id, { code: 'C', sort: 10 });
    const D = await createDepartment(unit.id, B.id, { code: 'D' });
    const code = (node: Node) => node.code;
    // siblings by sort, then code
    expect(shape(await treeOf(unit.id), code)).toBe('A(C,B(D))');

    const moved = await ok(call('POST', `/departments/${D.id}/move`, { body: { parentId: C.id, version: D.version } }));
    expect(moved).toMatchObject({ parentId: C.id, version: D.version + 1 });
    expect(shape(await treeOf(unit.id), code)).toBe('A(C(D),B)');

    // a department can never go below itself
    await problem(call('POST', `/departments/${A.id}/move`, { body: { parentId: D.id } }), 422, 'ORG_DEPARTMENT_CYCLE');

    const member = await createMember(B.id);
    const merged = await ok(call('POST', `/departments/${B.id}/merge`, { body: { targetId: C.id } }));
    expect(merged.source).toMatchObject({ id: B.id, enabled: false, mergedIntoId: C.id });
    expect(merged.movedMembers).toEqual([member.id]);
    expect(shape(await treeOf(unit.id), code)).toBe('A(C(D))');
    const withDisabled = await treeOf(unit.id, '&includeDisabled=true');
    expect(shape(withDisabled, (node) => `${node.code}${node.enabled ? '' : '-'}`)).toBe('A(C(D),B-)');

    // C now has a member and a child: disabling needs force (or moveTo)
    const refused = await problem(
      call('POST', `/departments/${C.id}/disable`, { body: {} }),
      422,
      'ORG_DEPARTMENT_NOT_EMPTY',
    );
    expect(refused.detail).toMatch(/1 active member/);
    const disabled = await ok(call('POST', `/departments/${C.id}/disable`, { body: { force: true } }));
    expect(new Set(disabled.disabled)).toEqual(new Set([C.id, D.id]));
    expect(shape(await treeOf(unit.id), code)).toBe('A');

    const enabled = await ok(call('POST', `/departments/${C.id}/enable`));
    expect(enabled).toMatchObject({ id: C.id, enabled: true });
    expect(shape(await treeOf(unit.id), code)).toBe('A(C)');
  });

  it('splits a department and renames with the version', async () => {
    const unit = await createUnit();
    const top = await createDepartment(unit.id, null);
    const sales = await createDepartment(unit.id, top.id, { code: 'S1' });
    const team = await createDepartment(unit.id, sales.id, { code: 'S1-T' });
    const stay = await createMember(sales.id);
    const go = await createMember(sales.id);
    const split = await ok(
      call('POST', `/departments/${sales.id}/split`, {
        body: { name: '大客户部', code: 'S2', memberIds: [go.id], departmentIds: [team.id] },
      }),
    );
    expect(split.department).toMatchObject({ code: 'S2', parentId: top.id });
    expect(split.movedMembers).toEqual([go.id]);
    expect(shape(await treeOf(unit.id), (node) => node.code)).toMatch(/\(S1,S2\(S1-T\)\)$/);
    const staying = await ok(call('GET', `/members?departmentId=${sales.id}`, { as: READER }));
    expect(staying.items.map((m: { id: string }) => m.id)).toEqual([stay.id]);

    const renamed = await ok(
      call('PATCH', `/departments/${sales.id}`, { body: { version: split.source.version, name: '渠道部' } }),
    );
    expect(renamed.name).toBe('渠道部');
    await problem(
      call('PATCH', `/departments/${sales.id}`, { body: { version: split.source.version, name: '旧' } }),
      409,
      'DB_VERSION_CONFLICT',
    );
    // the code is unique within the unit
    await problem(
      call('PATCH', `/departments/${sales.id}`, { body: { version: renamed.version, code: 'S2' } }),
      409,
      'ORG_DUPLICATE_CODE',
    );
  });
});

describe('head and division leaders', () => {
  it('shows the head in the tree and the detail, with leaders and member count', async () => {
    const unit = await createUnit();
    const dept = await createDepartment(unit.id, null);
    const child = await createDepartment(unit.id, dept.id);
    const head = await createMember(dept.id);
    const other = await createMember(dept.id);
    await createMember(child.id);
    const leader1 = await createMember(child.id);
    const leader2 = await createMember(child.id);

    const updated = await ok(call('PUT', `/departments/${dept.id}/head`, { body: { memberId: head.id } }));
    expect(updated.headMemberId).toBe(head.id);
    const leaders = await ok(
      call('PUT', `/departments/${dept.id}/division-leaders`, { body: { memberIds: [leader2.id, leader1.id] } }),
    );
    expect(leaders.items.map((l: { memberId: string }) => l.memberId)).toEqual([leader2.id, leader1.id]);

    const detail = await ok(call('GET', `/departments/${dept.id}`, { as: READER }));
    expect(detail).toMatchObject({
      id: dept.id,
      head: { id: head.id, name: head.name, code: head.code },
      divisionLeaders: [
        { id: leader2.id, name: leader2.name },
        { id: leader1.id, name: leader1.name },
      ],
      memberCount: 2,
    });
    const [root] = await treeOf(unit.id);
    expect(root).toMatchObject({ id: dept.id, headMemberId: head.id, headName: head.name });
    expect(root?.children[0]).toMatchObject({ id: child.id, headName: null });

    await problem(
      call('PUT', `/departments/${dept.id}/division-leaders`, { body: { memberIds: [other.id, other.id] } }),
      400,
      'CORE_VALIDATION_FAILED',
    );
    await ok(call('PUT', `/departments/${dept.id}/head`, { body: { memberId: null } }));
    expect((await ok(call('GET', `/departments/${dept.id}`, { as: READER }))).head).toBeNull();
  });
});

describe('members', () => {
  it('lists by department, sub-departments, status and search, page by page', async () => {
    const unit = await createUnit();
    const top = await createDepartment(unit.id, null);
    const sub = await createDepartment(unit.id, top.id);
    const inTop = [];
    for (let i = 0; i < 5; i += 1) inTop.push(await createMember(top.id));
    const inSub = await createMember(sub.id, { name: '诸葛亮' });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/members?departmentId=${top.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = await ok(
        call('GET', query, { as: READER }),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(inTop.map((m) => m.id));

    const withSub = await ok(call('GET', `/members?departmentId=${top.id}&withSubDepartments=true&limit=200`));
    expect(withSub.items).toHaveLength(6);
    expect(withSub.nextCursor).toBeNull();

    const found = await ok(call('GET', `/members?search=${encodeURIComponent('诸葛')}`, { as: READER }));
    expect(found.items.map((m: { id: string }) => m.id)).toEqual([inSub.id]);
    const byCode = await ok(call('GET', `/members?search=${inSub.code}`, { as: READER }));
    expect(byCode.items.map((m: { id: string }) => m.id)).toEqual([inSub.id]);

    await ok(call('POST', `/members/${inSub.id}/leave`, { body: {} }));
    const active = await ok(call('GET', `/members?departmentId=${sub.id}`, { as: READER }));
    expect(active.items).toEqual([]);
    const left = await ok(call('GET', `/members?departmentId=${sub.id}&status=left`, { as: READER }));
    expect(left.items).toEqual([expect.objectContaining({ id: inSub.id, status: 'left' })]);

    const badCursor = await problem(
      call('GET', '/members?cursor=bm9wZQ', { as: READER }),
      400,
      'CORE_VALIDATION_FAILED',
    );
    expect(badCursor.fields?.map((f) => f.path)).toEqual(['query.cursor']);
    const tooMany = await problem(call('GET', '/members?limit=201', { as: READER }), 400, 'CORE_VALIDATION_FAILED');
    expect(tooMany.fields?.map((f) => f.path)).toEqual(['query.limit']);
  });

  it('moves a member, adds and ends a concurrent post, and shows placements and roles', async () => {
    const unit = await createUnit();
    const from = await createDepartment(unit.id, null);
    const to = await createDepartment(unit.id, null);
    const side = await createDepartment(unit.id, null);
    const level = await ok(call('POST', '/levels', { body: { code: next('L'), name: '经理', rank: 40 } }), 201);
    const member = await createMember(from.id);

    const moved = await ok(
      call('POST', `/members/${member.id}/move`, { body: { departmentId: to.id, levelId: level.id, version: 1 } }),
    );
    expect(moved).toMatchObject({ mainDepartmentId: to.id, levelId: level.id, version: 2 });

    const post = await ok(
      call('POST', `/members/${member.id}/concurrent-posts`, { body: { departmentId: side.id } }),
      201,
    );
    expect(post).toMatchObject({ memberId: member.id, departmentId: side.id });
    await problem(
      call('POST', `/members/${member.id}/concurrent-posts`, { body: { departmentId: to.id } }),
      409,
      'ORG_CONCURRENT_POST_EXISTS',
    );

    const role = await ok(call('POST', '/roles', { body: { code: next('auditor'), name: '审计员' } }), 201);
    await ok(call('POST', `/roles/${role.id}/assignments`, { body: { memberId: member.id } }), 201);

    const detail = await ok(call('GET', `/members/${member.id}`, { as: READER }));
    expect(detail).toMatchObject({ id: member.id, mainDepartmentId: to.id });
    expect(detail.placements).toEqual([
      {
        departmentId: to.id,
        departmentName: to.name,
        unitId: unit.id,
        postId: null,
        levelId: level.id,
        concurrent: false,
      },
      {
        departmentId: side.id,
        departmentName: side.name,
        unitId: unit.id,
        postId: null,
        levelId: null,
        concurrent: true,
      },
    ]);
    expect(detail.roles).toEqual([expect.objectContaining({ roleId: role.id, code: role.code, name: '审计员' })]);

    const ended = await call('DELETE', `/members/${member.id}/concurrent-posts/${side.id}`);
    expect(ended.statusCode, ended.body).toBe(204);
    expect(ended.body).toBe('');
    await problem(
      call('DELETE', `/members/${member.id}/concurrent-posts/${side.id}`),
      404,
      'ORG_CONCURRENT_POST_NOT_FOUND',
    );

    const patched = await ok(
      call('PATCH', `/members/${member.id}`, { body: { version: moved.version, email: 'li@example.com' } }),
    );
    expect(patched.email).toBe('li@example.com');
  });

  it('needs a successor to leave while holding duties, and hands them over', async () => {
    const unit = await createUnit();
    const dept = await createDepartment(unit.id, null);
    const leaving = await createMember(dept.id);
    const successor = await createMember(dept.id);
    await ok(call('PUT', `/departments/${dept.id}/head`, { body: { memberId: leaving.id } }));
    const role = await ok(call('POST', '/roles', { body: { code: next('finance'), name: '财务' } }), 201);
    await ok(call('POST', `/roles/${role.id}/assignments`, { body: { memberId: leaving.id } }), 201);

    const refused = await problem(
      call('POST', `/members/${leaving.id}/leave`, { body: {} }),
      422,
      'ORG_SUCCESSOR_REQUIRED',
    );
    expect(refused.fields).toEqual([expect.objectContaining({ path: 'successorId', code: 'required' })]);
    await problem(
      call('POST', `/members/${leaving.id}/leave`, { body: { successorId: leaving.id } }),
      422,
      'ORG_SUCCESSOR_INVALID',
    );

    const result = await ok(call('POST', `/members/${leaving.id}/leave`, { body: { successorId: successor.id } }));
    expect(result).toMatchObject({ successorId: successor.id, headships: [dept.id] });
    expect(result.member).toMatchObject({ id: leaving.id, status: 'left' });
    expect(result.roleAssignments).toHaveLength(1);

    expect((await ok(call('GET', `/departments/${dept.id}`))).head.id).toBe(successor.id);
    const holders = await ok(call('GET', `/roles/${role.id}/members`, { as: READER }));
    expect(holders.items.map((h: { memberId: string }) => h.memberId)).toEqual([successor.id]);
    await problem(call('POST', `/members/${leaving.id}/leave`, { body: {} }), 422, 'ORG_MEMBER_LEFT');
  });
});

describe('roles', () => {
  it('creates roles, assigns and unassigns, scoped to the role in the path', async () => {
    const unit = await createUnit();
    const dept = await createDepartment(unit.id, null);
    const member = await createMember(dept.id);
    const role = await ok(
      call('POST', '/roles', { body: { code: next('hrbp'), name: 'HRBP', nameEn: 'HR business partner' } }),
      201,
    );
    const otherRole = await ok(call('POST', '/roles', { body: { code: next('legal'), name: '法务' } }), 201);
    expect((await ok(call('GET', '/roles', { as: READER }))).items.map((r: { id: string }) => r.id)).toContain(role.id);

    const assignment = await ok(
      call('POST', `/roles/${role.id}/assignments`, { body: { memberId: member.id, scopeDepartmentId: dept.id } }),
      201,
    );
    expect(assignment).toMatchObject({ roleId: role.id, memberId: member.id, scopeDepartmentId: dept.id });
    await problem(
      call('POST', `/roles/${role.id}/assignments`, { body: { memberId: member.id, scopeDepartmentId: dept.id } }),
      409,
      'ORG_ROLE_ASSIGNMENT_EXISTS',
    );
    const holders = await ok(call('GET', `/roles/${role.id}/members`, { as: READER }));
    expect(holders.items).toEqual([
      {
        assignmentId: assignment.id,
        memberId: member.id,
        code: member.code,
        name: member.name,
        status: 'active',
        scopeUnitId: null,
        scopeDepartmentId: dept.id,
      },
    ]);

    // an assignment of one role cannot be ended through another role's address
    await problem(
      call('DELETE', `/roles/${otherRole.id}/assignments/${assignment.id}`),
      404,
      'ORG_ROLE_ASSIGNMENT_NOT_FOUND',
    );
    const removed = await call('DELETE', `/roles/${role.id}/assignments/${assignment.id}`);
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await ok(call('GET', `/roles/${role.id}/members`))).items).toEqual([]);

    const renamed = await ok(call('PATCH', `/roles/${role.id}`, { body: { version: 1, name: '人力伙伴' } }));
    expect(renamed).toMatchObject({ name: '人力伙伴', version: 2 });
    await problem(call('GET', `/roles/${newId()}/members`), 404, 'ORG_ROLE_NOT_FOUND');

    // org.write alone does not reach roles
    await problem(
      call('POST', `/roles/${role.id}/assignments`, { as: WRITER, body: { memberId: member.id } }),
      403,
      'CORE_FORBIDDEN',
    );
  });
});

describe('coded errors as problem+json', () => {
  it('answers unknown ids with the entity not-found code', async () => {
    await problem(call('GET', `/departments/${newId()}`), 404, 'ORG_DEPARTMENT_NOT_FOUND');
    await problem(call('GET', `/members/${newId()}`), 404, 'ORG_MEMBER_NOT_FOUND');
    await problem(call('GET', `/departments/tree?unitId=${newId()}`), 404, 'ORG_UNIT_NOT_FOUND');
    await problem(call('PATCH', `/levels/${newId()}`, { body: { version: 1 } }), 404, 'ORG_LEVEL_NOT_FOUND');
    await problem(call('POST', `/departments/${newId()}/enable`), 404, 'ORG_DEPARTMENT_NOT_FOUND');
  });

  it('reports validation problems with field paths, the engine’s and the schema’s', async () => {
    const unit = await createUnit();
    const dept = await createDepartment(unit.id, null);
    const schema = await problem(
      call('POST', '/members', { body: { code: 'E1', login: 'x1', mainDepartmentId: dept.id, email: 7 } }),
      400,
      'CORE_VALIDATION_FAILED',
    );
    expect(schema.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'name', code: 'required' }),
        expect.objectContaining({ path: 'email', code: 'invalid_type' }),
      ]),
    );
    // shape passes here, meaning is the engine's: a login with spaces, an e-mail without @
    const engine = await problem(
      call('POST', '/members', {
        body: { code: 'E1', name: '张三', login: 'has space', email: 'nope', mainDepartmentId: dept.id },
      }),
      400,
      'CORE_VALIDATION_FAILED',
    );
    expect(engine.fields?.map((f) => f.path).sort()).toEqual(['email', 'login']);
    const nested = await problem(
      call('POST', `/departments/${dept.id}/split`, { body: { name: 'x', code: 'y', memberIds: ['nope'] } }),
      400,
      'CORE_VALIDATION_FAILED',
    );
    expect(nested.fields?.map((f) => f.path)).toEqual(['memberIds.0']);
  });

  it('refuses unknown body keys', async () => {
    const body = await problem(
      call('POST', '/units', { body: { code: next('U'), name: 'x', enabled: false, isAdmin: true } }),
      400,
      'CORE_VALIDATION_FAILED',
    );
    expect(body.fields).toEqual([
      expect.objectContaining({ path: 'enabled', code: 'unrecognized_key' }),
      expect.objectContaining({ path: 'isAdmin', code: 'unrecognized_key' }),
    ]);
    // an update cannot smuggle an id or a version bump for another row
    const unit = await createUnit();
    await problem(
      call('PATCH', `/units/${unit.id}`, { body: { version: 1, id: newId() } }),
      400,
      'CORE_VALIDATION_FAILED',
    );
    await problem(call('PATCH', `/units/${unit.id}`, { body: { name: 'x' } }), 400, 'CORE_VALIDATION_FAILED');
  });

  it('rolls a refused write back: no change-log entry, no audit row', async () => {
    const unit = await createUnit();
    const top = await createDepartment(unit.id, null);
    const below = await createDepartment(unit.id, top.id);
    const audits = await auditCount();
    const changes = (await ok(call('GET', `/changes?entityId=${top.id}`))).items.length;
    await problem(
      call('POST', `/departments/${top.id}/move`, { body: { parentId: below.id } }),
      422,
      'ORG_DEPARTMENT_CYCLE',
    );
    expect(await auditCount()).toBe(audits);
    expect((await ok(call('GET', `/changes?entityId=${top.id}`))).items).toHaveLength(changes);
  });
});

describe('change log and audit', () => {
  it('lists who changed what, with before and after, to org.read holders only', async () => {
    const unit = await createUnit();
    const dept = await createDepartment(unit.id, null);
    const target = await createDepartment(unit.id, null);
    await ok(call('PATCH', `/departments/${dept.id}`, { as: WRITER, body: { version: 1, name: '改名后' } }));
    await ok(call('POST', `/departments/${dept.id}/move`, { body: { parentId: target.id } }));

    const log = await ok(call('GET', `/changes?entityType=department&entityId=${dept.id}`));
    expect(log.items.map((c: { action: string }) => c.action)).toEqual(['create', 'update', 'move']);
    const update = log.items[1];
    expect(update).toMatchObject({
      actor: { kind: 'member', memberId: WRITER },
      actorMemberId: WRITER,
      entityType: 'department',
      entityId: dept.id,
      operation: 'updateDepartment',
    });
    expect(update.before).toMatchObject({ name: dept.name, version: 1 });
    expect(update.after).toMatchObject({ name: '改名后', version: 2 });
    expect(update.actor).not.toHaveProperty('locale');
    expect(Number.isNaN(Date.parse(update.at))).toBe(false);
    expect((await ok(call('GET', `/changes?entityId=${dept.id}&limit=1`))).items).toHaveLength(1);

    await problem(call('GET', `/changes?entityId=${dept.id}`, { as: READER }), 403, 'CORE_FORBIDDEN');
    await problem(call('GET', `/changes?entityId=${dept.id}`, { as: WRITER }), 403, 'CORE_FORBIDDEN');
    await problem(call('GET', '/changes?entityType=planet'), 400, 'CORE_VALIDATION_FAILED');
  });

  it('audits every write as org.<entity>.<verb> in the chain', async () => {
    const unit = await createUnit();
    const dept = await createDepartment(unit.id, null);
    const member = await createMember(dept.id);
    await ok(call('POST', `/departments/${dept.id}/disable`, { body: { force: true } }));
    const ctx = testCtx(database.db);
    const entries = (await queryAudit(ctx, { action: 'org.*', limit: 500 })).items;
    const of = (action: string, id: string) => entries.find((e) => e.action === action && e.target?.id === id);
    expect(of('org.unit.create', unit.id)).toMatchObject({
      target: { type: 'org.unit' },
      actor: { kind: 'member', id: ADMIN },
    });
    expect(of('org.member.create', member.id)?.detail).toMatchObject({ body: { code: member.code } });
    expect(of('org.department.disable', dept.id)?.detail).toMatchObject({
      params: { id: dept.id },
      body: { force: true },
    });
    expect(await verifyAuditChain(ctx)).toMatchObject({ ok: true });
  });
});

/** A valid body for every write route, so that only the policy can refuse it. */
const writeSamples: Record<string, unknown> = {
  'POST /api/org/units': { code: 'X', name: 'X' },
  'PATCH /api/org/units/:id': { version: 1 },
  'POST /api/org/departments': { unitId: newId(), name: 'X', code: 'X' },
  'PATCH /api/org/departments/:id': { version: 1 },
  'POST /api/org/departments/:id/move': { parentId: null },
  'POST /api/org/departments/:id/merge': { targetId: newId() },
  'POST /api/org/departments/:id/split': { name: 'X', code: 'X' },
  'POST /api/org/departments/:id/disable': {},
  'POST /api/org/departments/:id/enable': undefined,
  'PUT /api/org/departments/:id/head': { memberId: null },
  'PUT /api/org/departments/:id/division-leaders': { memberIds: [] },
  'POST /api/org/members': { code: 'X', name: 'X', login: 'xx', mainDepartmentId: newId() },
  'PATCH /api/org/members/:id': { version: 1 },
  'POST /api/org/members/:id/move': {},
  'POST /api/org/members/:id/leave': {},
  'POST /api/org/members/:id/concurrent-posts': { departmentId: newId() },
  'DELETE /api/org/members/:id/concurrent-posts/:departmentId': undefined,
  'POST /api/org/posts': { code: 'X', name: 'X' },
  'PATCH /api/org/posts/:id': { version: 1 },
  'POST /api/org/levels': { code: 'X', name: 'X', rank: 10 },
  'PATCH /api/org/levels/:id': { version: 1 },
  'POST /api/org/roles': { code: 'x', name: 'X' },
  'PATCH /api/org/roles/:id': { version: 1 },
  'POST /api/org/roles/:id/assignments': { memberId: newId() },
  'DELETE /api/org/roles/:id/assignments/:assignmentId': undefined,
};

const orgRoutesOf = () => app.listRoutes().filter((r) => r.url.startsWith('/api/org/') && r.method !== 'HEAD');
const withIds = (url: string, id: () => string) => url.replace(/:[A-Za-z]+/g, id);

async function raw(method: string, url: string, as: string | null, body?: unknown) {
  return app.inject({
    method: method as InjectOptions['method'],
    url,
    headers: as ? { 'x-test-member': as } : {},
    ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
  });
}

describe('route policies', () => {
  it('declares a permission on every write and no public route', () => {
    const routes = orgRoutesOf();
    expect(routes).toHaveLength(35);
    for (const route of routes) {
      expect(route.policy, `${route.method} ${route.url}`).not.toBe('public');
      if (route.method === 'GET') {
        const expected = route.url === '/api/org/changes' ? 'org.read' : 'authenticated';
        expect(route.policy, route.url).toBe(expected);
      } else {
        const expected = route.url.startsWith('/api/org/roles') ? 'org.role.write' : 'org.write';
        expect(route.policy, `${route.method} ${route.url}`).toBe(expected);
      }
    }
    const writes = routes.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);
    expect(new Set(writes)).toEqual(new Set(Object.keys(writeSamples)));
  });

  it('refuses every write to a member without the permission, and every route to nobody', async () => {
    for (const route of orgRoutesOf()) {
      const key = `${route.method} ${route.url}`;
      const url = withIds(route.url, newId);
      const body = writeSamples[key];
      const anonymous = await raw(route.method, url, null, body);
      expect(anonymous.statusCode, key).toBe(401);
      if (route.method === 'GET') continue;
      const res = await raw(route.method, url, READER, body);
      expect(res.statusCode, `${key}: ${res.body}`).toBe(403);
      expect(res.json().code).toBe('CORE_FORBIDDEN');
      if (route.policy === 'org.role.write') {
        // org.write alone does not reach roles either
        expect((await raw(route.method, url, WRITER, body)).statusCode, key).toBe(403);
      }
    }
  });

  it('takes only UUIDs as ids: a malformed one is a 400, never a 500', async () => {
    for (const route of orgRoutesOf().filter((r) => r.url.includes(':'))) {
      const key = `${route.method} ${route.url}`;
      for (const bad of ['42', 'not-a-uuid', "1'%20OR%20'1'='1", '..%2F..%2Fetc']) {
        const res = await raw(
          route.method,
          withIds(route.url, () => bad),
          ADMIN,
          writeSamples[key],
        );
        expect([400, 404], `${key} ${bad}: ${res.body}`).toContain(res.statusCode);
        if (res.statusCode === 400) expect(res.json().code, key).toBe('CORE_VALIDATION_FAILED');
      }
      const res = await raw(
        route.method,
        withIds(route.url, () => 'not-a-uuid'),
        ADMIN,
        writeSamples[key],
      );
      expect(res.json().fields?.[0]?.path, key).toMatch(/^params\./);
    }
  });
});

describe('OpenAPI', () => {
  it('documents the org paths with their schemas', async () => {
    const spec = (await app.inject('/api/docs/openapi.json')).json();
    const paths = Object.keys(spec.paths).filter((p) => p.startsWith('/api/org/'));
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/org/units',
        '/api/org/departments/tree',
        '/api/org/departments/{id}',
        '/api/org/departments/{id}/move',
        '/api/org/members',
        '/api/org/members/{id}/concurrent-posts/{departmentId}',
        '/api/org/roles/{id}/assignments/{assignmentId}',
        '/api/org/changes',
      ]),
    );
    const tree = spec.paths['/api/org/departments/tree'].get;
    expect(tree.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['unitId', 'includeDisabled']),
    );
    // the recursive tree node is a component, and every $ref in the document resolves
    expect(spec.components.schemas).toHaveProperty('OrgDepartmentNode');
    const refs = JSON.stringify(spec).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      expect(spec.components.schemas, ref).toHaveProperty(ref.slice('"#/components/schemas/'.length, -1));
    }
    const create = spec.paths['/api/org/members'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['code', 'name', 'login', 'mainDepartmentId']),
    );
    expect(create.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(spec.paths['/api/org/departments/{id}'].get.parameters[0].schema.format).toBe('uuid');
  });
});

describe('responses', () => {
  it('never carry a password, hash, token or other credential', () => {
    expect(bodies.length).toBeGreaterThan(100);
    const suspicious = /pass(word)?|hash|secret|token|credential|salt/i;
    const offending: string[] = [];
    const walk = (value: unknown, path: string) => {
      if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) walk(item, `${path}.${i}`);
      } else if (value && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          if (suspicious.test(key)) offending.push(`${path}.${key}`);
          walk(child, `${path}.${key}`);
        }
      }
    };
    for (const [i, body] of bodies.entries()) walk(body, `#${i}`);
    expect(offending).toEqual([]);
  });
});
