import { AsyncLocalStorage } from 'node:async_hooks';
import { newId } from '@baton/core';
import { type DbCtx, fromJson, instant, toJson, withTx } from '@baton/db';
import type { Value } from '@baton/expression';
import type { FlowEvent } from '@baton/flow';
import { type FormRecord, listRecords, type RecordEvent } from '@baton/form';
import { getDepartment, getMember } from '@baton/org';
import type { ActionRuntime, ChangeInput, Effect, SourceView, UndoRuntime } from './actions/define.ts';
import { readRecord } from './actions/records.ts';
import { findRuleAction } from './actions/registry.ts';
import { logChange } from './changes.ts';
import type { CompiledRule } from './definition.ts';
import { RuleErrors } from './errors.ts';
import { evaluateAt, fillTemplate } from './expressions.ts';
import type { RuleRunTable } from './schema.ts';
import { compiledOf, ruleRow, rulesOn } from './store.ts';
import { armDateRules } from './timed.ts';
import {
  type CompensationTrigger,
  type FormRef,
  flowTriggers,
  type Label,
  type RuleAction,
  type RuleDefinition,
  recordTriggers,
  refId,
} from './types.ts';

/** What the composition root hands over from onFlowEvent and onRecordEvent. */
export type RuleEvent = { flow: FlowEvent } | { record: RecordEvent };

export type ApplyResult = {
  /** Runs recorded (rules whose actions changed something). */
  applied: { rule: string; version: number; runId: string }[];
  compensated: { rule: string; version: number; runId: string }[];
};

/** How deep rules may set each other off (a write-back whose record event runs another rule …). */
export const MAX_RULE_DEPTH = 8;

export type Normalized = {
  kind: 'flow' | 'form';
  /** `pack.key` of the flow or form. */
  ref: string;
  type: string;
  compensation: CompensationTrigger | undefined;
  subjectId: string;
  instanceId: string | null;
  /** Unique per occurrence of the event: the run's idempotency key. */
  eventKey: string;
  nodeKey: string | null;
  at: string;
  actorId: string | null;
  record?: { form: FormRef; id: string };
  before?: Readonly<Record<string, unknown>>;
};

const flowTypes: ReadonlySet<string> = new Set(flowTriggers);
const recordTypes: ReadonlySet<string> = new Set(recordTriggers);
const flowCompensating: Readonly<Record<string, CompensationTrigger>> = {
  withdrawn: 'withdrawn',
  terminated: 'terminated',
  rejected: 'rejected',
};

function normalize(event: RuleEvent): Normalized | undefined {
  if ('flow' in event) {
    const e = event.flow;
    if (!flowTypes.has(e.type)) return undefined;
    const toInitiator = e.type === 'returned' && e.detail?.to === 'initiator';
    return {
      kind: 'flow',
      ref: e.flow,
      type: e.type,
      compensation: toInitiator ? 'returnedToInitiator' : flowCompensating[e.type],
      subjectId: e.instanceId,
      instanceId: e.instanceId,
      // An instance meets the same event type again only at another instant or on another node run.
      eventKey: `flow:${e.instanceId}:${e.type}:${e.nodeRunId ?? e.taskId ?? e.nodeKey ?? ''}:${e.at}`,
      nodeKey: e.nodeKey ?? null,
      at: e.at,
      actorId: e.actorId ?? null,
    };
  }
  const e = event.record;
  if (!recordTypes.has(e.type)) return undefined;
  return {
    kind: 'form',
    ref: `${e.pack}.${e.key}`,
    type: e.type,
    compensation: e.type === 'voided' ? 'voided' : undefined,
    subjectId: e.recordId,
    instanceId: e.flowInstanceId,
    // Each write gives the record a new version: the version names the change.
    eventKey: `record:${e.pack}.${e.key}:${e.recordId}:${e.type}:${e.version}`,
    nodeKey: null,
    at: e.at,
    actorId: e.actorId,
    record: { form: { pack: e.pack, key: e.key }, id: e.recordId },
    ...(e.before ? { before: e.before } : {}),
  };
}

const chain = new AsyncLocalStorage<readonly string[]>();

function actorOf(ctx: DbCtx): string {
  const actor = ctx.actor;
  return actor.kind === 'member' ? actor.memberId : actor.kind === 'system' ? `system:${actor.name}` : 'anonymous';
}

async function initiatorOf(ctx: DbCtx, memberId: string | null): Promise<SourceView['initiator']> {
  if (!memberId) return { memberId: null };
  const member = await getMember(ctx, { id: memberId }).catch(() => undefined);
  if (!member) return { memberId };
  const department = await getDepartment(ctx, { id: member.mainDepartmentId }).catch(() => undefined);
  return {
    memberId,
    departmentId: member.mainDepartmentId,
    ...(department?.unitId ? { unitId: department.unitId } : {}),
    ...(member.postId ? { postId: member.postId } : {}),
  };
}

export async function loadSource(ctx: DbCtx, n: Normalized): Promise<SourceView | undefined> {
  if (n.kind === 'flow') {
    const inst = await ctx.db
      .selectFrom('baton_flow_instance')
      .select(['formPack', 'formKey', 'recordId', 'initiatorId'])
      .where('id', '=', n.subjectId)
      .executeTakeFirst();
    if (!inst) return undefined;
    const form = { pack: inst.formPack, key: inst.formKey };
    const record = await readRecord(ctx, form, inst.recordId);
    if (!record) return undefined;
    return { form, record, instanceId: n.subjectId, initiator: await initiatorOf(ctx, inst.initiatorId) };
  }
  const target = n.record as { form: FormRef; id: string };
  const record = await readRecord(ctx, target.form, target.id);
  if (!record) return undefined;
  // A record's "initiator" is the member who wrote it, or its owner when the platform did.
  const member = n.actorId && !n.actorId.includes(':') && n.actorId !== 'anonymous' ? n.actorId : record.ownerId;
  return { form: target.form, record, instanceId: n.instanceId, initiator: await initiatorOf(ctx, member) };
}

function prefixed(values: Readonly<Record<string, unknown>> | undefined, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values ?? {})) out[`${prefix}${key}`] = value;
  return out;
}

function eventContext(n: Normalized, source: SourceView, ctx: DbCtx): Record<string, unknown> {
  const { record, initiator } = source;
  return {
    'initiator.memberId': initiator.memberId ?? null,
    'initiator.departmentId': initiator.departmentId ?? null,
    'initiator.unitId': initiator.unitId ?? null,
    'initiator.postId': initiator.postId ?? null,
    'actor.memberId': ctx.actor.kind === 'member' ? ctx.actor.memberId : null,
    'event.type': n.type,
    'event.nodeKey': n.nodeKey,
    'event.instanceId': n.instanceId,
    'event.at': n.at,
    'record.id': record.id,
    'record.state': record.state,
    'record.ownerId': record.ownerId,
    'record.departmentId': record.departmentId,
    'record.createdAt': record.createdAt,
    ...prefixed(n.before, 'before.'),
  };
}

type Scope = {
  ctx: DbCtx;
  /** The same transaction acting as the rule (records it writes show `system:rule:<pack>.<key>`). */
  ruleCtx: DbCtx;
  compiled: CompiledRule & { version: number };
  n: Normalized;
  source: SourceView;
  context: Record<string, unknown>;
  /** What named actions of this run handed on so far, as `actions.<as>.<name>` (none: blank). */
  outputs: Record<string, unknown>;
};

function evalAt(
  scope: Scope,
  path: string,
  row: number | undefined,
  target: Readonly<Record<string, unknown>> | undefined,
): Value {
  const expression = scope.compiled.expressions.get(path);
  if (!expression)
    throw new Error(`rule ${scope.compiled.def.pack}.${scope.compiled.def.key}: nothing compiled at ${path}`);
  const context = { ...scope.context, ...scope.outputs };
  return evaluateAt(expression, scope.source.record.values, {
    clock: scope.ctx.clock,
    context: target ? { ...context, ...prefixed(target, 'target.') } : context,
    ...(row !== undefined ? { rowIndex: row } : {}),
  });
}

function displayMatch(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${value === null || value === undefined ? '' : String(value)}`)
    .join(', ');
}

async function findTarget(
  scope: Scope,
  form: FormRef,
  values: Record<string, unknown>,
  required: boolean,
): Promise<FormRecord | undefined> {
  const missing = () => {
    if (!required) return undefined;
    throw RuleErrors.targetNotFound.create({
      rule: `${scope.compiled.def.pack}.${scope.compiled.def.key}`,
      form: refId(form),
      match: displayMatch(values),
    });
  };
  const blank = (value: unknown) => value === null || value === undefined || value === '';
  if (Object.values(values).some(blank)) return missing();
  if ('id' in values) {
    const found = await readRecord(scope.ctx, form, String(values.id));
    return found && !found.voidedAt ? found : missing();
  }
  const { records } = await listRecords(
    scope.ctx,
    {
      ...form,
      filters: Object.entries(values).map(([field, value]) => ({ field, op: 'eq' as const, value })),
      limit: 2,
    },
    { referenceIds: true },
  );
  if (records.length > 1) {
    throw RuleErrors.targetAmbiguous.create({
      rule: `${scope.compiled.def.pack}.${scope.compiled.def.key}`,
      form: refId(form),
      match: displayMatch(values),
    });
  }
  const hit = records[0];
  if (!hit) return missing();
  return (await readRecord(scope.ctx, form, hit.id)) ?? missing();
}

function changeLogger(scope: Scope, runId: string) {
  const { compiled, n, source } = scope;
  return (change: ChangeInput) =>
    logChange(scope.ctx, {
      ...change,
      rule: { pack: compiled.def.pack, key: compiled.def.key, version: compiled.version },
      runId,
      eventType: n.type,
      instanceId: source.instanceId,
      source: { pack: source.form.pack, key: source.form.key, recordId: source.record.id },
      actorId: actorOf(scope.ctx),
    });
}

const COMMON = new Set(['kind', 'when', 'forEachRow', 'as']);

async function runActions(
  scope: Scope,
  actions: readonly RuleAction[],
  prefix: string,
  runId: string,
  effects: Effect[],
): Promise<void> {
  const rule: RuleDefinition = scope.compiled.def;
  for (const [index, action] of actions.entries()) {
    const kind = findRuleAction(action.kind);
    if (!kind) throw new Error(`rule action kind ${action.kind} is not registered`);
    const config = kind.configSchema.parse(Object.fromEntries(Object.entries(action).filter(([k]) => !COMMON.has(k))));
    const path = `${prefix}.${index}`;
    const rowsOf = action.forEachRow ? scope.source.record.values[action.forEachRow] : undefined;
    const rows: (number | undefined)[] = action.forEachRow
      ? (Array.isArray(rowsOf) ? rowsOf : []).map((_, i) => i)
      : [undefined];
    for (const row of rows) {
      if (action.when !== undefined && evalAt(scope, `${path}.when`, row, undefined) !== true) continue;
      const at = (rel: readonly (string | number)[]) => [path, ...rel].join('.');
      const rt: ActionRuntime = {
        ctx: scope.ruleCtx,
        rule,
        runId,
        source: scope.source,
        row: row === undefined ? undefined : { subtable: action.forEachRow as string, index: row },
        eval: (rel, target) => evalAt(scope, at(rel), row, target),
        evalRow: (rel, rowIndex, target) => evalAt(scope, at(rel), rowIndex, target),
        output: (values) => {
          if (action.as === undefined) return;
          Object.assign(scope.outputs, prefixed(values, `actions.${action.as}.`));
        },
        text: (label: Label, params, paramsPath, target) => {
          const values: Record<string, { value: Value; type: never }> = {};
          for (const name of Object.keys(params ?? {})) {
            const key = at([...paramsPath, name]);
            const expression = scope.compiled.expressions.get(key);
            if (expression) values[name] = { value: evalAt(scope, key, row, target), type: expression.type as never };
          }
          return fillTemplate(label, values);
        },
        findTarget: async (form, match, matchPath, required) => {
          const values: Record<string, unknown> = {};
          for (const key of Object.keys(match)) values[key] = evalAt(scope, at([...matchPath, key]), row, undefined);
          return findTarget(scope, form, values, required);
        },
        form: (ref) => scope.compiled.forms.get(refId(ref)),
        writeContext: {
          ...(scope.source.initiator.memberId ? { memberId: scope.source.initiator.memberId } : {}),
          ...(scope.source.initiator.departmentId ? { departmentId: scope.source.initiator.departmentId } : {}),
          ...(scope.source.initiator.unitId ? { unitId: scope.source.initiator.unitId } : {}),
        },
        memberCtx: (memberId) => ({ ...scope.ctx, actor: { kind: 'member', memberId } }),
        actionKey: `${runId}:${path}${row === undefined ? '' : `:${row}`}`,
        effect: (effect) => {
          effects.push({
            ...effect,
            action: path,
            ...(row === undefined ? {} : { row }),
            ...(action.as === undefined ? {} : { as: action.as }),
          });
        },
        logChange: changeLogger(scope, runId),
        required: (rel) => RuleErrors.valueRequired.create({ rule: `${rule.pack}.${rule.key}`, path: at(rel) }),
      };
      await kind.run(rt, config);
    }
  }
}

async function compensate(
  ctx: DbCtx,
  n: Normalized,
  trigger: CompensationTrigger,
  source: () => Promise<SourceView | undefined>,
  result: ApplyResult,
): Promise<void> {
  const runs = await ctx.db
    .selectFrom('baton_rule_run')
    .selectAll()
    .where('subjectId', '=', n.subjectId)
    .where('state', '=', 'applied')
    .orderBy('appliedAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
  for (const run of runs) {
    const row = await ruleRow(ctx, run.rulePack, run.ruleKey, Number(run.ruleVersion));
    if (!row) continue;
    const compiled = await compiledOf(ctx, row);
    const plan = compiled.def.compensate;
    if (!plan?.on.includes(trigger)) continue;
    // Claiming the run first makes a retried or concurrent compensation a no-op.
    const claimed = await ctx.db
      .updateTable('baton_rule_run')
      .set({ state: 'compensated', compensatedAt: instant(ctx.clock.now()), compensatedBy: n.eventKey })
      .where('id', '=', run.id)
      .where('state', '=', 'applied')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const ruleCtx: DbCtx = { ...ctx, actor: { kind: 'system', name: `rule:${compiled.def.pack}.${compiled.def.key}` } };
    const view = await source();
    const scope: Scope | undefined = view
      ? { ctx, ruleCtx, compiled, n, source: view, context: eventContext(n, view, ctx), outputs: {} }
      : undefined;
    const undoRt: UndoRuntime = {
      ctx: ruleCtx,
      rule: compiled.def,
      runId: run.id,
      logChange: scope
        ? changeLogger(scope, run.id)
        : (change) =>
            logChange(ctx, {
              ...change,
              rule: { pack: compiled.def.pack, key: compiled.def.key, version: compiled.version },
              runId: run.id,
              eventType: n.type,
              instanceId: run.instanceId,
              source: { pack: run.recordPack, key: run.recordKey, recordId: run.recordId },
              actorId: actorOf(ctx),
            }),
    };
    const effects: Effect[] = [];
    await chain.run([...(chain.getStore() ?? []), `${compiled.def.pack}.${compiled.def.key}`], async () => {
      if (plan.undo) {
        for (const effect of fromJson<Effect[]>(run.effects).reverse()) {
          await findRuleAction(effect.kind)?.undo?.(undoRt, effect);
        }
      }
      if (plan.actions.length > 0 && scope)
        await runActions(scope, plan.actions, 'compensate.actions', run.id, effects);
    });
    await ctx.db
      .updateTable('baton_rule_run')
      .set({ compensation: toJson(ctx.db, effects) })
      .where('id', '=', run.id)
      .execute();
    result.compensated.push({
      rule: `${run.rulePack}.${run.ruleKey}`,
      version: Number(run.ruleVersion),
      runId: run.id,
    });
  }
}

/**
 * Applies one rule to one event whose source is known: checks `when`, claims the run (unique per rule and event)
 * and runs the actions. The run id when something was done; undefined when skipped, already applied or idle.
 */
export async function applyOne(
  tx: DbCtx,
  compiled: CompiledRule & { version: number },
  n: Normalized,
  view: SourceView,
  stack: readonly string[] = chain.getStore() ?? [],
): Promise<string | undefined> {
  const def = compiled.def;
  // A flow now bound to another form than the rule was checked against: its expressions would misread.
  if (compiled.source && refId(compiled.source.ref) !== refId(view.form)) {
    tx.log.warn({ rule: `${def.pack}.${def.key}`, form: refId(view.form) }, 'rule skipped: source form changed');
    return undefined;
  }
  const ruleCtx: DbCtx = { ...tx, actor: { kind: 'system', name: `rule:${def.pack}.${def.key}` } };
  const scope: Scope = {
    ctx: tx,
    ruleCtx,
    compiled,
    n,
    source: view,
    context: eventContext(n, view, tx),
    outputs: {},
  };
  if (def.when !== undefined && evalAt(scope, 'when', undefined, undefined) !== true) return undefined;
  const runId = newId();
  const inserted = await tx.db
    .insertInto('baton_rule_run')
    .values({
      id: runId,
      rulePack: def.pack,
      ruleKey: def.key,
      ruleVersion: compiled.version,
      eventKey: n.eventKey,
      eventType: n.type,
      subjectId: n.subjectId,
      instanceId: view.instanceId,
      recordPack: view.form.pack,
      recordKey: view.form.key,
      recordId: view.record.id,
      state: 'applied',
      effects: toJson(tx.db, []),
      compensation: null,
      actorId: actorOf(tx),
      appliedAt: instant(tx.clock.now()),
      compensatedAt: null,
      compensatedBy: null,
    })
    .onConflict((oc) => oc.columns(['rulePack', 'ruleKey', 'eventKey']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return undefined;
  const effects: Effect[] = [];
  await chain.run([...stack, `${def.pack}.${def.key}`], () =>
    runActions(scope, def.actions, 'actions', runId, effects),
  );
  // A run that changed nothing (a guard that let the action through) leaves no row: nothing to compensate.
  if (effects.length === 0) {
    await tx.db.deleteFrom('baton_rule_run').where('id', '=', runId).execute();
    return undefined;
  }
  await tx.db
    .updateTable('baton_rule_run')
    .set({ effects: toJson(tx.db, effects) })
    .where('id', '=', runId)
    .execute();
  return runId;
}

/**
 * Runs the rules an event triggers, in the caller's transaction (the action that raised the event): compensations
 * first (withdrawn, terminated … undo the runs on that instance), then each enabled rule listening to the event
 * whose `when` holds, in `order`. A refusal or failure throws and rolls the whole action back. Each application
 * is recorded once per rule and event (baton_rule_run), so a retried event applies nothing twice.
 */
export async function applyRules(ctx: DbCtx, event: RuleEvent): Promise<ApplyResult> {
  const n = normalize(event);
  const result: ApplyResult = { applied: [], compensated: [] };
  if (!n) return result;
  const stack = chain.getStore() ?? [];
  if (stack.length >= MAX_RULE_DEPTH) {
    throw RuleErrors.cascadeTooDeep.create({ max: MAX_RULE_DEPTH, chain: stack.join(' → ') });
  }
  return withTx(ctx, async (tx) => {
    let loaded: Promise<SourceView | undefined> | undefined;
    const source = () => {
      loaded ??= loadSource(tx, n);
      return loaded;
    };
    if (n.compensation) await compensate(tx, n, n.compensation, source, result);
    const rows = await rulesOn(tx, n.kind === 'flow' ? ['flow'] : ['form', 'date'], n.ref);
    const dated = rows.filter((row) => row.triggerKind === 'date');
    if (dated.length > 0) {
      const view = await source();
      if (view)
        await armDateRules(
          tx,
          dated.map((row) => fromJson<RuleDefinition>(row.definition)),
          view.record,
        );
    }
    const candidates = [];
    for (const row of rows) {
      if (!row.enabled || row.triggerKind === 'date') continue;
      const compiled = await compiledOf(tx, row);
      const { on } = compiled.def;
      if (!('events' in on) || !(on.events as readonly string[]).includes(n.type)) continue;
      if ('nodes' in on && on.nodes && (n.type === 'nodeEntered' || n.type === 'nodeCompleted')) {
        if (!n.nodeKey || !on.nodes.includes(n.nodeKey)) continue;
      }
      candidates.push(compiled);
    }
    candidates.sort(
      (a, b) => a.def.order - b.def.order || a.def.pack.localeCompare(b.def.pack) || a.def.key.localeCompare(b.def.key),
    );
    for (const compiled of candidates) {
      const view = await source();
      if (!view) break;
      const runId = await applyOne(tx, compiled, n, view, stack);
      if (runId)
        result.applied.push({ rule: `${compiled.def.pack}.${compiled.def.key}`, version: compiled.version, runId });
    }
    return result;
  });
}

export type RuleRun = {
  id: string;
  rule: string;
  version: number;
  eventType: string;
  /** The request (flow rules) or record (form and timed rules) the run belongs to. */
  subjectId: string;
  instanceId: string | null;
  record: { pack: string; key: string; id: string };
  state: 'applied' | 'compensated';
  effects: Effect[];
  compensation: Effect[] | null;
  appliedAt: string;
  compensatedAt: string | null;
};

/** What rules did for one flow instance or record (newest first): the audit of write-backs and compensations. */
export async function listRuleRuns(ctx: DbCtx, input: { subjectId: string }): Promise<RuleRun[]> {
  const rows = await ctx.db
    .selectFrom('baton_rule_run')
    .selectAll()
    .where('subjectId', '=', String(input.subjectId))
    .orderBy('appliedAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toRun);
}

function toRun(row: RuleRunTable): RuleRun {
  return {
    id: row.id,
    rule: `${row.rulePack}.${row.ruleKey}`,
    version: Number(row.ruleVersion),
    eventType: row.eventType,
    subjectId: row.subjectId,
    instanceId: row.instanceId,
    record: { pack: row.recordPack, key: row.recordKey, id: row.recordId },
    state: row.state,
    effects: fromJson<Effect[]>(row.effects),
    compensation: row.compensation === null ? null : fromJson<Effect[]>(row.compensation),
    appliedAt: row.appliedAt,
    compensatedAt: row.compensatedAt,
  };
}

/** The latest runs of one rule (every version), newest first: what an administrator checks after publishing. */
export async function listRecentRuleRuns(
  ctx: DbCtx,
  input: { pack: string; key: string; limit?: number },
): Promise<RuleRun[]> {
  const limit = Math.min(Math.max(Math.trunc(Number(input.limit ?? 20)) || 20, 1), 200);
  const rows = await ctx.db
    .selectFrom('baton_rule_run')
    .selectAll()
    .where('rulePack', '=', String(input.pack))
    .where('ruleKey', '=', String(input.key))
    .orderBy('appliedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRun);
}
