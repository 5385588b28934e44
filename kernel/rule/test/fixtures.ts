import { accessMigrations } from '@baton/access';
import { createFakeClock, type FakeClock, isBatonError } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { type FlowDefinitionInput, flowMigrations, onFlowEvent, publishFlow } from '@baton/flow';
import { type FormDefinitionInput, formMigrations, onRecordEvent, publishForm, tableName } from '@baton/form';
import { createDepartment, createLevel, createMember, createUnit, orgMigrations, setHead } from '@baton/org';
import { applyRules, ruleMigrations } from '@baton/rule';
import { scheduleMigrations } from '@baton/schedule';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';

export const l = (zh: string, en: string) => ({ zh, en });

/** A small organisation: 总部 (ceo) ─ 市场部 (manager: staff1, staff2), 财务部 (cfo). */
export async function buildOrg(ctx: DbCtx) {
  const hq = await createUnit(ctx, { code: 'HQ', name: '总部', kind: 'headquarters' });
  const level = await createLevel(ctx, { code: 'STAFF', name: '专员', rank: 60 });
  const top = await createDepartment(ctx, { unitId: hq.id, parentId: null, code: '10', name: '总部' });
  const market = await createDepartment(ctx, { unitId: hq.id, parentId: top.id, code: '20', name: '市场部' });
  const finance = await createDepartment(ctx, { unitId: hq.id, parentId: top.id, code: '30', name: '财务部' });
  let n = 0;
  const member = (login: string, name: string, departmentId: string) =>
    createMember(ctx, { code: `E${++n}`, name, login, mainDepartmentId: departmentId, levelId: level.id });
  const ceo = await member('ceo', '张总', top.id);
  const manager = await member('manager', '王经理', market.id);
  const staff1 = await member('staff1', '赵一', market.id);
  const staff2 = await member('staff2', '钱二', market.id);
  const cfo = await member('cfo', '吴财务', finance.id);
  await setHead(ctx, { departmentId: market.id, memberId: manager.id });
  return { unit: hq, departments: { top, market, finance }, m: { ceo, manager, staff1, staff2, cfo } };
}

export type Env = Awaited<ReturnType<typeof openEnv>>;

/** A fresh database with every engine rules touch, an org, a fake clock, and rules wired to flow and record events. */
export async function openEnv() {
  const database: TestDatabase = await createTestDatabase({
    migrations: [scheduleMigrations, orgMigrations, accessMigrations, formMigrations, flowMigrations, ruleMigrations],
  });
  const clock: FakeClock = createFakeClock('2026-11-30T01:00:00.000Z');
  const ctx = testCtx(database.db, { clock });
  const org = await buildOrg(ctx);
  // What apps/cli/src/wiring/rules.ts does in the platform.
  const offFlow = onFlowEvent((tx, event) => applyRules(tx, { flow: event }).then(() => undefined));
  const offRecord = onRecordEvent((tx, event) => applyRules(tx, { record: event }).then(() => undefined));
  const as = (memberId: string) =>
    testCtx(database.db, { clock, actor: { kind: 'member', memberId } }) as DbCtx & { clock: FakeClock };
  return {
    database,
    clock,
    ctx,
    org,
    m: org.m,
    as,
    async close() {
      offFlow();
      offRecord();
      await database.cleanup();
    },
  };
}

export async function publishForms(env: Env, ...forms: FormDefinitionInput[]) {
  for (const form of forms) await publishForm(env.ctx, form);
}

/** start → one approval node (`approve`, by the given members) → end, on `form`. */
export async function publishLine(
  env: Env,
  flow: { pack: string; key: string },
  form: { pack: string; key: string },
  approvers: string[],
  extra: Partial<FlowDefinitionInput> = {},
) {
  await publishFlow(env.ctx, {
    ...flow,
    name: l('审批', 'Approval'),
    form,
    nodes: [
      { key: 'start', kind: 'start' },
      { key: 'approve', kind: 'approval', assignees: [{ source: 'members', ids: approvers }] },
      { key: 'end', kind: 'end' },
    ],
    edges: [
      { from: 'start', to: 'approve' },
      { from: 'approve', to: 'end' },
    ],
    ...extra,
  });
}

/** The pending task of `memberId` on an instance. */
export async function taskOf(env: Env, instanceId: string, memberId: string): Promise<string> {
  const task = await env.database.db
    .selectFrom('baton_flow_task')
    .select('id')
    .where('instanceId', '=', instanceId)
    .where('assigneeId', '=', memberId)
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  return task.id;
}

export async function caught(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isBatonError(error)) {
      return {
        code: error.code,
        status: error.status,
        zh: error.localized('zh-CN'),
        en: error.localized('en-US'),
        paths: error.fields.map((field) => field.path.join('.')),
      };
    }
    throw error;
  }
  throw new Error('expected an error');
}

/** Rows of a form's main table (ids and every column), for asserting that nothing changed. */
export async function rowsOf(env: Env, pack: string, key: string): Promise<Record<string, unknown>[]> {
  // biome-ignore lint/suspicious/noExplicitAny: form tables are named at run time
  const db = env.database.db as any;
  return db.selectFrom(tableName(pack, key)).selectAll().orderBy('id').execute();
}

export async function count(
  env: Env,
  table: 'baton_rule_run' | 'baton_flow_instance' | 'baton_db_outbox' | 'baton_rule_change',
) {
  const row = await env.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
