// The rule editor's model, without React: a rule definition (kernel/rule's shape) as an editable draft and back,
// guided by the action registry's JSON Schemas (GET /api/rules/registry) so that a kind the web has never heard of
// is still edited and sent back whole; the server's issues placed by path; the expression schema rules compile
// against (the record's fields, `$initiator.*` … and, where an action matched a record, `$target.*`).
import { checkSchema, childrenOf, type ExpressionSchema, type Node, parse } from '@baton/expression';
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

/**
 * What a kind hands on when named (`as`): fixed names → types, and with `fieldsOf` the fields of the form (or the
 * flow's form) that setting names. null: the kind cannot be named.
 */
export type ActionOutputInfo = { values: Record<string, string>; fieldsOf?: string };
export type ActionInfo = { kind: string; settings: JsonSchema; undoable: boolean; output?: ActionOutputInfo | null };
export type RuleRegistry = {
  actions: ActionInfo[];
  events: { flow: string[]; form: string[] };
  compensations: { flow: string[]; form: string[] };
  context: Record<string, string>;
};

/** One line of a mapping table: target field (or a free name) ← expression. */
export type MappingRow = { key: string; expr: string };

/**
 * writeBack's rows of one target subtable (`subtables.<subtable>`): one per row of the record's subtable `from`
 * (or one from the record when blank), kept when `when` holds, each column from an expression.
 */
export type RowsMapping = {
  subtable: string;
  from: string;
  when: string;
  set: MappingRow[];
  onUpdate: 'replace' | 'append';
};

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
  /** The name later actions read its output by (`$actions.<as>.*`); blank: not named. */
  as: string;
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

const mappingIn = (value: unknown): MappingRow[] =>
  isRecord(value) ? Object.entries(value).map(([key, expr]) => ({ key, expr: String(expr) })) : [];

function mappingOut(rows: readonly MappingRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter((row) => row.key.trim() !== '').map((row) => [row.key.trim(), row.expr]));
}

/** writeBack's `subtables` as the editor's list of row mappings, in the definition's order. */
export function rowsIn(value: unknown): RowsMapping[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).map(([subtable, spec]) => {
    const raw = isRecord(spec) ? spec : {};
    return {
      subtable,
      from: typeof raw.from === 'string' ? raw.from : '',
      when: typeof raw.when === 'string' ? raw.when : '',
      set: mappingIn(raw.set),
      onUpdate: raw.onUpdate === 'append' ? 'append' : 'replace',
    };
  });
}

/**
 * The list back as `subtables`; a mapping without its target subtable is left out, an empty `set` is kept (the
 * server names it at its path rather than as a missing property).
 */
export function rowsOut(mappings: readonly RowsMapping[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const mapping of mappings) {
    const subtable = mapping.subtable.trim();
    if (subtable === '') continue;
    out[subtable] = {
      ...(mapping.from !== '' ? { from: mapping.from } : {}),
      ...(mapping.when.trim() !== '' ? { when: mapping.when } : {}),
      set: mappingOut(mapping.set),
      onUpdate: mapping.onUpdate,
    };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A settings value of the definition as the editor holds it. */
export function settingIn(value: unknown, schema: JsonSchema | undefined): unknown {
  const widget = widgetOf(schema);
  if (widget === 'rows') return rowsIn(value);
  if (widget && MAPPINGS.has(widget)) return mappingIn(value);
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
  if (widget === 'rows') return rowsOut(Array.isArray(value) ? (value as RowsMapping[]) : []);
  if (widget && MAPPINGS.has(widget)) {
    const out = mappingOut(Array.isArray(value) ? (value as MappingRow[]) : []);
    return Object.keys(out).length > 0 ? out : undefined;
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

const COMMON = new Set(['kind', 'when', 'forEachRow', 'as']);

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
    as: typeof raw.as === 'string' ? raw.as : '',
    settings,
  };
}

function actionOut(action: ActionDraft, registry: RuleRegistry): Record<string, unknown> {
  const schema = registry.actions.find((info) => info.kind === action.kind)?.settings;
  const out: Record<string, unknown> = { kind: action.kind };
  if (action.when.trim() !== '') out.when = action.when;
  if (action.forEachRow !== '') out.forEachRow = action.forEachRow;
  if (action.as.trim() !== '') out.as = action.as.trim();
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

// ---- named actions (`as`) ---------------------------------------------------------------------------------

/** How an action's output is named (kernel/rule definition.ts): `$actions.<as>.<name>`. */
const OUTPUT_NAME = /^[a-z][A-Za-z0-9]{0,39}$/;

export type NamedOutput = {
  /** The action's `as`. */
  name: string;
  /** Its position in its list. */
  index: number;
  kind: string;
  /** The kind's fixed output names → types (`id`, `instanceId` …). */
  values: Record<string, string>;
  /** The form (or flow, for its form) whose fields it hands on as well. */
  fieldsOf?: { kind: 'form' | 'flow'; ref: string };
};

/** Whether `name` can be an action's `as` and read back in an expression (not a word of the language). */
export function validOutputName(name: string): boolean {
  return (
    OUTPUT_NAME.test(name) && checkSchema({ fields: {}, context: { [`actions.${name}.id`]: 'text' } }).length === 0
  );
}

/**
 * The named actions the action at `index` of one list may read, as the server decides (kernel/rule definition.ts):
 * only those before it, each name given by its first action, which must be of a kind with an output, not run per
 * row, and named validly. Compensation actions are a list of their own.
 */
export function outputsBefore(actions: readonly ActionDraft[], index: number, registry: RuleRegistry): NamedOutput[] {
  const seen = new Set<string>();
  const out: NamedOutput[] = [];
  actions.slice(0, Math.max(0, index)).forEach((action, at) => {
    const name = action.as.trim();
    if (name === '' || seen.has(name)) return;
    // A later action with the same name is a duplicate, whether or not this one may be named.
    seen.add(name);
    const output = registry.actions.find((info) => info.kind === action.kind)?.output;
    if (!output || action.forEachRow !== '' || !validOutputName(name)) return;
    const setting = output.fieldsOf;
    const ref = setting ? refText(action.settings[setting]) : '';
    out.push({
      name,
      index: at,
      kind: action.kind,
      values: { ...output.values },
      ...(setting && ref !== '' ? { fieldsOf: { kind: setting === 'flow' ? 'flow' : 'form', ref } } : {}),
    });
  });
  return out;
}

/**
 * `source` with every `$actions.<from>.…` read as `$actions.<to>.…`, the rest of the text as written. Only whole
 * context names are renamed (found by parsing, not by searching the text: a string or `$actions.<from>x.…` is
 * left alone); an expression that does not parse is returned unchanged.
 */
export function renameOutputIn(source: string, from: string, to: string): string {
  if (from === to || source === '') return source;
  const parsed = parse(source);
  if (!parsed.ok) return source;
  const starts: number[] = [];
  const walk = (node: Node) => {
    if (node.kind === 'context' && node.path.length > 2 && node.path[0] === 'actions' && node.path[1] === from) {
      // The lexer keeps positions in the source's own characters: the name starts after `$actions.`.
      starts.push(node.pos.start + '$actions.'.length);
    }
    for (const child of childrenOf(node)) walk(child);
  };
  walk(parsed.ast);
  let out = source;
  for (const start of starts.sort((a, b) => b - a)) out = out.slice(0, start) + to + out.slice(start + from.length);
  return out;
}

/** A setting as the editor holds it, its expressions renamed as `renameOutputIn` does (guided by its schema). */
function renameInSetting(value: unknown, schema: JsonSchema | undefined, from: string, to: string): unknown {
  const widget = widgetOf(schema);
  const rows = (list: unknown) =>
    Array.isArray(list)
      ? (list as MappingRow[]).map((row) => ({ ...row, expr: renameOutputIn(row.expr, from, to) }))
      : list;
  if (widget === 'expression') return typeof value === 'string' ? renameOutputIn(value, from, to) : value;
  if (widget && MAPPINGS.has(widget)) return rows(value);
  if (widget === 'rows' && Array.isArray(value)) {
    return (value as RowsMapping[]).map((mapping) => ({
      ...mapping,
      when: renameOutputIn(mapping.when, from, to),
      set: rows(mapping.set) as MappingRow[],
    }));
  }
  if (schema?.properties && isRecord(value) && widget !== 'label') {
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => [name, renameInSetting(inner, schema.properties?.[name], from, to)]),
    );
  }
  return value;
}

/**
 * The list after the action at `index` was renamed to `to` (in `actions` already) from `from`, with the actions
 * after it reading `$actions.<to>.…` where they read `$actions.<from>.…`; null when nothing is renamed: unless
 * `from` was the name this action gave (the first action of that name, of a kind that can be named) and `to` is a
 * valid name no other action of the list gives, a half-typed or taken name leaves the expressions as they are.
 */
export function renameOutput(
  actions: readonly ActionDraft[],
  index: number,
  from: string,
  to: string,
  registry: RuleRegistry,
): ActionDraft[] | null {
  const old = from.trim();
  const name = to.trim();
  const before = actions.map((action, at) => (at === index ? { ...action, as: old } : action));
  const owner = outputsBefore(before, before.length, registry).find((output) => output.name === old);
  const taken = actions.some((action, at) => at !== index && action.as.trim() === name);
  if (old === name || owner?.index !== index || !validOutputName(name) || taken) return null;
  return actions.map((action, at) => {
    if (at <= index) return action;
    const schema = registry.actions.find((info) => info.kind === action.kind)?.settings;
    const settings = Object.fromEntries(
      Object.entries(action.settings).map(([key, value]) => [
        key,
        renameInSetting(value, schema?.properties?.[key], old, name),
      ]),
    );
    return { ...action, when: renameOutputIn(action.when, old, name), settings };
  });
}

/** One `$actions.<as>.<value>` an expression may read: its path in the context, its type, the field it is. */
export type OutputName = { path: string; type: string; name: string; value: string; field?: FieldDefinition };

/**
 * Every name the outputs give, the kind's fixed ones first and then the fields of the form written (a field of the
 * same name wins, as the server merges them); `formOf` gives the form a `fieldsOf` names once it is loaded.
 */
export function outputNames(
  outputs: readonly NamedOutput[],
  formOf: (output: NamedOutput) => FormDefinition | undefined,
  semanticsOf: SemanticsOf,
): OutputName[] {
  const names: OutputName[] = [];
  for (const output of outputs) {
    const byValue = new Map<string, OutputName>();
    for (const [value, type] of Object.entries(output.values)) {
      byValue.set(value, { path: `actions.${output.name}.${value}`, type, name: output.name, value });
    }
    for (const field of output.fieldsOf ? (formOf(output)?.fields ?? []) : []) {
      const type = semanticsOf(field).exprType;
      if (!type || !field.key) continue;
      byValue.set(field.key, {
        path: `actions.${output.name}.${field.key}`,
        type,
        name: output.name,
        value: field.key,
        field,
      });
    }
    names.push(...byValue.values());
  }
  return names;
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
