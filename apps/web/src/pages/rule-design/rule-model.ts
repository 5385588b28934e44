// The rule editor's model, without React: a rule definition (kernel/rule's shape) as an editable draft and back,
// guided by the action registry's JSON Schemas (GET /api/rules/registry) so that a kind the web has never heard of
// is still edited and sent back whole; the server's issues placed by path; the expression schema rules compile
// against (the record's fields, `$initiator.*` … and, where an action matched a record, `$target.*`).
import type { ExpressionSchema } from '@baton/expression';
import type { SemanticsOf } from '../../form-runtime/compute.ts';
import type { FieldDefinition, FormDefinition, Label } from '../../form-runtime/types.ts';

export type Issue = { path: ReadonlyArray<string | number>; code: string; message: string };

/** The part of JSON Schema the registry's settings use, with Baton's `x-widget` / `x-expect` hints. */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  'x-widget'?: string;
  'x-expect'?: string;
};

export type ActionInfo = { kind: string; settings: JsonSchema; undoable: boolean };
export type RuleRegistry = {
  actions: ActionInfo[];
  events: { flow: string[]; form: string[] };
  compensations: { flow: string[]; form: string[] };
  context: Record<string, string>;
};

/** One line of a mapping table: target field (or a free name) ← expression. */
export type MappingRow = { key: string; expr: string };

export type TriggerKind = 'flow' | 'form' | 'schedule' | 'date';
export type Trigger = {
  kind: TriggerKind;
  /** The flow (flow) or form (the others) as `pack.key`. */
  ref: string;
  events: string[];
  nodes: string[];
  cron: string;
  timeZone: string;
  field: string;
  days: number;
  at: string;
};

export type ActionDraft = {
  /** Identity in the editor only (React keys); the definition has positions. */
  uid: string;
  kind: string;
  when: string;
  forEachRow: string;
  /** The kind's settings as edited: mappings as rows, form and flow references as `pack.key`. */
  settings: Record<string, unknown>;
};

export type Compensation = { on: string[]; undo: boolean; actions: ActionDraft[] };

export type RuleDraft = {
  pack: string;
  key: string;
  name: Label;
  description: Label;
  enabled: boolean;
  order: number;
  trigger: Trigger;
  when: string;
  actions: ActionDraft[];
  compensate: Compensation | null;
};

export const DEFAULT_ZONE = 'Asia/Shanghai';
const MAPPINGS = new Set(['set', 'match', 'params']);
const REFS = new Set(['form', 'flow']);

let uidCounter = 0;
export const nextUid = () => `a${++uidCounter}`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{ pack, key }` or `'pack.key'` as `pack.key` (blank for anything else). */
export function refText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.pack === 'string' && typeof value.key === 'string') {
    return `${value.pack}.${value.key}`;
  }
  return '';
}

export function splitRef(ref: string): { pack: string; key: string } | undefined {
  const [pack, key, ...rest] = ref.split('.');
  return pack && key && rest.length === 0 ? { pack, key } : undefined;
}

const widgetOf = (schema: JsonSchema | undefined) =>
  schema?.['x-widget'] ?? schema?.anyOf?.find((branch) => branch['x-widget'])?.['x-widget'];

/** A settings value of the definition as the editor holds it. */
export function settingIn(value: unknown, schema: JsonSchema | undefined): unknown {
  const widget = widgetOf(schema);
  if (widget && MAPPINGS.has(widget)) {
    return isRecord(value) ? Object.entries(value).map(([key, expr]) => ({ key, expr: String(expr) })) : [];
  }
  if (widget && REFS.has(widget)) return refText(value);
  if (widget === 'expression' && typeof value === 'number') return String(value);
  if (schema?.properties && isRecord(value) && widget !== 'label') {
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => [name, settingIn(inner, schema.properties?.[name])]),
    );
  }
  return value;
}

/** The editor's value as the definition has it; undefined leaves the setting out (blank text, empty table …). */
export function settingOut(value: unknown, schema: JsonSchema | undefined): unknown {
  const widget = widgetOf(schema);
  if (widget && MAPPINGS.has(widget)) {
    const rows = Array.isArray(value) ? (value as MappingRow[]) : [];
    const entries = rows.filter((row) => row.key.trim() !== '').map((row) => [row.key.trim(), row.expr] as const);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (widget === 'label' && isRecord(value)) {
    const zh = String(value.zh ?? '');
    const en = String(value.en ?? '');
    return zh.trim() === '' && en.trim() === '' ? undefined : { zh, en };
  }
  if (schema?.properties && isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(value)) {
      const next = settingOut(inner, schema.properties[name]);
      if (next !== undefined) out[name] = next;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value;
}

/** A new action's settings: the schema's defaults (mode insert, ifMissing fail …), mappings as empty tables. */
export function starterSettings(schema: JsonSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (property.default !== undefined) out[name] = settingIn(property.default, property);
    else if (MAPPINGS.has(widgetOf(property) ?? '') && schema.required?.includes(name)) out[name] = [];
  }
  return out;
}

const COMMON = new Set(['kind', 'when', 'forEachRow']);

function actionIn(raw: Record<string, unknown>, registry: RuleRegistry): ActionDraft {
  const kind = String(raw.kind ?? '');
  const schema = registry.actions.find((action) => action.kind === kind)?.settings;
  const settings: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!COMMON.has(name)) settings[name] = settingIn(value, schema?.properties?.[name]);
  }
  return {
    uid: nextUid(),
    kind,
    when: typeof raw.when === 'string' ? raw.when : '',
    forEachRow: typeof raw.forEachRow === 'string' ? raw.forEachRow : '',
    settings,
  };
}

function actionOut(action: ActionDraft, registry: RuleRegistry): Record<string, unknown> {
  const schema = registry.actions.find((info) => info.kind === action.kind)?.settings;
  const out: Record<string, unknown> = { kind: action.kind };
  if (action.when.trim() !== '') out.when = action.when;
  if (action.forEachRow !== '') out.forEachRow = action.forEachRow;
  for (const [name, value] of Object.entries(action.settings)) {
    const next = settingOut(value, schema?.properties?.[name]);
    if (next !== undefined) out[name] = next;
  }
  return out;
}

export function emptyTrigger(kind: TriggerKind = 'flow'): Trigger {
  return { kind, ref: '', events: [], nodes: [], cron: '', timeZone: DEFAULT_ZONE, field: '', days: 0, at: '09:00' };
}

export function triggerIn(on: unknown): Trigger {
  const raw = isRecord(on) ? on : {};
  const events = Array.isArray(raw.events) ? raw.events.map(String) : [];
  if (raw.flow !== undefined) {
    const nodes = Array.isArray(raw.nodes) ? raw.nodes.map(String) : [];
    return { ...emptyTrigger('flow'), ref: refText(raw.flow), events, nodes };
  }
  const ref = refText(raw.form);
  if (isRecord(raw.schedule)) {
    const { cron, timeZone } = raw.schedule;
    return {
      ...emptyTrigger('schedule'),
      ref,
      cron: String(cron ?? ''),
      timeZone: typeof timeZone === 'string' ? timeZone : DEFAULT_ZONE,
    };
  }
  if (isRecord(raw.date)) {
    const { field, days, at, timeZone } = raw.date;
    return {
      ...emptyTrigger('date'),
      ref,
      field: String(field ?? ''),
      days: typeof days === 'number' ? days : 0,
      at: typeof at === 'string' ? at : '09:00',
      timeZone: typeof timeZone === 'string' ? timeZone : DEFAULT_ZONE,
    };
  }
  return { ...emptyTrigger('form'), ref, events };
}

export function triggerOut(trigger: Trigger): Record<string, unknown> {
  if (trigger.kind === 'flow') {
    const nodeEvents = trigger.events.some((event) => event === 'nodeEntered' || event === 'nodeCompleted');
    return {
      flow: trigger.ref,
      events: trigger.events,
      ...(nodeEvents && trigger.nodes.length > 0 ? { nodes: trigger.nodes } : {}),
    };
  }
  if (trigger.kind === 'schedule')
    return { form: trigger.ref, schedule: { cron: trigger.cron, timeZone: trigger.timeZone } };
  if (trigger.kind === 'date') {
    return {
      form: trigger.ref,
      date: { field: trigger.field, days: trigger.days, at: trigger.at, timeZone: trigger.timeZone },
    };
  }
  return { form: trigger.ref, events: trigger.events };
}

export function newRule(pack = '', key = ''): RuleDraft {
  return {
    pack,
    key,
    name: { zh: '', en: '' },
    description: { zh: '', en: '' },
    enabled: true,
    order: 0,
    trigger: emptyTrigger('flow'),
    when: '',
    actions: [],
    compensate: null,
  };
}

/** A stored definition as a draft. */
export function ruleIn(def: Record<string, unknown>, registry: RuleRegistry): RuleDraft {
  const name = isRecord(def.name) ? (def.name as Label) : { zh: '', en: '' };
  const description = isRecord(def.description) ? (def.description as Label) : { zh: '', en: '' };
  const actions = Array.isArray(def.actions) ? def.actions.filter(isRecord) : [];
  const compensate = isRecord(def.compensate) ? def.compensate : undefined;
  return {
    pack: String(def.pack ?? ''),
    key: String(def.key ?? ''),
    name: { zh: name.zh ?? '', en: name.en ?? '' },
    description: { zh: description.zh ?? '', en: description.en ?? '' },
    enabled: def.enabled !== false,
    order: typeof def.order === 'number' ? def.order : 0,
    trigger: triggerIn(def.on),
    when: typeof def.when === 'string' ? def.when : '',
    actions: actions.map((action) => actionIn(action, registry)),
    compensate: compensate
      ? {
          on: Array.isArray(compensate.on) ? compensate.on.map(String) : [],
          undo: compensate.undo !== false,
          actions: (Array.isArray(compensate.actions) ? compensate.actions.filter(isRecord) : []).map((action) =>
            actionIn(action, registry),
          ),
        }
      : null,
  };
}

/** The draft as a definition for POST /api/rules (and /validate): blanks left out, mappings as objects. */
export function ruleOut(draft: RuleDraft, registry: RuleRegistry): Record<string, unknown> {
  const hasDescription = draft.description.zh.trim() !== '' || draft.description.en.trim() !== '';
  return {
    pack: draft.pack,
    key: draft.key,
    name: draft.name,
    ...(hasDescription ? { description: draft.description } : {}),
    enabled: draft.enabled,
    order: draft.order,
    on: triggerOut(draft.trigger),
    ...(draft.when.trim() !== '' ? { when: draft.when } : {}),
    actions: draft.actions.map((action) => actionOut(action, registry)),
    ...(draft.compensate
      ? {
          compensate: {
            ...(draft.compensate.on.length > 0 ? { on: draft.compensate.on } : {}),
            undo: draft.compensate.undo,
            actions: draft.compensate.actions.map((action) => actionOut(action, registry)),
          },
        }
      : {}),
  };
}

// ---- issues ------------------------------------------------------------------------------------------------

const samePart = (a: string | number, b: string | number) => String(a) === String(b);

/** The issues at `path` or below it. */
export function issuesUnder(issues: readonly Issue[] | null, path: ReadonlyArray<string | number>): Issue[] {
  return (issues ?? []).filter(
    (issue) => issue.path.length >= path.length && path.every((part, i) => samePart(part, issue.path[i] as string)),
  );
}

/** The issues exactly at `path`. */
export function issuesAt(issues: readonly Issue[] | null, path: ReadonlyArray<string | number>): Issue[] {
  return issuesUnder(issues, path).filter((issue) => issue.path.length === path.length);
}

/** Where in the editor an issue is shown: the header, the trigger, the condition, one action card, compensation. */
export function sectionOf(issue: Issue): 'header' | 'trigger' | 'when' | 'actions' | 'compensate' {
  const head = issue.path[0];
  if (head === 'on') return 'trigger';
  if (head === 'when') return 'when';
  if (head === 'actions') return 'actions';
  if (head === 'compensate') return 'compensate';
  return 'header';
}

// ---- expressions -----------------------------------------------------------------------------------------

export type ScopeForms = {
  /** The form whose record the rule reacts to (the flow's form for flow rules). */
  source: FormDefinition | undefined;
  /** Form rules on update read the values before as `$before.<field>`. */
  before?: boolean;
  /** The record an action matched, read as `$target.<field>`. */
  target?: FormDefinition | undefined;
};

function fieldTypes(fields: readonly FieldDefinition[], semanticsOf: SemanticsOf, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const type = semanticsOf(field).exprType;
    if (type && field.key) out[`${prefix}${field.key}`] = type;
  }
  return out;
}

/** What a rule's expression may read (kernel/rule expressions.ts `schemaFor`, with the registry's `$` context). */
export function ruleSchema(
  scope: ScopeForms,
  context: Record<string, string>,
  semanticsOf: SemanticsOf,
): ExpressionSchema {
  const { source, target } = scope;
  const subtables: Record<string, { columns: Record<string, { type: string }> }> = {};
  for (const sub of source?.subtables ?? []) {
    const columns = fieldTypes(sub.columns, semanticsOf);
    subtables[sub.key] = { columns: Object.fromEntries(Object.entries(columns).map(([k, type]) => [k, { type }])) };
  }
  const fields = fieldTypes(source?.fields ?? [], semanticsOf);
  return {
    fields: Object.fromEntries(Object.entries(fields).map(([k, type]) => [k, { type }])),
    subtables,
    context: {
      ...context,
      ...(scope.before && source ? fieldTypes(source.fields, semanticsOf, 'before.') : {}),
      ...(target ? fieldTypes(target.fields, semanticsOf, 'target.') : {}),
    },
  };
}

/** A field a rule may write: read by expressions, neither computed nor written only at a node. */
export function writable(field: FieldDefinition, semanticsOf: SemanticsOf): boolean {
  const semantics = semanticsOf(field);
  return semantics.exprType !== null && !semantics.computed && !semantics.nodeOnly;
}

/**
 * 同名映射: one row per writable target field that the source has under the same key with the same type, in the
 * target's order, for fields the table does not map yet.
 */
export function sameNameRows(
  source: FormDefinition,
  target: FormDefinition,
  existing: readonly MappingRow[],
  semanticsOf: SemanticsOf,
): MappingRow[] {
  const taken = new Set(existing.map((row) => row.key));
  const sourceTypes = fieldTypes(source.fields, semanticsOf);
  return target.fields
    .filter((field) => !taken.has(field.key) && writable(field, semanticsOf))
    .filter((field) => sourceTypes[field.key] !== undefined && sourceTypes[field.key] === semanticsOf(field).exprType)
    .map((field) => ({ key: field.key, expr: field.key }));
}

/** A short text of a stored trigger for the rules list (`office.booking · approved`). */
export function triggerSummary(on: unknown): { kind: TriggerKind; ref: string; what: string } {
  const trigger = triggerIn(on);
  const what =
    trigger.kind === 'schedule'
      ? trigger.cron
      : trigger.kind === 'date'
        ? `${trigger.field} ${trigger.days >= 0 ? '+' : ''}${trigger.days}d ${trigger.at}`
        : trigger.events.join(', ');
  return { kind: trigger.kind, ref: trigger.ref, what };
}
