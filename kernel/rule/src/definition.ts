import { createHash } from 'node:crypto';
import { type ErrorParams, isBatonError, shapeIssues } from '@baton/core';
import { type CompiledExpression, checkSchema, type Type } from '@baton/expression';
import { defineSchedule } from '@baton/schedule';
import { z } from 'zod';
import type { ActionOutput, CheckContext, ExprOptions } from './actions/define.ts';
import { findRuleAction } from './actions/registry.ts';
import { formRefSchema } from './actions/shared.ts';
import { RuleErrors } from './errors.ts';
import { actionReferences, compileAt, placeholders, type ScopeSpec } from './expressions.ts';
import { expressionFields, type FormInfo, formInfo } from './forms.ts';
import { type RuleIssueCode, RuleIssues } from './issues.ts';
import {
  type CompensationTrigger,
  type FormRef,
  flowCompensations,
  flowTriggers,
  type RuleAction,
  type RuleCatalog,
  type RuleDefinition,
  type RuleDefinitionInput,
  type RuleIssue,
  recordCompensations,
  recordTriggers,
  refId,
} from './types.ts';

type Path = (string | number)[];

const PACK_KEY = /^[a-z][A-Za-z0-9]{0,39}$/;
const ZONE = 'Asia/Shanghai';
const NODE_KEY = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** The name (`as`) later actions read an action's output by: `$actions.<as>.<name>`. */
const OUTPUT_NAME = /^[a-z][A-Za-z0-9]{0,39}$/;
const label = z.strictObject({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) });
const expr = z.string().min(1).max(4000);
const action = z.looseObject({
  kind: z.string().max(40),
  when: expr.optional(),
  forEachRow: z.string().min(1).max(40).optional(),
  as: z.string().regex(OUTPUT_NAME, 'a name like archive or planLine').optional(),
});
const COMMON = new Set(['kind', 'when', 'forEachRow', 'as']);

const shape = z.strictObject({
  pack: z.string().regex(PACK_KEY),
  key: z.string().regex(PACK_KEY),
  name: label,
  description: label.optional(),
  enabled: z.boolean().default(true),
  order: z.number().int().min(-1000).max(1000).default(0),
  on: z.strictObject({
    flow: formRefSchema.optional(),
    form: formRefSchema.optional(),
    events: z.array(z.string().max(40)).min(1).max(10).optional(),
    nodes: z.array(z.string().regex(NODE_KEY)).min(1).max(100).optional(),
    schedule: z
      .strictObject({ cron: z.string().trim().min(1).max(200), timeZone: z.string().max(64).default(ZONE) })
      .optional(),
    date: z
      .strictObject({
        field: z.string().min(1).max(40),
        days: z.number().int().min(-3650).max(3650).default(0),
        at: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm')
          .default('09:00'),
        timeZone: z.string().max(64).default(ZONE),
      })
      .optional(),
  }),
  when: expr.optional(),
  actions: z.array(action).min(1).max(50),
  compensate: z
    .strictObject({
      on: z.array(z.string().max(40)).min(1).max(10).optional(),
      undo: z.boolean().default(true),
      actions: z.array(action).max(50).default([]),
    })
    .optional(),
});

/** A definition checked (against a catalog when given), normalised, frozen and hashed, with its compiled expressions. */
export type CompiledRule = {
  readonly def: RuleDefinition;
  /** Compiled expressions by path (`actions.2.set.amount`); empty when checked without a catalog. */
  readonly expressions: ReadonlyMap<string, CompiledExpression>;
  /** The forms of the catalog the rule was compiled against, by `pack.key`. */
  readonly forms: ReadonlyMap<string, FormInfo>;
  readonly source: FormInfo | undefined;
};

/** What expressions of one list of actions may read of the others. */
type Frame = {
  /** Each name (`as`) and the index of the action that gives it. */
  names: Map<string, number>;
  /** The action being checked. */
  index: number;
  /** The outputs of the named actions before it: name → value → type. */
  outputs: Map<string, Record<string, string>>;
};

type Analysis = {
  issues: RuleIssue[];
  normalized?: Omit<RuleDefinition, 'hash'>;
  expressions: Map<string, CompiledExpression>;
  forms: Map<string, FormInfo>;
  source?: FormInfo;
};

const pathKey = (path: readonly (string | number)[]) => path.join('.');

function analyse(input: unknown, catalog: RuleCatalog | undefined): Analysis {
  const issues: RuleIssue[] = [];
  const expressions = new Map<string, CompiledExpression>();
  const forms = new Map<string, FormInfo>();
  const add = (path: readonly (string | number)[], code: RuleIssueCode, params?: ErrorParams) =>
    issues.push(RuleIssues.issue(path, code, params));
  const parsed = shape.safeParse(input);
  if (!parsed.success) {
    issues.push(...shapeIssues(parsed.error.issues, input));
    return { issues, expressions, forms };
  }
  const def = parsed.data;

  const formOf = (path: Path, ref: FormRef): FormInfo | undefined => {
    if (!catalog) return undefined;
    const id = refId(ref);
    const known = forms.get(id);
    if (known) return known;
    const found = Object.hasOwn(catalog.forms, id) ? catalog.forms[id] : undefined;
    if (!found) {
      add(path, 'unknown_form', { form: id });
      return undefined;
    }
    const info = formInfo(found);
    forms.set(id, info);
    return info;
  };
  const flowOf = (path: Path, ref: FormRef) => {
    if (!catalog) return undefined;
    const id = refId(ref);
    const found = Object.hasOwn(catalog.flows, id) ? catalog.flows[id] : undefined;
    if (!found) {
      add(path, 'unknown_flow', { flow: id });
      return undefined;
    }
    const form = formOf(path, found.form);
    return form ? { form, nodes: found.nodes } : undefined;
  };

  // ---- trigger ----
  const on = def.on;
  let kind: 'flow' | 'form' | undefined;
  const timed = on.schedule !== undefined || on.date !== undefined;
  if ((on.flow === undefined) === (on.form === undefined)) {
    add(['on'], 'trigger');
  } else kind = on.flow ? 'flow' : 'form';
  if (timed) {
    if (on.schedule && on.date) add(['on'], 'timing');
    if (on.flow) add(['on', 'flow'], 'timed_flow');
    if (on.events) add(['on', 'events'], 'timed_events');
    if (def.compensate) add(['compensate'], 'timed_compensate');
    if (on.schedule) {
      try {
        defineSchedule({ key: 'rule', cron: on.schedule.cron, timeZone: on.schedule.timeZone, topic: 'rule.check' });
      } catch (error) {
        const fields = isBatonError(error) && error.fields.length > 0 ? error.fields : [{ path: ['cron'] }];
        for (const field of fields) {
          const detail = isBatonError(error)
            ? { detail: error.localized('en-US'), detailZh: error.localized('zh-CN') }
            : { detail: String(error), detailZh: String(error) };
          add(['on', 'schedule', ...field.path], 'schedule_invalid', detail);
        }
      }
    }
    if (on.date && !validZone(on.date.timeZone)) add(['on', 'date', 'timeZone'], 'time_zone');
  } else if (!on.events) {
    add(['on', 'events'], 'required', { what: 'The events the rule listens to', whatZh: '规则监听的事件' });
  }
  const allowed: readonly string[] = kind === 'flow' ? flowTriggers : recordTriggers;
  if (kind && on.events) {
    on.events.forEach((event, index) => {
      if (!allowed.includes(event)) add(['on', 'events', index], 'unknown_event', { allowed: allowed.join(', ') });
    });
    if (new Set(on.events).size !== on.events.length) add(['on', 'events'], 'duplicate');
  }
  if (
    on.nodes &&
    !(kind === 'flow' && on.events?.some((event) => event === 'nodeEntered' || event === 'nodeCompleted'))
  ) {
    add(['on', 'nodes'], 'nodes_not_allowed');
  }
  let source: FormInfo | undefined;
  if (kind === 'flow' && on.flow) {
    const flow = flowOf(['on', 'flow'], on.flow);
    source = flow?.form;
    on.nodes?.forEach((node, index) => {
      if (flow && !flow.nodes.includes(node)) add(['on', 'nodes', index], 'unknown_node', { node });
    });
  } else if (kind === 'form' && on.form) source = formOf(['on', 'form'], on.form);
  if (on.date && source) {
    const field = source.fields.get(on.date.field);
    if (field?.exprType !== 'date' && field?.exprType !== 'datetime') {
      add(['on', 'date', 'field'], 'not_a_date', { field: on.date.field });
    }
  }
  const checking = catalog !== undefined;
  const base: ScopeSpec | undefined = source ? { source, before: kind === 'form' && !timed } : undefined;
  // The actions of the list being checked: where each name is given (first), and what the earlier ones hand on.
  const namesOf = (list: readonly z.output<typeof action>[]) => {
    const names = new Map<string, number>();
    list.forEach((raw, index) => {
      if (raw.as !== undefined && !names.has(raw.as)) names.set(raw.as, index);
    });
    return names;
  };
  // The rule's `when` is decided before any action runs.
  let frame: Frame = { names: namesOf(def.actions), index: -1, outputs: new Map() };
  // Expressions are compiled only when the source form is known; syntax only otherwise.
  const compileExpr = (path: Path, text: string, options: ExprOptions & { scope?: string }): Type | undefined => {
    const refused = new Set<string>();
    for (const { name } of actionReferences(text)) {
      if (frame.outputs.has(name) || refused.has(name)) continue;
      refused.add(name);
      const at = frame.names.get(name);
      if (at === undefined) add(path, 'unknown_action', { name });
      else add(path, 'action_not_yet_run', { name, at });
    }
    const outputs: Record<string, string> = {};
    for (const [name, values] of frame.outputs) {
      for (const [value, type] of Object.entries(values)) outputs[`actions.${name}.${value}`] = type;
    }
    const spec: ScopeSpec | undefined =
      checking && base ? { ...base, ...(options.target ? { target: options.target } : {}), outputs } : undefined;
    if (checking && !spec) return undefined;
    const result = compileAt(
      {
        path,
        source: text,
        ...(options.expect ? { expect: options.expect } : {}),
        ...(options.scope ? { scope: options.scope } : {}),
        ...(spec ? { spec } : {}),
        skip: (issue) =>
          issue.code === 'EXPR_UNKNOWN_CONTEXT' &&
          [...refused].some((name) => String(issue.params.name ?? '').startsWith(`$actions.${name}.`)),
      },
      issues,
    );
    if (result.expression) expressions.set(pathKey(path), result.expression);
    return result.expression?.type;
  };
  if (def.when !== undefined) compileExpr(['when'], def.when, { expect: 'boolean' });

  // ---- actions ----
  const checkActions = (list: readonly z.output<typeof action>[], prefix: Path): RuleAction[] => {
    const names = namesOf(list);
    list.forEach((raw, index) => {
      if (raw.as !== undefined && names.get(raw.as) !== index)
        add([...prefix, index, 'as'], 'duplicate_name', { at: names.get(raw.as), name: raw.as });
    });
    frame = { names, index: -1, outputs: new Map() };
    return list.map((raw, index) => {
      frame.index = index;
      const path = [...prefix, index];
      const kindDef = findRuleAction(raw.kind);
      if (!kindDef) {
        add([...path, 'kind'], 'unknown_kind', { kind: raw.kind });
        return raw as RuleAction;
      }
      const scope = raw.forEachRow;
      if (scope !== undefined && source && !source.subtables.has(scope)) {
        add([...path, 'forEachRow'], 'unknown_subtable', { subtable: scope });
      }
      const rowScope = scope !== undefined && (!source || source.subtables.has(scope)) ? scope : undefined;
      if (raw.when !== undefined)
        compileExpr([...path, 'when'], raw.when, { expect: 'boolean', ...(rowScope ? { scope: rowScope } : {}) });
      const settings = Object.fromEntries(Object.entries(raw).filter(([name]) => !COMMON.has(name)));
      const config = kindDef.configSchema.safeParse(settings);
      if (!config.success) {
        issues.push(...shapeIssues(config.error.issues, settings, path));
        return raw as RuleAction;
      }
      const context: CheckContext = {
        rule: { pack: def.pack, key: def.key },
        checking,
        source,
        rowScope,
        add: (rel, code, params) => add([...path, ...rel], code, params),
        expr: (rel, text, options = {}) =>
          compileExpr([...path, ...rel], text, {
            ...options,
            ...(options.scope === undefined && rowScope && options.row !== false ? { scope: rowScope } : {}),
          }),
        template: (rel, template, params, paramsPath, options = {}) => {
          for (const locale of ['zh', 'en'] as const) {
            for (const name of placeholders(template[locale])) {
              if (!params || !Object.hasOwn(params, name)) {
                add([...path, ...rel, locale], 'unknown_param', { name });
              }
            }
          }
          for (const [name, text] of Object.entries(params ?? {})) {
            compileExpr([...path, ...paramsPath, name], text, {
              ...options,
              ...(rowScope && options.row !== false ? { scope: rowScope } : {}),
            });
          }
        },
        form: (rel, ref) => formOf([...path, ...rel], ref),
        flow: (rel, ref) => flowOf([...path, ...rel], ref),
      };
      kindDef.check?.(config.data, context);
      if (raw.as !== undefined) {
        const output = outputOf(kindDef.output, config.data as Record<string, unknown>);
        if (!kindDef.output) add([...path, 'as'], 'no_output', { kind: raw.kind });
        else if (scope !== undefined) {
          add([...path, 'as'], 'named_per_row');
        } else if (checkSchema({ context: { [`actions.${raw.as}.id`]: 'text' } }).length > 0) {
          add([...path, 'as'], 'reserved_name', { name: raw.as });
        } else if (names.get(raw.as) === index) frame.outputs.set(raw.as, output);
      }
      return {
        kind: raw.kind,
        ...(raw.when !== undefined ? { when: raw.when } : {}),
        ...(scope !== undefined ? { forEachRow: scope } : {}),
        ...(raw.as !== undefined ? { as: raw.as } : {}),
        ...(config.data as Record<string, unknown>),
      };
    });
  };
  /** Names and types of what an action hands on: its fixed values, and the fields of the form it names. */
  const outputOf = (
    output: ActionOutput | undefined,
    config: Readonly<Record<string, unknown>>,
  ): Record<string, string> => {
    if (!output) return {};
    const out: Record<string, string> = { ...output.values };
    const ref = output.fieldsOf ? (config[output.fieldsOf] as FormRef | undefined) : undefined;
    const id = ref ? refId(ref) : undefined;
    const flow =
      output.fieldsOf === 'flow' && id && catalog && Object.hasOwn(catalog.flows, id) ? catalog.flows[id] : undefined;
    const form =
      output.fieldsOf === 'flow' ? (flow ? forms.get(refId(flow.form)) : undefined) : id ? forms.get(id) : undefined;
    if (form) Object.assign(out, expressionFields(form.fields));
    return out;
  };
  const actions = checkActions(def.actions, ['actions']);

  // ---- compensation ----
  let compensate: RuleDefinition['compensate'];
  if (def.compensate) {
    const possible: readonly string[] = kind === 'form' ? recordCompensations : flowCompensations;
    const onList = def.compensate.on ?? (kind === 'form' ? ['voided'] : ['withdrawn', 'terminated']);
    def.compensate.on?.forEach((event, index) => {
      if (!possible.includes(event))
        add(['compensate', 'on', index], 'unknown_event', { allowed: possible.join(', ') });
    });
    if (!def.compensate.undo && def.compensate.actions.length === 0) {
      add(['compensate'], 'empty');
    }
    compensate = {
      on: onList as CompensationTrigger[],
      undo: def.compensate.undo,
      actions: checkActions(def.compensate.actions, ['compensate', 'actions']),
    };
  }
  if (issues.length > 0) return { issues, expressions, forms };
  const trigger =
    kind === 'flow'
      ? { flow: on.flow as FormRef, events: on.events, ...(on.nodes ? { nodes: on.nodes } : {}) }
      : on.schedule
        ? { form: on.form as FormRef, schedule: on.schedule }
        : on.date
          ? { form: on.form as FormRef, date: on.date }
          : { form: on.form as FormRef, events: on.events };
  return {
    issues,
    expressions,
    forms,
    ...(source ? { source } : {}),
    normalized: {
      pack: def.pack,
      key: def.key,
      name: def.name,
      ...(def.description ? { description: def.description } : {}),
      enabled: def.enabled,
      order: def.order,
      on: trigger as RuleDefinition['on'],
      ...(def.when !== undefined ? { when: def.when } : {}),
      actions,
      ...(compensate ? { compensate } : {}),
    },
  };
}

function validZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, canonical(record[key])]),
    );
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

function withoutHash(def: unknown): unknown {
  return typeof def === 'object' && def !== null && 'hash' in def
    ? Object.fromEntries(Object.entries(def).filter(([name]) => name !== 'hash'))
    : def;
}

/**
 * Every problem of a rule definition with its path (`actions.2.set.amount`, `on.events.1`); empty when valid.
 * With a catalog, expressions type-check against the forms and named forms, flows and nodes must exist.
 */
export function validateRule(def: unknown, catalog?: RuleCatalog): RuleIssue[] {
  return analyse(withoutHash(def), catalog).issues;
}

/** The content hash of a definition (over its normalised form, so defaults written out change nothing). */
export function hashRule(normalized: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(normalized)))
    .digest('hex');
}

/**
 * Validates, applies defaults, deep-freezes and hashes. Throws RULE_DEFINITION_INVALID listing every issue with
 * its path. With a catalog (what publishRule passes) expressions are type-checked against the forms.
 */
export function defineRule(def: RuleDefinitionInput | unknown, catalog?: RuleCatalog): RuleDefinition {
  return compileRule(def, catalog).def;
}

export function compileRule(def: RuleDefinitionInput | unknown, catalog?: RuleCatalog): CompiledRule {
  const result = analyse(withoutHash(def), catalog);
  if (!result.normalized) {
    throw RuleErrors.definitionInvalid.create({ count: result.issues.length }, { fields: result.issues });
  }
  const hash = hashRule(result.normalized);
  const frozen = deepFreeze({ ...result.normalized, hash }) as RuleDefinition;
  return Object.freeze({ def: frozen, expressions: result.expressions, forms: result.forms, source: result.source });
}

/** Forms and flows a definition names (publishRule loads them into the catalog); tolerant of invalid input. */
export function ruleReferences(def: unknown): { forms: FormRef[]; flows: FormRef[] } {
  const forms: FormRef[] = [];
  const flows: FormRef[] = [];
  const parsed = shape.safeParse(withoutHash(def));
  if (!parsed.success) return { forms, flows };
  const { on } = parsed.data;
  if (on.flow) flows.push(on.flow);
  if (on.form) forms.push(on.form);
  for (const raw of [...parsed.data.actions, ...(parsed.data.compensate?.actions ?? [])]) {
    const kind = findRuleAction(raw.kind);
    const config = kind?.configSchema.safeParse(
      Object.fromEntries(Object.entries(raw).filter(([n]) => !COMMON.has(n))),
    );
    if (!kind?.refs || !config?.success) continue;
    const refs = kind.refs(config.data);
    forms.push(...(refs.forms ?? []));
    flows.push(...(refs.flows ?? []));
  }
  const unique = (list: FormRef[]) => [...new Map(list.map((ref) => [refId(ref), ref])).values()];
  return { forms: unique(forms), flows: unique(flows) };
}
