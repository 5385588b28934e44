import type { DbCtx } from '@baton/db';
import { z } from 'zod';
import { nextSiblingSort } from './departments.ts';
import {
  type Department,
  type Level,
  type Member,
  type Post,
  toDepartment,
  toLevel,
  toMember,
  toPost,
  toUnit,
  type Unit,
} from './model.ts';
import { type Batch, deleteEntity, fresh, insertEntity, runOp, updateEntity } from './op.ts';
import { concurrentPostsWhere } from './repo.ts';
import { codeField, emailField, loginField, nameField, phoneField, sortField } from './validate.ts';

// Bulk import and export of the organisation as rows of cells (P-01, issue 3 item 4). Files never reach
// this engine: the server reads .xlsx/.csv into rows keyed by their header text and writes exports.
// Every bad cell of every row is reported; nothing is written unless the whole file is valid.

/** A column of an org sheet: the key used in code, its Chinese header (exports) and accepted aliases. */
export type SheetColumn = { key: string; zh: string; en: string; required?: boolean; aliases?: readonly string[] };

export type OrgSheet = 'departments' | 'members';

export const orgSheets: Readonly<Record<OrgSheet, { zh: string; en: string; columns: readonly SheetColumn[] }>> = {
  departments: {
    zh: '部门',
    en: 'Departments',
    columns: [
      { key: 'unitCode', zh: '单位编码', en: 'Unit code', required: true },
      { key: 'code', zh: '部门编码', en: 'Department code', required: true },
      { key: 'name', zh: '部门名称', en: 'Department name', required: true },
      { key: 'parentCode', zh: '上级部门编码', en: 'Parent department code', aliases: ['Parent code'] },
      { key: 'sort', zh: '排序', en: 'Sort', aliases: ['Sort order'] },
      { key: 'headLogin', zh: '部门负责人登录名', en: 'Head login', aliases: ['部门主管登录名'] },
    ],
  },
  members: {
    zh: '人员',
    en: 'Members',
    columns: [
      { key: 'code', zh: '工号', en: 'Member code', required: true, aliases: ['人员编码', 'Code', 'Employee number'] },
      { key: 'name', zh: '姓名', en: 'Name', required: true },
      { key: 'login', zh: '登录名', en: 'Login', required: true },
      { key: 'email', zh: '电子邮箱', en: 'E-mail', aliases: ['邮箱', 'Email'] },
      { key: 'phone', zh: '手机', en: 'Phone', aliases: ['手机号', '电话'] },
      { key: 'unitCode', zh: '单位编码', en: 'Unit code' },
      { key: 'departmentCode', zh: '主部门编码', en: 'Main department code', required: true, aliases: ['部门编码'] },
      { key: 'postCode', zh: '岗位编码', en: 'Post code' },
      { key: 'levelCode', zh: '职务级别编码', en: 'Level code', aliases: ['职级编码'] },
      { key: 'supervisorLogin', zh: '上级登录名', en: 'Supervisor login', aliases: ['汇报对象登录名'] },
      { key: 'status', zh: '状态', en: 'Status' },
    ],
  },
};

/** One data row of a sheet: its row number in the file (the header is row 1) and its cells by header. */
export type ImportRow = { row: number; cells: Readonly<Record<string, unknown>> };

export type OrgImportInput = { departments?: readonly ImportRow[]; members?: readonly ImportRow[] };

export type ImportProblem = {
  sheet: string;
  row: number;
  /** The header as written in the file (or the Chinese header when the column is missing). */
  column: string;
  code: string;
  message: { zh: string; en: string };
};

export type ImportReport = {
  ok: boolean;
  dryRun: boolean;
  /** What was written, or (dry run, or refused) what would have been. */
  applied: { created: number; updated: number };
  errors: ImportProblem[];
};

const MAX_ROWS = 50_000;

// ---- cells and headers ------------------------------------------------------------------------------

export function normaliseHeader(text: string): string {
  return text.replace(/[\s*＊:：]/g, '').toLowerCase();
}

/** Cell text: trimmed; numbers and booleans as their text; a leading ' (export neutralisation) dropped. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  const text = (typeof value === 'string' ? value : String(value)).trim();
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

type Messages = Record<string, { zh: string; en: string }>;

const messages: Messages = {
  required: { zh: '必填', en: 'Required' },
  invalid: { zh: '格式不正确', en: 'Not in the right format' },
  unknown_column: { zh: '无法识别的列', en: 'Unknown column' },
  too_many_rows: { zh: `行数超过上限 ${MAX_ROWS}`, en: `More than ${MAX_ROWS} rows` },
  duplicate: { zh: '文件中重复', en: 'Repeated in the file' },
  taken: { zh: '已被其他人员使用', en: 'Already used by another member' },
  unknown_unit: { zh: '找不到该单位编码', en: 'No unit has this code' },
  unknown_department: { zh: '找不到该部门编码', en: 'No department has this code' },
  ambiguous_department: {
    zh: '多个单位有此部门编码，请填写单位编码',
    en: 'Several units have a department with this code; give the unit code',
  },
  department_disabled: { zh: '部门已停用', en: 'The department is disabled' },
  unknown_post: { zh: '找不到该岗位编码', en: 'No post has this code' },
  unit_mismatch: { zh: '岗位属于其他单位', en: 'The post belongs to another unit' },
  unknown_level: { zh: '找不到该职务级别编码', en: 'No level has this code' },
  unknown_member: { zh: '找不到该登录名的人员', en: 'No member has this login' },
  member_left: { zh: '人员已离职', en: 'The member has left' },
  cycle: { zh: '上级部门形成循环', en: 'The parent departments form a cycle' },
  supervisor_invalid: {
    zh: '上级不能是本人或形成循环',
    en: 'The supervisor cannot be the member or form a cycle',
  },
  status_change: {
    zh: '离职请使用离职办理（含工作交接），导入不能改变人员状态',
    en: 'Members leave through the leave operation (with handover); an import cannot change a status',
  },
  status_new_left: { zh: '不能导入已离职的新人员', en: 'A new member cannot be imported as left' },
};

function problem(sheet: OrgSheet, row: number, column: string, code: string, detail?: string): ImportProblem {
  const base = messages[code] ?? { zh: code, en: code };
  const suffix = detail ? `：${detail}` : '';
  return {
    sheet,
    row,
    column,
    code,
    message: { zh: `${base.zh}${suffix}`, en: detail ? `${base.en}: ${detail}` : base.en },
  };
}

type Parsed = { row: number; values: Record<string, string>; header: (key: string) => string };

/** Maps a sheet's headers to column keys; unknown headers are problems on row 1. */
function readSheet(sheet: OrgSheet, rows: readonly ImportRow[], errors: ImportProblem[]): Parsed[] {
  const columns = orgSheets[sheet].columns;
  const byHeader = new Map<string, SheetColumn>();
  for (const column of columns) {
    for (const name of [column.key, column.zh, column.en, ...(column.aliases ?? [])]) {
      byHeader.set(normaliseHeader(name), column);
    }
  }
  const headerOf = new Map<string, string>();
  const seen = new Set<string>();
  for (const { cells } of rows) {
    for (const header of Object.keys(cells)) {
      if (seen.has(header)) continue;
      seen.add(header);
      const column = byHeader.get(normaliseHeader(header));
      if (!column) {
        if (header.trim()) errors.push(problem(sheet, 1, header, 'unknown_column'));
      } else if (headerOf.has(column.key)) {
        errors.push(problem(sheet, 1, header, 'duplicate'));
      } else {
        headerOf.set(column.key, header);
      }
    }
  }
  if (rows.length > MAX_ROWS) errors.push(problem(sheet, MAX_ROWS + 2, '', 'too_many_rows'));
  const header = (key: string) =>
    headerOf.get(key) ?? columns.find((column) => column.key === key)?.zh ?? /* c8 ignore next */ key;
  return rows.slice(0, MAX_ROWS).map(({ row, cells }) => {
    const values: Record<string, string> = {};
    for (const column of columns) {
      const source = headerOf.get(column.key);
      values[column.key] = source === undefined ? '' : cellText(cells[source]);
    }
    for (const column of columns) {
      if (column.required && !values[column.key]) errors.push(problem(sheet, row, header(column.key), 'required'));
    }
    return { row, values, header };
  });
}

/** Checks one optional cell against a field schema; '' is blank (undefined). */
function check<S extends z.ZodType>(
  sheet: OrgSheet,
  entry: Parsed,
  key: string,
  schema: S,
  errors: ImportProblem[],
): z.output<S> | undefined {
  const text = entry.values[key];
  if (!text) return undefined;
  const result = schema.safeParse(text);
  if (result.success) return result.data;
  errors.push(problem(sheet, entry.row, entry.header(key), 'invalid', result.error.issues[0]?.message));
  return undefined;
}

const integerSort = z
  .string()
  .regex(/^-?\d+$/, 'a whole number')
  .transform(Number)
  .pipe(sortField);

// ---- the current organisation ----------------------------------------------------------------------

type Org = {
  units: Unit[];
  departments: Department[];
  posts: Post[];
  levels: Level[];
  members: Member[];
};

async function loadOrg(ctx: Pick<DbCtx, 'db'>): Promise<Org> {
  const { db } = ctx;
  const [units, departments, posts, levels, members] = await Promise.all([
    db.selectFrom('baton_org_unit').selectAll().orderBy('sort').orderBy('code').execute(),
    db.selectFrom('baton_org_department').selectAll().orderBy('sort').orderBy('code').execute(),
    db.selectFrom('baton_org_post').selectAll().orderBy('code').execute(),
    db.selectFrom('baton_org_level').selectAll().orderBy('code').execute(),
    db.selectFrom('baton_org_member').selectAll().orderBy('code').execute(),
  ]);
  return {
    units: units.map(toUnit),
    departments: departments.map(toDepartment),
    posts: posts.map(toPost),
    levels: levels.map(toLevel),
    members: members.map(toMember),
  };
}

const deptKey = (unitId: string, code: string) => `${unitId}|${code}`;

// ---- planning ------------------------------------------------------------------------------------------

type DepartmentPlan = {
  row: number;
  unitId: string;
  key: string;
  code: string;
  name: string;
  parentKey: string | null;
  sort?: number;
  headLogin?: string;
  existing?: Department;
};

type MemberPlan = {
  row: number;
  code: string;
  name: string;
  login: string;
  email: string | null;
  phone: string | null;
  departmentKey: string;
  postId: string | null;
  levelId: string | null;
  supervisorLogin: string | null;
  existing?: Member;
};

type Plan = { departments: DepartmentPlan[]; members: MemberPlan[]; errors: ImportProblem[] };

function planDepartments(org: Org, input: readonly ImportRow[], errors: ImportProblem[]): DepartmentPlan[] {
  const sheet = 'departments';
  const unitsByCode = new Map(org.units.map((u) => [u.code, u]));
  const existing = new Map(org.departments.map((d) => [deptKey(d.unitId, d.code), d]));
  const plans: DepartmentPlan[] = [];
  const seen = new Set<string>();
  for (const entry of readSheet(sheet, input, errors)) {
    const before = errors.length;
    const unitCode = check(sheet, entry, 'unitCode', codeField, errors);
    const code = check(sheet, entry, 'code', codeField, errors);
    const name = check(sheet, entry, 'name', nameField, errors);
    const parentCode = check(sheet, entry, 'parentCode', codeField, errors);
    const sort = check(sheet, entry, 'sort', integerSort, errors);
    const headLogin = check(sheet, entry, 'headLogin', loginField, errors);
    const unit = unitCode ? unitsByCode.get(unitCode) : undefined;
    if (unitCode && !unit) errors.push(problem(sheet, entry.row, entry.header('unitCode'), 'unknown_unit', unitCode));
    if (!unit || !code || !name || errors.length > before) continue;
    const key = deptKey(unit.id, code);
    if (seen.has(key)) {
      errors.push(problem(sheet, entry.row, entry.header('code'), 'duplicate', code));
      continue;
    }
    seen.add(key);
    plans.push({
      row: entry.row,
      unitId: unit.id,
      key,
      code,
      name,
      parentKey: parentCode ? deptKey(unit.id, parentCode) : null,
      sort,
      headLogin,
      existing: existing.get(key),
    });
  }
  // Parents: in the file or in the database, enabled, and no cycles in the tree the file would leave.
  const planned = new Map(plans.map((p) => [p.key, p]));
  const byId = new Map(org.departments.map((d) => [d.id, d]));
  const parentOf = new Map<string, string | null>();
  for (const d of org.departments) {
    const parent = d.parentId ? byId.get(d.parentId) : undefined;
    parentOf.set(deptKey(d.unitId, d.code), parent ? deptKey(parent.unitId, parent.code) : null);
  }
  for (const plan of plans) parentOf.set(plan.key, plan.parentKey);
  for (const plan of plans) {
    if (!plan.parentKey) continue;
    const column = headerIn(input, 'departments', 'parentCode', '上级部门编码');
    const parentCode = plan.parentKey.slice(plan.unitId.length + 1);
    const stored = existing.get(plan.parentKey);
    if (!planned.has(plan.parentKey) && !stored) {
      errors.push(problem('departments', plan.row, column, 'unknown_department', parentCode));
      plan.parentKey = null;
      continue;
    }
    if (stored && !stored.enabled && !planned.has(plan.parentKey)) {
      errors.push(problem('departments', plan.row, column, 'department_disabled', parentCode));
    }
    const visited = new Set<string>([plan.key]);
    let next = parentOf.get(plan.key) ?? null;
    while (next) {
      if (visited.has(next)) {
        errors.push(problem('departments', plan.row, column, 'cycle', parentCode));
        break;
      }
      visited.add(next);
      next = parentOf.get(next) ?? null;
    }
  }
  return plans;
}

/** The header a file used for a column (for problems found after the rows were read). */
function headerIn(rows: readonly ImportRow[], sheet: OrgSheet, key: string, fallback: string): string {
  const column = orgSheets[sheet].columns.find((c) => c.key === key);
  if (!column) return fallback;
  const names = new Set([column.key, column.zh, column.en, ...(column.aliases ?? [])].map(normaliseHeader));
  for (const { cells } of rows) {
    const found = Object.keys(cells).find((header) => names.has(normaliseHeader(header)));
    if (found) return found;
  }
  return fallback;
}

const STATUS: Readonly<Record<string, 'active' | 'left'>> = {
  在职: 'active',
  active: 'active',
  离职: 'left',
  left: 'left',
};

function planMembers(
  org: Org,
  departments: DepartmentPlan[],
  input: OrgImportInput,
  errors: ImportProblem[],
): MemberPlan[] {
  const sheet = 'members';
  const unitsByCode = new Map(org.units.map((u) => [u.code, u]));
  const postsByCode = new Map(org.posts.map((p) => [p.code, p]));
  const levelsByCode = new Map(org.levels.map((l) => [l.code, l]));
  const membersByCode = new Map(org.members.map((m) => [m.code, m]));
  const membersByLogin = new Map(org.members.map((m) => [m.login, m]));
  const stored = new Map(org.departments.map((d) => [deptKey(d.unitId, d.code), d]));
  const planned = new Map(departments.map((d) => [d.key, d]));
  /** Department keys by code across units (stored and planned). */
  const keysByCode = new Map<string, Set<string>>();
  for (const key of [...stored.keys(), ...planned.keys()]) {
    const code = key.slice(key.indexOf('|') + 1);
    const set = keysByCode.get(code) ?? new Set<string>();
    set.add(key);
    keysByCode.set(code, set);
  }
  const plans: MemberPlan[] = [];
  const codes = new Set<string>();
  const logins = new Set<string>();
  for (const entry of readSheet(sheet, input.members ?? [], errors)) {
    const before = errors.length;
    const at = (key: string, code: string, detail?: string) =>
      errors.push(problem(sheet, entry.row, entry.header(key), code, detail));
    const code = check(sheet, entry, 'code', codeField, errors);
    const name = check(sheet, entry, 'name', nameField, errors);
    const login = check(sheet, entry, 'login', loginField, errors);
    const email = check(sheet, entry, 'email', emailField, errors);
    const phone = check(sheet, entry, 'phone', phoneField, errors);
    const unitCode = check(sheet, entry, 'unitCode', codeField, errors);
    const departmentCode = check(sheet, entry, 'departmentCode', codeField, errors);
    const postCode = check(sheet, entry, 'postCode', codeField, errors);
    const levelCode = check(sheet, entry, 'levelCode', codeField, errors);
    const supervisorLogin = check(sheet, entry, 'supervisorLogin', loginField, errors);
    const statusText = entry.values.status?.toLowerCase() ?? '';
    const status = statusText ? STATUS[statusText] : undefined;
    if (statusText && !status) at('status', 'invalid', '在职 / 离职 (active / left)');

    // Matched by code, else by login; the other key must not belong to someone else.
    const existing = (code && membersByCode.get(code)) || (login && membersByLogin.get(login)) || undefined;
    if (code) {
      if (codes.has(code)) at('code', 'duplicate', code);
      else if (membersByCode.get(code) && membersByCode.get(code) !== existing) at('code', 'taken', code);
      codes.add(code);
    }
    if (login) {
      if (logins.has(login)) at('login', 'duplicate', login);
      else if (membersByLogin.get(login) && membersByLogin.get(login) !== existing) at('login', 'taken', login);
      logins.add(login);
    }
    if (status && !existing && status === 'left') at('status', 'status_new_left');
    if (status && existing && status !== existing.status) at('status', 'status_change');

    let departmentKey: string | undefined;
    if (unitCode && !unitsByCode.get(unitCode)) at('unitCode', 'unknown_unit', unitCode);
    if (departmentCode) {
      const unit = unitCode ? unitsByCode.get(unitCode) : undefined;
      if (unit) {
        const key = deptKey(unit.id, departmentCode);
        if (stored.has(key) || planned.has(key)) departmentKey = key;
        else at('departmentCode', 'unknown_department', departmentCode);
      } else if (!unitCode) {
        const keys = [...(keysByCode.get(departmentCode) ?? [])];
        if (keys.length === 1) departmentKey = keys[0];
        else at('departmentCode', keys.length === 0 ? 'unknown_department' : 'ambiguous_department', departmentCode);
      }
    }
    const department = departmentKey ? stored.get(departmentKey) : undefined;
    const changesDepartment = !existing || existing.mainDepartmentId !== department?.id;
    if (department && !department.enabled && changesDepartment) {
      at('departmentCode', 'department_disabled', departmentCode);
    }
    const unitId = departmentKey?.slice(0, departmentKey.indexOf('|'));
    const post = postCode ? postsByCode.get(postCode) : undefined;
    if (postCode && !post) at('postCode', 'unknown_post', postCode);
    if (post?.unitId && unitId && post.unitId !== unitId) at('postCode', 'unit_mismatch', postCode);
    const level = levelCode ? levelsByCode.get(levelCode) : undefined;
    if (levelCode && !level) at('levelCode', 'unknown_level', levelCode);
    if (existing?.status === 'left' && department && department.id !== existing.mainDepartmentId) {
      at('departmentCode', 'member_left');
    }
    if (errors.length > before || !code || !name || !login || !departmentKey) continue;
    plans.push({
      row: entry.row,
      code,
      name,
      login,
      email: email ?? null,
      phone: phone ?? null,
      departmentKey,
      postId: post?.id ?? null,
      levelId: level?.id ?? null,
      supervisorLogin: supervisorLogin ?? null,
      existing,
    });
  }
  // Supervisors: an active member of the database or of the file, never oneself, no override cycles.
  const header = headerIn(input.members ?? [], 'members', 'supervisorLogin', '上级登录名');
  const byLogin = new Map(plans.map((p) => [p.login, p]));
  const supervisorOf = new Map<string, string | null>();
  const loginById = new Map(org.members.map((m) => [m.id, m.login]));
  for (const m of org.members)
    supervisorOf.set(m.login, m.supervisorId ? (loginById.get(m.supervisorId) ?? null) : null);
  for (const plan of plans) {
    if (plan.existing && plan.existing.login !== plan.login) supervisorOf.delete(plan.existing.login);
    supervisorOf.set(plan.login, plan.supervisorLogin);
  }
  for (const plan of plans) {
    const target = plan.supervisorLogin;
    if (!target) continue;
    const inFile = byLogin.get(target);
    const inDb = membersByLogin.get(target);
    if (!inFile && !inDb) {
      errors.push(problem(sheet, plan.row, header, 'unknown_member', target));
      continue;
    }
    if (!inFile && inDb?.status !== 'active') errors.push(problem(sheet, plan.row, header, 'member_left', target));
    const visited = new Set<string>([plan.login]);
    let next: string | null = target;
    while (next) {
      if (visited.has(next)) {
        errors.push(problem(sheet, plan.row, header, 'supervisor_invalid', target));
        break;
      }
      visited.add(next);
      next = supervisorOf.get(next) ?? null;
    }
  }
  // Heads (departments sheet) may be members of this file.
  const headHeader = headerIn(input.departments ?? [], 'departments', 'headLogin', '部门负责人登录名');
  for (const plan of departments) {
    if (!plan.headLogin) continue;
    const inFile = byLogin.get(plan.headLogin);
    const inDb = membersByLogin.get(plan.headLogin);
    if (!inFile && !inDb) {
      errors.push(problem('departments', plan.row, headHeader, 'unknown_member', plan.headLogin));
    } else if (!inFile && inDb?.status !== 'active') {
      errors.push(problem('departments', plan.row, headHeader, 'member_left', plan.headLogin));
    }
  }
  return plans;
}

async function plan(ctx: Pick<DbCtx, 'db'>, input: OrgImportInput): Promise<{ org: Org } & Plan> {
  const errors: ImportProblem[] = [];
  const org = await loadOrg(ctx);
  const departments = planDepartments(org, input.departments ?? [], errors);
  const members = planMembers(org, departments, input, errors);
  errors.sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : a.sheet === 'departments' ? -1 : 1));
  return { org, departments, members, errors };
}

// ---- applying ---------------------------------------------------------------------------------------

function counts(p: Plan): { created: number; updated: number } {
  const all = [...p.departments, ...p.members] as Array<{ existing?: unknown }>;
  const created = all.filter((x) => !x.existing).length;
  return { created, updated: all.length - created };
}

/** Parents before children. */
function byDepth(plans: DepartmentPlan[]): DepartmentPlan[] {
  const planned = new Map(plans.map((p) => [p.key, p]));
  const depth = (p: DepartmentPlan, guard = 0): number => {
    const parent = p.parentKey ? planned.get(p.parentKey) : undefined;
    return parent && guard < 10_000 ? depth(parent, guard + 1) + 1 : 0;
  };
  return [...plans].sort((a, b) => depth(a) - depth(b));
}

async function apply(batch: Batch, org: Org, p: Plan): Promise<void> {
  const idOfDepartment = new Map(org.departments.map((d) => [deptKey(d.unitId, d.code), d.id]));
  const idOfMember = new Map(org.members.map((m) => [m.login, m.id]));
  const heads: Array<{ department: Department; login: string }> = [];

  for (const plan of byDepth(p.departments)) {
    const parentId = plan.parentKey ? (idOfDepartment.get(plan.parentKey) ?? null) : null;
    if (!plan.existing) {
      const sort = plan.sort ?? (await nextSiblingSort(batch, plan.unitId, parentId));
      const department = await insertEntity(batch, 'department', {
        ...fresh(batch),
        unitId: plan.unitId,
        parentId,
        name: plan.name,
        code: plan.code,
        sort,
        enabled: true,
        headMemberId: null,
        mergedIntoId: null,
      } satisfies Department);
      idOfDepartment.set(plan.key, department.id);
      if (plan.headLogin) heads.push({ department, login: plan.headLogin });
      continue;
    }
    let department = plan.existing;
    if (parentId !== department.parentId) {
      const sort = plan.sort ?? (await nextSiblingSort(batch, plan.unitId, parentId));
      department = await updateEntity(batch, 'department', department, { parentId, sort }, { action: 'move' });
    }
    department = await updateEntity(batch, 'department', department, { name: plan.name, sort: plan.sort });
    if (plan.headLogin !== undefined) heads.push({ department, login: plan.headLogin });
  }

  // New members whose supervisor is new too come after that supervisor (cycles were refused).
  const fresh_ = p.members.filter((m) => !m.existing);
  const pending = new Set(fresh_.map((m) => m.login));
  const ordered: MemberPlan[] = [];
  while (ordered.length < fresh_.length) {
    const before = ordered.length;
    for (const m of fresh_) {
      if (!pending.has(m.login)) continue;
      if (m.supervisorLogin && pending.has(m.supervisorLogin) && m.supervisorLogin !== m.login) continue;
      ordered.push(m);
      pending.delete(m.login);
    }
    if (ordered.length === before) break;
  }
  const later: MemberPlan[] = [];
  for (const m of ordered) {
    const supervisorId = m.supervisorLogin ? (idOfMember.get(m.supervisorLogin) ?? null) : null;
    const member = await insertEntity(batch, 'member', {
      ...fresh(batch),
      code: m.code,
      name: m.name,
      login: m.login,
      email: m.email,
      phone: m.phone,
      mainDepartmentId: idOfDepartment.get(m.departmentKey) as string,
      postId: m.postId,
      levelId: m.levelId,
      supervisorId,
      status: 'active',
      leftAt: null,
      locale: null,
      sort: 0,
    } satisfies Member);
    idOfMember.set(m.login, member.id);
    if (m.supervisorLogin && !supervisorId) later.push(m);
  }
  for (const m of p.members) {
    if (!m.existing) continue;
    let member = m.existing;
    const mainDepartmentId = idOfDepartment.get(m.departmentKey) as string;
    if (mainDepartmentId !== member.mainDepartmentId || m.postId !== member.postId || m.levelId !== member.levelId) {
      member = await updateEntity(
        batch,
        'member',
        member,
        { mainDepartmentId, postId: m.postId, levelId: m.levelId },
        { action: 'move' },
      );
      for (const post of await concurrentPostsWhere(batch.ctx, {
        memberId: member.id,
        departmentId: mainDepartmentId,
      })) {
        await deleteEntity(batch, 'concurrentPost', post);
      }
    }
    idOfMember.set(m.login, member.id);
    await updateEntity(batch, 'member', member, {
      code: m.code,
      name: m.name,
      login: m.login,
      email: m.email,
      phone: m.phone,
      supervisorId: m.supervisorLogin ? (idOfMember.get(m.supervisorLogin) ?? null) : null,
    });
  }
  for (const m of later) {
    const id = idOfMember.get(m.login) as string;
    const member = await batch.ctx.db
      .selectFrom('baton_org_member')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (member) {
      await updateEntity(batch, 'member', toMember(member), {
        supervisorId: idOfMember.get(m.supervisorLogin as string) ?? null,
      });
    }
  }
  for (const { department, login } of heads) {
    const headMemberId = idOfMember.get(login) ?? null;
    const current = await batch.ctx.db
      .selectFrom('baton_org_department')
      .selectAll()
      .where('id', '=', department.id)
      .executeTakeFirstOrThrow();
    await updateEntity(batch, 'department', toDepartment(current), { headMemberId }, { action: 'setHead' });
  }
}

/**
 * Imports departments (by unit code + department code) and members (by code, else login). Every problem
 * of every row is reported with its row and column; nothing is written unless there are none. Otherwise
 * (and not a dry run) everything is applied in one transaction and one change-log batch ('importOrg').
 */
export async function importOrg(
  ctx: DbCtx,
  input: OrgImportInput,
  options: { dryRun?: boolean } = {},
): Promise<ImportReport> {
  const dryRun = options.dryRun ?? false;
  if (dryRun) {
    const p = await plan(ctx, input);
    return { ok: p.errors.length === 0, dryRun, applied: counts(p), errors: p.errors };
  }
  return runOp(ctx, 'importOrg', async (batch) => {
    // Planned inside the transaction: on PostgreSQL the revision lock taken by runOp keeps it true until commit.
    const p = await plan(batch.ctx, input);
    if (p.errors.length === 0) await apply(batch, p.org, p);
    return { ok: p.errors.length === 0, dryRun, applied: counts(p), errors: p.errors };
  });
}

export type OrgExport = Record<OrgSheet, Array<Record<string, string>>>;

/**
 * The organisation as rows keyed by column key (see `orgSheets`), in the columns importOrg reads:
 * enabled departments parents first, members by code (those who left only with `includeLeft`).
 */
export async function exportOrg(ctx: Pick<DbCtx, 'db'>, input: { includeLeft?: boolean } = {}): Promise<OrgExport> {
  const org = await loadOrg(ctx);
  const units = new Map(org.units.map((u) => [u.id, u]));
  const departments = new Map(org.departments.map((d) => [d.id, d]));
  const posts = new Map(org.posts.map((p) => [p.id, p]));
  const levels = new Map(org.levels.map((l) => [l.id, l]));
  const members = new Map(org.members.map((m) => [m.id, m]));
  const depthOf = (d: Department): number => {
    let depth = 0;
    let parent = d.parentId ? departments.get(d.parentId) : undefined;
    while (parent && depth < 10_000) {
      depth += 1;
      parent = parent.parentId ? departments.get(parent.parentId) : undefined;
    }
    return depth;
  };
  const enabled = org.departments.filter((d) => d.enabled);
  const unitSort = (d: Department) => units.get(d.unitId)?.sort ?? 0;
  enabled.sort(
    (a, b) => unitSort(a) - unitSort(b) || depthOf(a) - depthOf(b) || a.sort - b.sort || a.code.localeCompare(b.code),
  );
  const head = (d: Department) => {
    const m = d.headMemberId ? members.get(d.headMemberId) : undefined;
    return m && m.status === 'active' ? m.login : '';
  };
  return {
    departments: enabled.map((d) => ({
      unitCode: units.get(d.unitId)?.code ?? '',
      code: d.code,
      name: d.name,
      parentCode: d.parentId ? (departments.get(d.parentId)?.code ?? '') : '',
      sort: String(d.sort),
      headLogin: head(d),
    })),
    members: org.members
      .filter((m) => input.includeLeft || m.status === 'active')
      .map((m) => {
        const department = departments.get(m.mainDepartmentId);
        const supervisor = m.supervisorId ? members.get(m.supervisorId) : undefined;
        return {
          code: m.code,
          name: m.name,
          login: m.login,
          email: m.email ?? '',
          phone: m.phone ?? '',
          unitCode: department ? (units.get(department.unitId)?.code ?? '') : '',
          departmentCode: department?.code ?? '',
          postCode: m.postId ? (posts.get(m.postId)?.code ?? '') : '',
          levelCode: m.levelId ? (levels.get(m.levelId)?.code ?? '') : '',
          supervisorLogin: supervisor?.login ?? '',
          status: m.status === 'active' ? '在职' : '离职',
        };
      }),
  };
}

/** The column headers of a sheet for an export (Chinese: the template customers fill in). */
export function orgSheetHeaders(sheet: OrgSheet): Array<{ key: string; header: string }> {
  return orgSheets[sheet].columns.map((column) => ({ key: column.key, header: column.zh }));
}
