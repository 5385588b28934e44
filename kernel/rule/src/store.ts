import { type DbCtx, fromJson, instant, renewStamp, toJson, withTx } from '@baton/db';
import { FlowErrors, loadFlow } from '@baton/flow';
import type { FormDefinition } from '@baton/form';
import { z } from 'zod';
import { type CompiledRule, compileRule, ruleReferences, validateRule } from './definition.ts';
import { RuleErrors } from './errors.ts';
import type { RuleDefinitionTable } from './schema.ts';
import { syncTimedRule } from './timed.ts';
import {
  type FormRef,
  type RuleCatalog,
  type RuleDefinition,
  type RuleDefinitionInput,
  type RuleIssue,
  refId,
  type TriggerKind,
  triggerOf,
} from './types.ts';
import { parseInput } from './validate.ts';

/** The versions a rule was checked against: its expressions compile against exactly these at run time. */
type PinnedCatalog = {
  forms: Record<string, { version: number; hash: string }>;
  flows: Record<string, { version: number; form: FormRef; nodes: string[] }>;
};

function actorId(ctx: DbCtx): string {
  const actor = ctx.actor;
  return actor.kind === 'member' ? actor.memberId : actor.kind === 'system' ? `system:${actor.name}` : 'anonymous';
}

async function formAt(ctx: DbCtx, ref: FormRef, version?: number) {
  let query = ctx.db
    .selectFrom('baton_form_definition')
    .select(['version', 'definition', 'hash'])
    .where('pack', '=', ref.pack)
    .where('key', '=', ref.key);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  return row
    ? { version: Number(row.version), hash: row.hash, def: fromJson<FormDefinition>(row.definition) }
    : undefined;
}

/** The latest published forms and flows a definition names (unknown ones are left out: validation reports them). */
async function currentCatalog(ctx: DbCtx, def: unknown): Promise<{ catalog: RuleCatalog; pinned: PinnedCatalog }> {
  const refs = ruleReferences(def);
  const catalog: { forms: Record<string, FormDefinition>; flows: RuleCatalog['flows'] & object } = {
    forms: {},
    flows: {},
  };
  const pinned: PinnedCatalog = { forms: {}, flows: {} };
  const formRefs = [...refs.forms];
  for (const ref of refs.flows) {
    try {
      const { version, flow } = await loadFlow(ctx, ref.pack, ref.key);
      const nodes = flow.def.nodes.map((node) => node.key);
      const form = { pack: flow.def.form.pack, key: flow.def.form.key };
      (catalog.flows as Record<string, { form: FormRef; nodes: readonly string[] }>)[refId(ref)] = { form, nodes };
      pinned.flows[refId(ref)] = { version, form, nodes };
      formRefs.push(form);
    } catch (error) {
      if (!FlowErrors.notPublished.is(error)) throw error;
    }
  }
  for (const ref of formRefs) {
    const found = await formAt(ctx, ref);
    if (!found) continue;
    catalog.forms[refId(ref)] = found.def;
    pinned.forms[refId(ref)] = { version: found.version, hash: found.hash };
  }
  return { catalog, pinned };
}

export type RuleCheck = {
  /** Every problem with its path, as publishing would refuse it; empty when it would publish. */
  issues: RuleIssue[];
  /** The published versions of the forms and flows it was checked against (`pack.key` → version). */
  forms: Record<string, number>;
  flows: Record<string, number>;
};

/** What publishRule would say of a definition, against the same latest forms and flows; nothing is stored. */
export async function checkRule(ctx: DbCtx, def: unknown): Promise<RuleCheck> {
  const { catalog, pinned } = await currentCatalog(ctx, def);
  return {
    issues: validateRule(def, catalog),
    forms: Object.fromEntries(Object.entries(pinned.forms).map(([id, form]) => [id, form.version])),
    flows: Object.fromEntries(Object.entries(pinned.flows).map(([id, flow]) => [id, flow.version])),
  };
}

export type PublishRuleResult = { version: number; definition: RuleDefinition; unchanged: boolean };

/**
 * Checks the definition against the latest published versions of every form and flow it names (expressions
 * type-check, fields and nodes exist) and stores it as version n+1 in baton_rule_definition; identical content
 * checked against the same versions is `unchanged`. Runs that already happened keep the version they ran with.
 */
export async function publishRule(ctx: DbCtx, def: RuleDefinitionInput | RuleDefinition): Promise<PublishRuleResult> {
  return withTx(ctx, async (tx) => {
    const { catalog, pinned } = await currentCatalog(tx, def);
    const { def: definition } = compileRule(def, catalog);
    const { kind: triggerKind, ref: triggerRef } = triggerOf(definition.on);
    const latest = await tx.db
      .selectFrom('baton_rule_definition')
      .select(['version', 'hash', 'catalog'])
      .where('pack', '=', definition.pack)
      .where('key', '=', definition.key)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    const pinnedText = JSON.stringify(pinned);
    if (latest && latest.hash === definition.hash && canonicalJson(latest.catalog) === canonicalJson(pinnedText)) {
      return { version: Number(latest.version), definition, unchanged: true };
    }
    const version = Number(latest?.version ?? 0) + 1;
    await tx.db
      .insertInto('baton_rule_definition')
      .values({
        pack: definition.pack,
        key: definition.key,
        version,
        definition: toJson(tx.db, definition),
        hash: definition.hash,
        triggerKind,
        triggerRef,
        catalog: toJson(tx.db, pinned),
        enabled: definition.enabled,
        publishedAt: instant(tx.clock.now()),
        publishedBy: actorId(tx),
      })
      .execute();
    await syncTimedRule(tx, definition);
    await newRulesStamp(tx);
    return { version, definition, unchanged: false };
  });
}

function canonicalJson(value: unknown): string {
  const sort = (item: unknown): unknown =>
    Array.isArray(item)
      ? item.map(sort)
      : typeof item === 'object' && item !== null
        ? Object.fromEntries(
            Object.keys(item)
              .sort()
              .map((key) => [key, sort((item as Record<string, unknown>)[key])]),
          )
        : item;
  return JSON.stringify(sort(typeof value === 'string' ? JSON.parse(value) : value));
}

export type RuleSummary = {
  pack: string;
  key: string;
  version: number;
  name: RuleDefinition['name'];
  enabled: boolean;
  on: RuleDefinition['on'];
  actions: string[];
  publishedAt: string;
  publishedBy: string;
};

const ref = z.string().regex(/^[a-z][A-Za-z0-9]{0,39}\.[a-z][A-Za-z0-9]{0,39}$/);
const listInput = z.strictObject({ flow: ref.optional(), form: ref.optional(), pack: z.string().max(40).optional() });

/** The latest version of every rule (optionally those on one flow or over one form, or of one pack), by pack and key. */
export async function listRules(ctx: DbCtx, input: z.input<typeof listInput> = {}): Promise<RuleSummary[]> {
  const data = parseInput(listInput, input);
  let query = ctx.db
    .selectFrom('baton_rule_definition as d')
    .selectAll('d')
    .where(({ eb, selectFrom }) =>
      eb(
        'd.version',
        '=',
        selectFrom('baton_rule_definition as l')
          .select((e) => e.fn.max('l.version').as('v'))
          .whereRef('l.pack', '=', 'd.pack')
          .whereRef('l.key', '=', 'd.key'),
      ),
    );
  if (data.flow) query = query.where('d.triggerKind', '=', 'flow').where('d.triggerRef', '=', data.flow);
  if (data.form) {
    query = query.where('d.triggerKind', 'in', ['form', 'schedule', 'date']).where('d.triggerRef', '=', data.form);
  }
  if (data.pack) query = query.where('d.pack', '=', data.pack);
  const rows = await query.orderBy('d.pack').orderBy('d.key').execute();
  return rows.map((row) => {
    const def = fromJson<RuleDefinition>(row.definition);
    return {
      pack: row.pack,
      key: row.key,
      version: Number(row.version),
      name: def.name,
      enabled: Boolean(row.enabled),
      on: def.on,
      actions: def.actions.map((action) => action.kind),
      publishedAt: row.publishedAt,
      publishedBy: row.publishedBy,
    };
  });
}

export type StoredRule = { version: number; definition: RuleDefinition; publishedAt: string; publishedBy: string };

/** One published version (the latest by default); RULE_NOT_PUBLISHED when there is none. */
export async function getRule(ctx: DbCtx, input: { pack: string; key: string; version?: number }): Promise<StoredRule> {
  const data = parseInput(
    z.strictObject({ pack: z.string().max(40), key: z.string().max(40), version: z.number().int().min(1).optional() }),
    input,
  );
  const row = await ruleRow(ctx, data.pack, data.key, data.version);
  if (!row) throw RuleErrors.notPublished.create({ rule: `${data.pack}.${data.key}` });
  return {
    version: Number(row.version),
    definition: fromJson<RuleDefinition>(row.definition),
    publishedAt: row.publishedAt,
    publishedBy: row.publishedBy,
  };
}

export async function ruleRow(
  ctx: DbCtx,
  pack: string,
  key: string,
  version?: number,
): Promise<RuleDefinitionTable | undefined> {
  let query = ctx.db.selectFrom('baton_rule_definition').selectAll().where('pack', '=', pack).where('key', '=', key);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  return query.executeTakeFirst();
}

// Every flow and record event looks up the rules on its flow or form. The published rules are cached per
// process under the stamp of baton_rule_stamp, which every publish replaces with a random value in its own
// transaction: a process sees a publish of another one at its next stamp read, and a stamp that was rolled
// back never comes back. Inside one transaction the stamp is read once (an action emits several events).
const stampOfTransaction = new WeakMap<object, string>();
const rulesCache = new Map<string, RuleDefinitionTable[]>();

async function rulesStamp(ctx: DbCtx): Promise<string | undefined> {
  const known = stampOfTransaction.get(ctx.db);
  if (known) return known;
  const row = await ctx.db.selectFrom('baton_rule_stamp').select('stamp').where('id', '=', 'rules').executeTakeFirst();
  if (row && ctx.db.isTransaction) stampOfTransaction.set(ctx.db, row.stamp);
  return row?.stamp;
}

async function newRulesStamp(ctx: DbCtx): Promise<void> {
  const stamp = await renewStamp(ctx, 'baton_rule_stamp', 'rules');
  if (ctx.db.isTransaction) stampOfTransaction.set(ctx.db, stamp);
}

/** The latest version of each rule of these trigger kinds on this flow or form. */
export async function rulesOn(ctx: DbCtx, kinds: readonly TriggerKind[], ref: string): Promise<RuleDefinitionTable[]> {
  const stamp = await rulesStamp(ctx);
  const cacheKey = stamp ? `${stamp}|${kinds.join(',')}|${ref}` : undefined;
  const cached = cacheKey ? rulesCache.get(cacheKey) : undefined;
  if (cached) return cached;
  const rows = await ctx.db
    .selectFrom('baton_rule_definition as d')
    .selectAll('d')
    .where('d.triggerKind', 'in', [...kinds])
    .where('d.triggerRef', '=', ref)
    .where(({ eb, selectFrom }) =>
      eb(
        'd.version',
        '=',
        selectFrom('baton_rule_definition as l')
          .select((e) => e.fn.max('l.version').as('v'))
          .whereRef('l.pack', '=', 'd.pack')
          .whereRef('l.key', '=', 'd.key'),
      ),
    )
    .execute();
  if (cacheKey) {
    if (rulesCache.size > 1000) rulesCache.clear();
    rulesCache.set(cacheKey, rows);
  }
  return rows;
}

const compiledCache = new Map<string, CompiledRule>();

/** A stored version compiled against the form versions it was published with (cached by content). */
export async function compiledOf(ctx: DbCtx, row: RuleDefinitionTable): Promise<CompiledRule & { version: number }> {
  const pinned = fromJson<PinnedCatalog>(row.catalog);
  const cacheKey = `${row.hash}|${canonicalJson(pinned)}`;
  let compiled = compiledCache.get(cacheKey);
  if (!compiled) {
    const forms: Record<string, FormDefinition> = {};
    for (const [id, { version }] of Object.entries(pinned.forms)) {
      const [pack, key] = id.split('.') as [string, string];
      const found = await formAt(ctx, { pack, key }, version);
      if (found) forms[id] = found.def;
    }
    const flows = Object.fromEntries(
      Object.entries(pinned.flows).map(([id, flow]) => [id, { form: flow.form, nodes: flow.nodes }]),
    );
    compiled = compileRule(fromJson<RuleDefinition>(row.definition), { forms, flows });
    if (compiledCache.size > 500) compiledCache.clear();
    compiledCache.set(cacheKey, compiled);
  }
  return { ...compiled, version: Number(row.version) };
}

export type RuleVersion = StoredRule & { hash: string; enabled: boolean };

/** Every published version of a rule, newest first; RULE_NOT_PUBLISHED when there is none. */
export async function listRuleVersions(ctx: DbCtx, input: { pack: string; key: string }): Promise<RuleVersion[]> {
  const data = parseInput(z.strictObject({ pack: z.string().max(40), key: z.string().max(40) }), input);
  const rows = await ctx.db
    .selectFrom('baton_rule_definition')
    .selectAll()
    .where('pack', '=', data.pack)
    .where('key', '=', data.key)
    .orderBy('version', 'desc')
    .execute();
  if (rows.length === 0) throw RuleErrors.notPublished.create({ rule: `${data.pack}.${data.key}` });
  return rows.map((row) => ({
    version: Number(row.version),
    hash: row.hash,
    enabled: Boolean(row.enabled),
    definition: fromJson<RuleDefinition>(row.definition),
    publishedAt: row.publishedAt,
    publishedBy: row.publishedBy,
  }));
}
