import type { DbCtx } from '@baton/db';
import { listRecords } from '@baton/form';
import {
  assignRole,
  type Department,
  findMemberByLogin,
  getMember,
  listDepartments,
  listMembers,
  listRoleAssignments,
  listUnits,
} from '@baton/org';
import { PackErrors } from './errors.ts';
import { asMember } from './member-view.ts';
import type { DemoMember, DemoValues, PackDefinition } from './types.ts';

// Loads a pack's demo data once, at its first install, acting as the members it names (their rights apply, so
// demo data is what those people could have entered). Selectors and placeholders are described in types.ts.

export type DemoReport = {
  assignments: number;
  records: number;
  filings: number;
  /** Record id of every demo record and filing with a `ref`. */
  refs: Record<string, string>;
  /** Flow instance id of every filing with a `ref`. */
  instances: Record<string, string>;
};

const DAY = 86_400_000;

function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Resolves member selectors and department names against the organisation, with a cache per load. */
export function createResolver(ctx: DbCtx, pack: string) {
  let departments: Promise<{ list: Department[]; units: Map<string, string> }> | undefined;
  const members = new Map<string, Promise<string>>();
  const unresolved = (what: string, name: string) => PackErrors.demoUnresolved.create({ pack, what, name });

  const loadDepartments = () => {
    departments ??= (async () => {
      const list = await listDepartments(ctx, {});
      const units = new Map((await listUnits(ctx, {})).map((unit) => [unit.code, unit.id]));
      return { list, units };
    })();
    return departments;
  };

  async function department(name: string): Promise<Department> {
    const { list, units } = await loadDepartments();
    const slash = name.indexOf('/');
    const unitId = slash > 0 ? units.get(name.slice(0, slash)) : undefined;
    const wanted = slash > 0 ? name.slice(slash + 1) : name;
    const found = list.filter((d) => d.name === wanted && (slash <= 0 || d.unitId === unitId));
    if (found.length !== 1) throw unresolved(found.length ? 'department (ambiguous)' : 'department', name);
    return found[0] as Department;
  }

  async function resolveMember(selector: DemoMember): Promise<string> {
    const [kind, ...rest] = selector.split(':');
    if (kind === 'login') {
      const found = await findMemberByLogin(ctx, { login: rest.join(':') });
      if (found?.status !== 'active') throw unresolved('member', selector);
      return found.id;
    }
    if (kind === 'head') {
      const head = (await department(rest.join(':'))).headMemberId;
      if (!head) throw unresolved('member', selector);
      return head;
    }
    if (kind === 'staff') {
      const n = Number(rest.pop());
      const dept = await department(rest.join(':'));
      const staff = (await listMembers(ctx, { departmentId: dept.id, limit: 1000 })).filter(
        (m) => m.id !== dept.headMemberId,
      );
      const found = staff[n];
      if (!found) throw unresolved('member', selector);
      return found.id;
    }
    if (kind === 'role') {
      const [code, nth] = rest;
      const ids = [...new Set((await listRoleAssignments(ctx, { role: code as string })).map((a) => a.memberId))];
      const holders = (await Promise.all(ids.map((id) => getMember(ctx, { id }))))
        .filter((m) => m.status === 'active')
        .sort((a, b) => a.code.localeCompare(b.code));
      const found = holders[Number(nth ?? 0)];
      if (!found) throw unresolved('member', selector);
      return found.id;
    }
    throw unresolved('member', selector);
  }

  return {
    department,
    member(selector: DemoMember): Promise<string> {
      let hit = members.get(selector);
      if (!hit) {
        hit = resolveMember(selector);
        members.set(selector, hit);
      }
      return hit;
    },
  };
}

type Resolver = ReturnType<typeof createResolver>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

type DemoEnv = { ctx: DbCtx; pack: string; resolver: Resolver; refs: Record<string, string> };

/**
 * `{ $find: { form, where } }`: the id of the one record of a form of the pack whose fields equal `where` (its values
 * may hold placeholders) — for records the pack's rules wrote while the demo loaded, which carry no demo ref.
 */
async function findRecord(spec: unknown, env: DemoEnv): Promise<string> {
  const { form, where } = (isRecord(spec) ? spec : {}) as { form?: unknown; where?: unknown };
  const name = `${String(form)} ${JSON.stringify(where ?? {})}`;
  if (typeof form !== 'string' || !isRecord(where)) throw unresolvedFind(env, name);
  const filters = await Promise.all(
    Object.entries(where).map(async ([field, wanted]) => ({
      field,
      op: 'eq' as const,
      value: await resolveValue(wanted, env),
    })),
  );
  const { records } = await listRecords(env.ctx, { pack: env.pack, key: form, filters, limit: 2 });
  if (records.length !== 1) throw unresolvedFind(env, name, records.length > 1);
  return (records[0] as { id: string }).id;
}

const unresolvedFind = (env: DemoEnv, name: string, ambiguous = false) =>
  PackErrors.demoUnresolved.create({ pack: env.pack, what: ambiguous ? 'record (ambiguous)' : 'record', name });

async function resolveValue(value: unknown, env: DemoEnv): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((item) => resolveValue(item, env)));
  if (!isRecord(value)) return value;
  if ('$find' in value) return findRecord(value.$find, env);
  if ('$member' in value) return env.resolver.member(String(value.$member));
  if ('$members' in value) return Promise.all((value.$members as string[]).map((s) => env.resolver.member(s)));
  if ('$department' in value) return (await env.resolver.department(String(value.$department))).id;
  if ('$record' in value) return env.refs[String(value.$record)];
  const now = env.ctx.clock.now().getTime();
  if ('$date' in value) return localDate(new Date(now + Number(value.$date) * DAY), 'Asia/Shanghai');
  if ('$datetime' in value) {
    const day = localDate(new Date(now + Number(value.$datetime) * DAY), 'Asia/Shanghai');
    return `${day}T${String(value.at ?? '09:00')}:00+08:00`;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = await resolveValue(inner, env);
  return out;
}

/** Loads the demo data of `pack` in the caller's transaction (the installer's). */
export async function loadDemo(ctx: DbCtx, pack: PackDefinition): Promise<DemoReport> {
  const resolver = createResolver(ctx, pack.key);
  const report: DemoReport = { assignments: 0, records: 0, filings: 0, refs: {}, instances: {} };
  const env: DemoEnv = { ctx, pack: pack.key, resolver, refs: report.refs };
  const values = async (input: DemoValues) => (await resolveValue(input, env)) as Record<string, unknown>;

  for (const assignment of pack.demo.assignments ?? []) {
    const ids =
      assignment.members === 'everyone'
        ? await everyone(ctx)
        : await Promise.all(assignment.members.map((s) => resolver.member(s)));
    const holding = new Set(
      (await listRoleAssignments(ctx, { role: assignment.role }))
        .filter((a) => !a.scopeUnitId && !a.scopeDepartmentId)
        .map((a) => a.memberId),
    );
    for (const memberId of new Set(ids)) {
      if (holding.has(memberId)) continue;
      await assignRole(ctx, { role: assignment.role, memberId });
      report.assignments++;
    }
  }
  for (const record of pack.demo.records ?? []) {
    const by = await resolver.member(record.by);
    const created = await asMember(ctx, pack.key, by).create(record.form, await values(record.values));
    if (record.ref) report.refs[record.ref] = created.id;
    report.records++;
  }
  for (const filing of pack.demo.filings ?? []) {
    const by = await resolver.member(filing.by);
    const started = await asMember(ctx, pack.key, by).submit(filing.flow, await values(filing.values), filing.title);
    for (const step of filing.steps ?? []) {
      const actor = asMember(ctx, pack.key, await resolver.member(step.by));
      const task = (await actor.pending()).find((t) => t.instanceId === started.instanceId);
      if (!task) throw PackErrors.demoUnresolved.create({ pack: pack.key, what: 'pending task of', name: step.by });
      if (step.action === 'approve')
        await actor.approve(task.taskId, step.opinion, step.values ? await values(step.values) : undefined);
      else await actor.reject(task.taskId, step.opinion);
    }
    if (filing.ref) {
      report.refs[filing.ref] = started.recordId;
      report.instances[filing.ref] = started.instanceId;
    }
    report.filings++;
  }
  return report;
}

async function everyone(ctx: DbCtx): Promise<string[]> {
  const ids: string[] = [];
  let afterCode: string | undefined;
  for (;;) {
    const page = await listMembers(ctx, { limit: 1000, ...(afterCode ? { afterCode } : {}) });
    ids.push(...page.map((m) => m.id));
    if (page.length < 1000) return ids;
    afterCode = page.at(-1)?.code;
  }
}
