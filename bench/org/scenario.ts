// The org benchmark on one database: build a large org, time the resolution rules warm and cold, then run a
// month of reorganisation (DIDI-1) one transaction per change and check that resolution still answers.
import { performance } from 'node:perf_hooks';
import { silentLogger, systemActor, systemClock } from '@baton/core';
import type { DbCtx } from '@baton/db';
import {
  buildLargeOrg,
  createDepartment,
  type Department,
  disableDepartment,
  type LargeOrgSummary,
  listDepartments,
  listMembers,
  type Member,
  mergeDepartments,
  moveDepartment,
  moveMember,
  resetOrgCache,
  resolveDivisionLeaderOf,
  resolveHeadOf,
  resolveHoldersOfRole,
  resolveMembersOfDepartment,
  resolveNthSupervisor,
  resolveSupervisorsUpToLevel,
  splitDepartment,
  updateDepartment,
} from '@baton/org';
import { percentile } from '../lib/index.ts';

export interface OrgSize {
  departments: number;
  depth: number;
  members: number;
  /** Timed calls per rule, after `warmup` untimed ones. */
  calls: number;
  warmup: number;
  /** Cold calls per rule, each after resetOrgCache(). */
  coldCalls: number;
  changes: number;
}

export interface LatencyFigure {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** count / the summed time of the calls: sequential calls from one caller. */
  perSecond: number;
}

export interface RuleFigure {
  rule: string;
  /** Share of calls that returned at least one member. */
  nonEmpty: number;
  warm: LatencyFigure;
  /** First call after resetOrgCache(): the snapshot is rebuilt inside the call. */
  cold: LatencyFigure;
}

export type ChangeKind =
  | 'moveMember'
  | 'renameDepartment'
  | 'moveDepartment'
  | 'createDepartment'
  | 'splitDepartment'
  | 'mergeDepartments'
  | 'disableDepartment';

export interface ReorgFigure {
  changes: number;
  totalSeconds: number;
  changesPerSecond: number;
  perChange: LatencyFigure;
  byKind: Record<string, LatencyFigure>;
  /** The first resolution after each change (resolveHeadOf of a random member): the cache rebuild. */
  coldAfterChange: LatencyFigure;
  /** One resolution per rule after the last change, with how many members it returned. */
  after: Array<{ rule: string; subject: string; results: number; ms: number }>;
}

export interface OrgRunFigure {
  dialect: string;
  build: { seconds: number; summary: LargeOrgSummary['counts']; maxDepth: number };
  rules: RuleFigure[];
  reorg: ReorgFigure;
}

/** Deterministic randomness so two runs time the same workload. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickFrom<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new Error('bench/org: nothing to pick from');
  return items[Math.floor(random() * items.length)] as T;
}

export function latency(samples: readonly number[]): LatencyFigure {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    meanMs: sorted.length ? total / sorted.length : Number.NaN,
    perSecond: total > 0 ? sorted.length / (total / 1000) : Number.NaN,
  };
}

type Rule = {
  name: string;
  /** One resolution for the i-th random subject. */
  call: (ctx: DbCtx, i: number) => Promise<string[]>;
};

/** The six rules the flow engine uses most, each over pre-drawn random subjects. */
function rules(summary: LargeOrgSummary, count: number, seed: number): Rule[] {
  const random = createRandom(seed);
  const members = Array.from({ length: count }, () => pickFrom(random, summary.memberIds));
  const departments = Array.from({ length: count }, () => pickFrom(random, summary.departmentIds));
  const roles = Array.from({ length: count }, () => pickFrom(random, summary.roleCodes));
  const at = <T>(list: readonly T[], i: number) => list[i % list.length] as T;
  return [
    { name: 'head of member', call: (ctx, i) => resolveHeadOf(ctx, { memberId: at(members, i) }) },
    { name: '3rd-level supervisor', call: (ctx, i) => resolveNthSupervisor(ctx, { memberId: at(members, i), n: 3 }) },
    {
      name: 'supervisors up to level rank 30',
      call: (ctx, i) => resolveSupervisorsUpToLevel(ctx, { memberId: at(members, i), levelRank: 30 }),
    },
    { name: 'division leader of member', call: (ctx, i) => resolveDivisionLeaderOf(ctx, { memberId: at(members, i) }) },
    {
      name: 'holders of a role in a department',
      call: (ctx, i) => resolveHoldersOfRole(ctx, { role: at(roles, i), departmentId: at(departments, i) }),
    },
    {
      name: 'members of department + sub-departments',
      call: (ctx, i) => resolveMembersOfDepartment(ctx, { departmentId: at(departments, i), withSubDepartments: true }),
    },
  ];
}

async function measureRule(ctx: DbCtx, rule: Rule, size: OrgSize): Promise<RuleFigure> {
  const cold: number[] = [];
  for (let i = 0; i < size.coldCalls; i++) {
    resetOrgCache();
    const t0 = performance.now();
    await rule.call(ctx, i);
    cold.push(performance.now() - t0);
  }
  for (let i = 0; i < size.warmup; i++) await rule.call(ctx, i);
  const warm: number[] = [];
  let nonEmpty = 0;
  for (let i = 0; i < size.calls; i++) {
    const t0 = performance.now();
    const result = await rule.call(ctx, size.warmup + i);
    warm.push(performance.now() - t0);
    if (result.length > 0) nonEmpty++;
  }
  return { rule: rule.name, nonEmpty: nonEmpty / size.calls, warm: latency(warm), cold: latency(cold) };
}

/**
 * A month of DIDI-1 reorganisation, shares of 200. The catalog names the kinds of change, not their mix (and is
 * not in this repository): this mix is the benchmark's assumption — transfers dominate, structural changes rarer.
 */
const MONTH: Array<[ChangeKind, number]> = [
  ['moveMember', 80],
  ['renameDepartment', 30],
  ['moveDepartment', 30],
  ['createDepartment', 20],
  ['splitDepartment', 15],
  ['mergeDepartments', 15],
  ['disableDepartment', 10],
];

/** `changes` kinds in the month's proportions, shuffled. */
function schedule(changes: number, random: () => number): ChangeKind[] {
  const total = MONTH.reduce((sum, [, share]) => sum + share, 0);
  const kinds: ChangeKind[] = [];
  for (const [kind, share] of MONTH) {
    for (let i = 0; i < Math.max(1, Math.round((share / total) * changes)); i++) kinds.push(kind);
  }
  while (kinds.length > changes) kinds.splice(kinds.indexOf('moveMember'), 1);
  while (kinds.length < changes) kinds.push('moveMember');
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j] as ChangeKind, kinds[i] as ChangeKind];
  }
  return kinds;
}

/** The enabled tree as the planner sees it before a change (read outside the timed window). */
class Tree {
  readonly byId: Map<string, Department>;
  readonly children = new Map<string, Department[]>();
  constructor(readonly list: Department[]) {
    this.byId = new Map(list.map((d) => [d.id, d]));
    for (const d of list) {
      if (!d.parentId) continue;
      const siblings = this.children.get(d.parentId) ?? [];
      siblings.push(d);
      this.children.set(d.parentId, siblings);
    }
  }
  depth(d: Department): number {
    let depth = 1;
    let node = d;
    while (node.parentId) {
      const parent = this.byId.get(node.parentId);
      if (!parent) break;
      node = parent;
      depth++;
    }
    return depth;
  }
  /** The department and everything below it. */
  subtree(d: Department): Set<string> {
    const ids = new Set<string>();
    const stack = [d];
    while (stack.length) {
      const node = stack.pop() as Department;
      ids.add(node.id);
      stack.push(...(this.children.get(node.id) ?? []));
    }
    return ids;
  }
  /** Levels below the department (0 for a leaf). */
  height(d: Department): number {
    const below = this.children.get(d.id) ?? [];
    return below.length === 0 ? 0 : 1 + Math.max(...below.map((c) => this.height(c)));
  }
  top(d: Department): Department {
    let node = d;
    while (node.parentId && this.byId.has(node.parentId)) node = this.byId.get(node.parentId) as Department;
    return node;
  }
}

/** Runs the planner until it finds a fitting candidate; a month always has plenty. */
function find<T>(attempts: number, draw: () => T | undefined, what: string): T {
  for (let i = 0; i < attempts; i++) {
    const found = draw();
    if (found !== undefined) return found;
  }
  throw new Error(`bench/org: no candidate for ${what} after ${attempts} draws`);
}

async function activeMainMembers(ctx: DbCtx, departmentId: string): Promise<Member[]> {
  return listMembers(ctx, { departmentId, limit: 1_000 });
}

/**
 * Prepares one change (reads, outside the timing) and returns the operation to time: one transaction.
 * Original top-level departments are never merged or disabled (a company does not fold a whole division in
 * a month), and trees stay within `maxDepth`.
 */
async function plan(
  ctx: DbCtx,
  kind: ChangeKind,
  index: number,
  summary: LargeOrgSummary,
  protectedIds: ReadonlySet<string>,
  maxDepth: number,
  random: () => number,
): Promise<() => Promise<unknown>> {
  const tree = new Tree(await listDepartments(ctx, { unitId: summary.unitId }));
  const inner = tree.list.filter((d) => d.parentId !== null && !protectedIds.has(d.id));
  switch (kind) {
    case 'moveMember': {
      const memberId = pickFrom(random, summary.memberIds);
      const departmentId = pickFrom(random, tree.list).id;
      return () => moveMember(ctx, { memberId, departmentId });
    }
    case 'renameDepartment': {
      const d = pickFrom(random, tree.list);
      return () => updateDepartment(ctx, { id: d.id, version: d.version, name: `重组${index + 1}部` });
    }
    case 'moveDepartment': {
      const [department, parent] = find(
        200,
        () => {
          const d = pickFrom(random, inner);
          const below = tree.subtree(d);
          const height = tree.height(d);
          const p = pickFrom(random, tree.list);
          if (below.has(p.id) || p.id === d.parentId || tree.depth(p) + 1 + height > maxDepth) return undefined;
          return [d, p] as const;
        },
        'moveDepartment',
      );
      return () => moveDepartment(ctx, { departmentId: department.id, parentId: parent.id });
    }
    case 'createDepartment': {
      const parent = find(
        200,
        () => {
          const p = pickFrom(random, tree.list);
          return tree.depth(p) < maxDepth ? p : undefined;
        },
        'createDepartment',
      );
      return () =>
        createDepartment(ctx, {
          unitId: summary.unitId,
          parentId: parent.id,
          name: `新设${index + 1}部`,
          code: `bench-c${index + 1}`,
        });
    }
    case 'splitDepartment': {
      let source: Department | undefined;
      let members: string[] = [];
      for (let i = 0; i < 200 && !source; i++) {
        const d = pickFrom(random, inner);
        const ids = (await activeMainMembers(ctx, d.id)).map((m) => m.id).filter((id) => id !== d.headMemberId);
        if (ids.length >= 4) [source, members] = [d, ids];
      }
      if (!source) throw new Error('bench/org: no department large enough to split');
      const moving = members.slice(0, Math.floor(members.length / 2));
      const children = tree.children.get(source.id) ?? [];
      const departmentIds = children.length >= 2 ? [(children[0] as Department).id] : [];
      const departmentId = source.id;
      return () =>
        splitDepartment(ctx, {
          departmentId,
          name: `拆分${index + 1}部`,
          code: `bench-s${index + 1}`,
          headMemberId: moving[0] ?? null,
          memberIds: moving,
          departmentIds,
        });
    }
    case 'mergeDepartments':
    case 'disableDepartment': {
      // Into a sibling when there is one (two teams become one), else into the parent.
      const source = pickFrom(random, inner);
      const siblings = (tree.children.get(source.parentId as string) ?? []).filter((d) => d.id !== source.id);
      const target =
        siblings.length > 0 ? pickFrom(random, siblings) : (tree.byId.get(source.parentId as string) as Department);
      if (kind === 'mergeDepartments') {
        return () => mergeDepartments(ctx, { sourceId: source.id, targetId: target.id });
      }
      return () => disableDepartment(ctx, { departmentId: source.id, moveTo: target.id });
    }
  }
}

/** After the month: one resolution per rule on subjects where an answer must exist, none may throw. */
async function checkAfter(ctx: DbCtx, summary: LargeOrgSummary, protectedIds: ReadonlySet<string>) {
  const tree = new Tree(await listDepartments(ctx, { unitId: summary.unitId }));
  const heads = new Set(tree.list.map((d) => d.headMemberId).filter((id): id is string => !!id));
  // A member who heads nothing and has no override, in a department under an original division (which has
  // division leaders) with at least three distinct heads on the way up: every rule must answer for them.
  const headsAbove = (d: Department): number => {
    const found = new Set<string>();
    for (let node: Department | undefined = d; node; node = node.parentId ? tree.byId.get(node.parentId) : undefined) {
      if (node.headMemberId) found.add(node.headMemberId);
    }
    return found.size;
  };
  const deep = tree.list.filter((d) => headsAbove(d) >= 3 && protectedIds.has(tree.top(d).id));
  let subject: { memberId: string; departmentId: string } | undefined;
  for (const d of deep) {
    const memberId = (await activeMainMembers(ctx, d.id)).find((m) => !heads.has(m.id) && !m.supervisorId)?.id;
    if (memberId) {
      subject = { memberId, departmentId: d.id };
      break;
    }
  }
  if (!subject) throw new Error('bench/org: no member under three heads left to resolve for');
  const top = tree.top(tree.byId.get(subject.departmentId) as Department);
  const { memberId, departmentId } = subject;
  const checks: Array<[string, string, () => Promise<string[]>]> = [
    ['head of member', memberId, () => resolveHeadOf(ctx, { memberId })],
    ['3rd-level supervisor', memberId, () => resolveNthSupervisor(ctx, { memberId, n: 3 })],
    ['supervisors up to level rank 30', memberId, () => resolveSupervisorsUpToLevel(ctx, { memberId, levelRank: 30 })],
    ['division leader of member', memberId, () => resolveDivisionLeaderOf(ctx, { memberId })],
    [
      'holders of a role in a department',
      departmentId,
      () => resolveHoldersOfRole(ctx, { role: summary.roleCodes[0] as string, departmentId }),
    ],
    [
      'members of department + sub-departments',
      top.id,
      () => resolveMembersOfDepartment(ctx, { departmentId: top.id, withSubDepartments: true }),
    ],
  ];
  const after: ReorgFigure['after'] = [];
  for (const [rule, subjectId, call] of checks) {
    const t0 = performance.now();
    const result = await call();
    const ms = performance.now() - t0;
    if (result.length === 0) throw new Error(`bench/org: '${rule}' for ${subjectId} is empty after the reorganisation`);
    after.push({ rule, subject: subjectId, results: result.length, ms });
  }
  // A merged or disabled department resolves to nobody (its members followed mergedIntoId).
  const gone = (await listDepartments(ctx, { unitId: summary.unitId, includeDisabled: true })).find(
    (d) => d.mergedIntoId !== null,
  );
  if (gone) {
    const members = await resolveMembersOfDepartment(ctx, { departmentId: gone.id });
    if (members.length > 0) throw new Error(`bench/org: merged department ${gone.id} still resolves to members`);
  }
  return after;
}

async function reorganise(ctx: DbCtx, summary: LargeOrgSummary, size: OrgSize, log: (line: string) => void) {
  const random = createRandom(20_260_105);
  const protectedIds = new Set(
    (await listDepartments(ctx, { unitId: summary.unitId })).filter((d) => d.parentId === null).map((d) => d.id),
  );
  const kinds = schedule(size.changes, random);
  const perChange: number[] = [];
  const cold: number[] = [];
  const byKind = new Map<ChangeKind, number[]>();
  for (const [index, kind] of kinds.entries()) {
    const run = await plan(ctx, kind, index, summary, protectedIds, size.depth, random);
    const t0 = performance.now();
    try {
      await run();
    } catch (error) {
      throw new Error(`bench/org: change ${index + 1} (${kind}) failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const ms = performance.now() - t0;
    perChange.push(ms);
    byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    const memberId = pickFrom(random, summary.memberIds);
    const c0 = performance.now();
    await resolveHeadOf(ctx, { memberId });
    cold.push(performance.now() - c0);
    if ((index + 1) % 50 === 0) log(`  ${index + 1}/${kinds.length} changes`);
  }
  const totalMs = perChange.reduce((sum, value) => sum + value, 0);
  return {
    changes: perChange.length,
    totalSeconds: totalMs / 1000,
    changesPerSecond: perChange.length / (totalMs / 1000),
    perChange: latency(perChange),
    byKind: Object.fromEntries(
      MONTH.filter(([kind]) => byKind.has(kind)).map(([kind]) => [kind, latency(byKind.get(kind) ?? [])]),
    ),
    coldAfterChange: latency(cold),
    after: await checkAfter(ctx, summary, protectedIds),
  } satisfies ReorgFigure;
}

/** The whole scenario on an empty, migrated database. */
export async function runOrgScenario(
  db: DbCtx['db'],
  dialect: string,
  size: OrgSize,
  log: (line: string) => void,
): Promise<OrgRunFigure> {
  const ctx: DbCtx = { db, actor: systemActor('bench-org'), clock: systemClock, log: silentLogger() };
  resetOrgCache();
  log(`${dialect}: buildLargeOrg ${size.departments} departments / ${size.depth} levels / ${size.members} members …`);
  const b0 = performance.now();
  const summary = await buildLargeOrg(ctx, {
    departments: size.departments,
    depth: size.depth,
    members: size.members,
    seed: 1,
  });
  const buildSeconds = (performance.now() - b0) / 1000;

  const ruleList = rules(summary, size.warmup + size.calls, 7);
  // Untimed: one rebuild and one call of each rule, so the first rule's cold figure is not the JIT's.
  for (const rule of ruleList) {
    resetOrgCache();
    await rule.call(ctx, 0);
  }
  const figures: RuleFigure[] = [];
  for (const rule of ruleList) {
    log(`${dialect}: ${rule.name}: ${size.coldCalls} cold, ${size.warmup} warm-up, ${size.calls} timed calls …`);
    figures.push(await measureRule(ctx, rule, size));
  }
  for (const figure of figures) {
    if (figure.rule !== '3rd-level supervisor' && figure.nonEmpty < 0.5) {
      throw new Error(`bench/org: '${figure.rule}' answered for only ${(figure.nonEmpty * 100).toFixed(1)} % of calls`);
    }
  }

  log(`${dialect}: ${size.changes} reorganisation changes, one transaction each …`);
  const reorg = await reorganise(ctx, summary, size, log);
  resetOrgCache();
  return {
    dialect,
    build: { seconds: buildSeconds, summary: summary.counts, maxDepth: summary.maxDepth },
    rules: figures,
    reorg,
  };
}
