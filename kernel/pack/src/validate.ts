import { createHash } from 'node:crypto';
import { type ErrorParams, type FieldIssue, nestIssue, shapeIssues } from '@baton/core';
import {
  defineFlow,
  type FlowDefinition,
  type FlowDefinitionInput,
  type FlowNodeInput,
  validateFlow,
} from '@baton/flow';
import {
  defineForm,
  type FieldDefinition,
  type FormDefinition,
  type FormDefinitionInput,
  keyProblem,
  validateForm,
} from '@baton/form';
import { defineReport, type ReportDefinition, validateReport } from '@baton/report';
import { defineRule, type RuleCatalog, type RuleDefinition, validateRule } from '@baton/rule';
import { z } from 'zod';
import { PackErrors } from './errors.ts';
import { type PackIssueCode, PackIssues } from './issues.ts';
import {
  type DemoValues,
  grantableScopes,
  type PackDefinition,
  type PackDemo,
  type PackInput,
  type PackIssue,
  type PackLocales,
  type PackMenu,
  type PackRole,
} from './types.ts';

type Path = (string | number)[];
type Add = (path: Path, code: PackIssueCode, params?: ErrorParams) => void;

/** What a duplicate or a pack mismatch names, in both languages. */
const things = {
  form: { what: 'form', whatZh: '表单' },
  flow: { what: 'flow', whatZh: '流程' },
  rule: { what: 'rule', whatZh: '规则' },
  report: { what: 'report', whatZh: '报表' },
  role: { what: 'role', whatZh: '角色' },
  menu: { what: 'menu', whatZh: '菜单' },
  item: { what: 'item', whatZh: '菜单项' },
  ref: { what: 'demo ref', whatZh: '演示记录引用' },
} as const;
const hint = (en: string, zh: string) => ({ hint: en, hintZh: zh });

const label = z.strictObject({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) });
const VERSION = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/;
const ROLE_CODE = /^[a-z][a-zA-Z0-9]{0,63}$/;
const ITEM_KEY = /^[a-z][a-zA-Z0-9]{0,39}$/;
const LOCALE_KEY = /^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+)*$/;
const SELECTOR =
  /^(?:head:[^:]{1,100}|staff:[^:]{1,100}:\d{1,4}|role:[a-z][a-zA-Z0-9]{0,63}(?::\d{1,4})?|login:\S{1,100})$/;

const scope = z.enum(grantableScopes);
const right = z.union([
  z.strictObject({
    form: z.string(),
    create: z.boolean().optional(),
    read: z.array(scope).max(5).optional(),
    write: z.array(scope).max(5).optional(),
  }),
  z.strictObject({ flow: z.string(), start: z.boolean() }),
]);
const keyed = z.looseObject({ key: z.string() });
const values = z.record(z.string(), z.unknown());

const shape = z.strictObject({
  key: z.string(),
  version: z.string().regex(VERSION, 'major.minor.patch'),
  name: label,
  description: label.optional(),
  forms: z.array(z.looseObject({})).max(200),
  flows: z.array(z.looseObject({})).max(200),
  rules: z.array(keyed).max(500).default([]),
  reports: z.array(keyed).max(500).default([]),
  menus: z
    .array(
      z.strictObject({
        key: z.string().regex(ITEM_KEY, 'camelCase ASCII'),
        label,
        icon: z.string().max(40).optional(),
        items: z
          .array(
            z.strictObject({
              key: z.string().regex(ITEM_KEY, 'camelCase ASCII'),
              label,
              form: z.string().optional(),
              flow: z.string().optional(),
              report: z.string().optional(),
              view: z.enum(['list', 'new']).optional(),
            }),
          )
          .min(1)
          .max(100),
      }),
    )
    .max(50),
  roles: z
    .array(
      z.strictObject({
        code: z.string().regex(ROLE_CODE, 'a role code: camelCase ASCII'),
        name: label,
        description: label.optional(),
        permissions: z.array(right).max(500),
      }),
    )
    .max(100),
  locales: z.strictObject({
    'zh-CN': z.record(z.string().regex(LOCALE_KEY, 'a dotted key'), z.string().max(2000)),
    'en-US': z.record(z.string().regex(LOCALE_KEY, 'a dotted key'), z.string().max(2000)),
  }),
  demo: z
    .strictObject({
      assignments: z
        .array(
          z.strictObject({
            role: z.string().regex(ROLE_CODE, 'a role code'),
            members: z.union([z.literal('everyone'), z.array(z.string()).max(10_000)]),
          }),
        )
        .max(100)
        .optional(),
      records: z
        .array(
          z.strictObject({
            ref: z.string().min(1).max(64).optional(),
            form: z.string(),
            by: z.string(),
            values,
          }),
        )
        .max(10_000)
        .optional(),
      filings: z
        .array(
          z.strictObject({
            ref: z.string().min(1).max(64).optional(),
            flow: z.string(),
            by: z.string(),
            title: z.string().min(1).max(200).optional(),
            values,
            steps: z
              .array(
                z.strictObject({
                  action: z.enum(['approve', 'reject']),
                  by: z.string(),
                  opinion: z.string().max(2000).optional(),
                  values: values.optional(),
                }),
              )
              .max(50)
              .optional(),
          }),
        )
        .max(10_000)
        .optional(),
    })
    .default({}),
});

type Parsed = z.output<typeof shape>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function withoutHash<T>(value: T): T {
  return isRecord(value) && 'hash' in value
    ? (Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'hash')) as T)
    : value;
}

/** Field keys (and subtables with their column keys) of a form definition input. */
type FormShape = {
  def: FormDefinitionInput;
  defined?: FormDefinition;
  fields: Map<string, FieldDefinition>;
  subtables: Map<string, Map<string, FieldDefinition>>;
};

function shapeOf(def: FormDefinitionInput): FormShape {
  const fields = new Map<string, FieldDefinition>();
  for (const field of Array.isArray(def.fields) ? def.fields : []) if (isRecord(field)) fields.set(field.key, field);
  const subtables = new Map<string, Map<string, FieldDefinition>>();
  for (const sub of Array.isArray(def.subtables) ? def.subtables : []) {
    if (!isRecord(sub)) continue;
    const columns = new Map<string, FieldDefinition>();
    for (const column of Array.isArray(sub.columns) ? sub.columns : [])
      if (isRecord(column)) columns.set(column.key, column);
    subtables.set(sub.key, columns);
  }
  return { def, fields, subtables };
}

/** `'form'`, `'pack.form'` or `{ pack, key }` → `{ pack, key }` (a bare key is a form of this pack). */
function formRefOf(value: unknown, pack: string): { pack: string; key: string } | undefined {
  if (typeof value === 'string') {
    const parts = value.split('.');
    if (parts.length === 1) return { pack, key: value };
    if (parts.length === 2) return { pack: parts[0] as string, key: parts[1] as string };
    return undefined;
  }
  if (isRecord(value) && typeof value.pack === 'string' && typeof value.key === 'string') {
    return { pack: value.pack, key: value.key };
  }
  return undefined;
}

type Analysis = { issues: PackIssue[]; pack?: PackDefinition };

function analyse(input: unknown): Analysis {
  const issues: PackIssue[] = [];
  const add: Add = (path, code, params) => issues.push(PackIssues.issue(path, code, params));
  /** An engine's issue under the pack's path: its code, params and texts are the engine's. */
  const nest = (prefix: Path, issue: FieldIssue) => issues.push(nestIssue(issue, prefix));
  // A defined pack carries its hash, an exported document (PACK_FORMAT) its format and export time.
  const stamps = isRecord(input) && input.format === 'baton.pack/1' ? ['hash', 'format', 'exportedAt'] : ['hash'];
  const envelope = isRecord(input)
    ? Object.fromEntries(Object.entries(input).filter(([k]) => !stamps.includes(k)))
    : input;
  const parsed = shape.safeParse(envelope);
  if (!parsed.success) {
    issues.push(...shapeIssues(parsed.error.issues, envelope));
    return { issues };
  }
  const data: Parsed = parsed.data;
  const packKey = data.key;
  const problem = keyProblem(packKey);
  if (problem === 'reserved') add(['key'], 'key_reserved', { key: packKey });
  else if (problem === 'too_long') add(['key'], 'key_too_long', { max: 40 });
  else if (problem) add(['key'], 'key_syntax');
  else if (packKey.length > 20) add(['key'], 'key_too_long', { max: 20 });

  // ---- forms ----
  const forms = new Map<string, FormShape & { index: number }>();
  data.forms.forEach((raw, index) => {
    const def = withoutHash(raw) as unknown as FormDefinitionInput;
    const path: Path = ['forms', index];
    for (const issue of validateForm(def)) nest(path, issue);
    if (typeof def.pack === 'string' && def.pack !== packKey) {
      add([...path, 'pack'], 'pack_mismatch', { ...things.form, pack: packKey });
    }
    if (typeof def.key !== 'string') return;
    if (forms.has(def.key)) {
      add([...path, 'key'], 'duplicate_key', { ...things.form, key: def.key });
      return;
    }
    const shaped = { ...shapeOf(def), index };
    forms.set(def.key, shaped);
  });
  const definedForms: FormDefinition[] = [];
  for (const form of forms.values()) {
    if (issues.some((issue) => issue.path[0] === 'forms' && issue.path[1] === form.index)) continue;
    form.defined = defineForm(form.def);
    definedForms.push(form.defined);
  }

  // References must point at forms of this pack, at fields those forms have.
  for (const form of forms.values()) {
    const check = (field: FieldDefinition, path: Path, own: Map<string, FieldDefinition>, ownName: string) => {
      if (field.type !== 'reference') return;
      const ref = formRefOf(field.form, packKey);
      if (!ref) return; // the form engine reported the malformed value
      const target = ref.pack === packKey ? forms.get(ref.key) : undefined;
      if (!target) {
        add([...path, 'form'], 'unknown_form', { form: `${ref.pack}.${ref.key}` });
        return;
      }
      if (typeof field.display === 'string' && !target.fields.has(field.display)) {
        add([...path, 'display'], 'unknown_field', { form: ref.key, field: field.display });
      }
      if (isRecord(field.fill)) {
        for (const [mine, theirs] of Object.entries(field.fill)) {
          if (!own.has(mine)) add([...path, 'fill', mine], 'unknown_field', { form: ownName, field: mine });
          if (typeof theirs === 'string' && !target.fields.has(theirs)) {
            add([...path, 'fill', mine], 'unknown_field', { form: ref.key, field: theirs });
          }
        }
      }
    };
    const fieldList = Array.isArray(form.def.fields) ? form.def.fields : [];
    fieldList.forEach((field, i) => {
      if (isRecord(field)) check(field, ['forms', form.index, 'fields', i], form.fields, form.def.key);
    });
    const subList = Array.isArray(form.def.subtables) ? form.def.subtables : [];
    subList.forEach((sub, s) => {
      if (!isRecord(sub) || !Array.isArray(sub.columns)) return;
      const own = form.subtables.get(sub.key) ?? new Map();
      sub.columns.forEach((column, c) => {
        if (isRecord(column)) {
          check(column, ['forms', form.index, 'subtables', s, 'columns', c], own, `${form.def.key}.${sub.key}`);
        }
      });
    });
  }

  // ---- roles (declared before flows are checked: flows may route to them) ----
  const roleCodes = new Set<string>();
  data.roles.forEach((role, index) => {
    if (roleCodes.has(role.code)) add(['roles', index, 'code'], 'duplicate_key', { ...things.role, key: role.code });
    roleCodes.add(role.code);
  });

  // ---- flows ----
  const flows = new Map<string, { def: FlowDefinitionInput; index: number }>();
  const definedFlows: FlowDefinition[] = [];
  data.flows.forEach((raw, index) => {
    const def = withoutHash(raw) as unknown as FlowDefinitionInput;
    const path: Path = ['flows', index];
    if (typeof def.pack === 'string' && def.pack !== packKey) {
      add([...path, 'pack'], 'pack_mismatch', { ...things.flow, pack: packKey });
    }
    if (typeof def.key === 'string') {
      if (flows.has(def.key)) add([...path, 'key'], 'duplicate_key', { ...things.flow, key: def.key });
      else flows.set(def.key, { def, index });
    }
    const ref = formRefOf(def.form, packKey);
    const form = ref && ref.pack === packKey ? forms.get(ref.key) : undefined;
    if (ref && !form) add([...path, 'form'], 'unknown_form', { form: `${ref.pack}.${ref.key}` });
    const flowIssues = validateFlow(def, form?.defined ? { form: form.defined } : {});
    for (const issue of flowIssues) nest(path, issue);
    // Roles a flow routes to must be declared, so an installation without them gets them created.
    const nodes: FlowNodeInput[] = Array.isArray(def.nodes) ? def.nodes : [];
    nodes.forEach((node, n) => {
      const assignees = isRecord(node) && Array.isArray(node.assignees) ? node.assignees : [];
      assignees.forEach((spec: unknown, a: number) => {
        if (isRecord(spec) && spec.source === 'role' && typeof spec.role === 'string' && !roleCodes.has(spec.role)) {
          add([...path, 'nodes', n, 'assignees', a, 'role'], 'unknown_role', { role: spec.role });
        }
      });
    });
    if (flowIssues.length === 0 && form?.defined && !issues.some((i) => i.path[0] === 'flows' && i.path[1] === index)) {
      definedFlows.push(defineFlow(def, { form: form.defined }));
    }
  });

  // ---- rules: checked by kernel/rule against the pack's forms and flows (a rule naming a form or flow the pack
  // lacks, or a field its form lacks, is an issue under rules.N.) ----
  const catalog: RuleCatalog = {
    forms: Object.fromEntries(definedForms.map((form) => [`${form.pack}.${form.key}`, form])),
    flows: Object.fromEntries(
      definedFlows.map((flow) => [
        `${flow.pack}.${flow.key}`,
        { form: { pack: flow.form.pack, key: flow.form.key }, nodes: flow.nodes.map((node) => node.key) },
      ]),
    ),
  };
  const ruleKeys = new Set<string>();
  const definedRules: RuleDefinition[] = [];
  data.rules.forEach((raw, index) => {
    const def = withoutHash(raw);
    const path: Path = ['rules', index];
    if (typeof def.pack === 'string' && def.pack !== packKey) {
      add([...path, 'pack'], 'pack_mismatch', { ...things.rule, pack: packKey });
    }
    if (ruleKeys.has(def.key)) add([...path, 'key'], 'duplicate_key', { ...things.rule, key: def.key });
    ruleKeys.add(def.key);
    const ruleIssues = validateRule(def, catalog);
    for (const issue of ruleIssues) nest(path, issue);
    if (ruleIssues.length === 0) definedRules.push(defineRule(def, catalog));
  });

  // ---- reports: checked by kernel/report against the pack's forms ----
  const reportKeys = new Set<string>();
  const definedReports: ReportDefinition[] = [];
  data.reports.forEach((raw, index) => {
    const def = withoutHash(raw);
    const path: Path = ['reports', index];
    if (typeof def.pack === 'string' && def.pack !== packKey) {
      add([...path, 'pack'], 'pack_mismatch', { ...things.report, pack: packKey });
    }
    if (reportKeys.has(def.key)) add([...path, 'key'], 'duplicate_key', { ...things.report, key: def.key });
    reportKeys.add(def.key);
    const ref = formRefOf(def.form, packKey);
    if (ref && (ref.pack !== packKey || !forms.has(ref.key))) {
      add([...path, 'form'], 'unknown_form', { form: `${ref.pack}.${ref.key}` });
      return;
    }
    const reportIssues = validateReport(def, { forms: definedForms });
    for (const issue of reportIssues) nest(path, issue);
    if (reportIssues.length === 0) definedReports.push(defineReport(def, { forms: definedForms }));
  });

  // ---- roles' permissions ----
  data.roles.forEach((role, r) => {
    role.permissions.forEach((spec, p) => {
      const path: Path = ['roles', r, 'permissions', p];
      if ('form' in spec) {
        if (!forms.has(spec.form)) add([...path, 'form'], 'unknown_form', { form: spec.form });
        if (!spec.create && !spec.read?.length && !spec.write?.length) add(path, 'empty_right');
      } else if (!flows.has(spec.flow)) add([...path, 'flow'], 'unknown_flow', { flow: spec.flow });
    });
  });

  // ---- menus ----
  const menuKeys = new Set<string>();
  data.menus.forEach((menu, m) => {
    if (menuKeys.has(menu.key)) add(['menus', m, 'key'], 'duplicate_key', { ...things.menu, key: menu.key });
    menuKeys.add(menu.key);
    const itemKeys = new Set<string>();
    menu.items.forEach((item, i) => {
      const path: Path = ['menus', m, 'items', i];
      if (itemKeys.has(item.key)) add([...path, 'key'], 'duplicate_key', { ...things.item, key: item.key });
      itemKeys.add(item.key);
      const targets = [item.form, item.flow, item.report].filter((t) => t !== undefined);
      if (targets.length !== 1) add(path, 'one_target');
      if (item.form !== undefined && !forms.has(item.form)) add([...path, 'form'], 'unknown_form', { form: item.form });
      if (item.flow !== undefined && !flows.has(item.flow)) add([...path, 'flow'], 'unknown_flow', { flow: item.flow });
      if (item.report !== undefined && !reportKeys.has(item.report)) {
        add([...path, 'report'], 'unknown_report', { report: item.report });
      }
      if (item.view !== undefined && item.form === undefined) add([...path, 'view'], 'not_form');
    });
  });

  // ---- locales: both languages carry the same keys ----
  const zh = data.locales['zh-CN'];
  const en = data.locales['en-US'];
  for (const key of Object.keys(zh)) {
    if (!(key in en)) add(['locales', 'en-US', key], 'missing', { what: 'the en-US text', whatZh: ' en-US 文本' });
  }
  for (const key of Object.keys(en)) {
    if (!(key in zh)) add(['locales', 'zh-CN', key], 'missing', { what: 'the zh-CN text', whatZh: ' zh-CN 文本' });
  }

  // ---- demo ----
  checkDemo(data.demo, { forms, flows, roleCodes, add });

  if (issues.length > 0) return { issues };
  const pack = deepFreeze({
    key: packKey,
    version: data.version,
    name: data.name,
    ...(data.description ? { description: data.description } : {}),
    forms: definedForms,
    flows: definedFlows,
    rules: definedRules,
    reports: definedReports,
    menus: data.menus as PackMenu[],
    roles: data.roles as PackRole[],
    locales: data.locales as PackLocales,
    demo: data.demo as PackDemo,
    hash: '',
  });
  return { issues, pack: deepFreeze({ ...pack, hash: hashPack(pack) }) };
}

type DemoCheck = {
  forms: Map<string, FormShape & { index: number }>;
  flows: Map<string, { def: FlowDefinitionInput; index: number }>;
  roleCodes: Set<string>;
  add: Add;
};

function checkDemo(demo: Parsed['demo'], { forms, flows, add }: DemoCheck): void {
  const refs = new Map<string, string>(); // ref → form key
  const selector = (path: Path, value: string) => {
    if (!SELECTOR.test(value)) {
      add(path, 'bad_member');
    }
  };
  const placeholders = (value: unknown, path: Path, form: FormShape, field?: FieldDefinition) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        placeholders(item, [...path, i], form, field);
      });
      return;
    }
    if (!isRecord(value)) return;
    const keys = Object.keys(value);
    const marker = keys.find((key) => key.startsWith('$'));
    if (!marker) return;
    const inner = value[marker];
    if (marker === '$member') {
      if (typeof inner === 'string') selector([...path, '$member'], inner);
      else
        add(path, 'bad_placeholder', { placeholder: marker, ...hint('takes a member selector', '须为一个人员选择器') });
    } else if (marker === '$members') {
      if (Array.isArray(inner)) {
        inner.forEach((item, i) => {
          if (typeof item === 'string') selector([...path, '$members', i], item);
          else add([...path, '$members', i], 'bad_member');
        });
      } else {
        add(path, 'bad_placeholder', {
          placeholder: marker,
          ...hint('takes a list of member selectors', '须为人员选择器的列表'),
        });
      }
    } else if (marker === '$department') {
      if (typeof inner !== 'string' || inner.length === 0) {
        add(path, 'bad_placeholder', { placeholder: marker, ...hint('takes a name', '须为部门名称') });
      }
    } else if (marker === '$record') {
      const target = refs.get(String(inner));
      if (!target) add([...path, '$record'], 'unknown_ref', { ref: String(inner) });
      else if (field?.type === 'reference') {
        const wanted = formRefOf(field.form, form.def.pack);
        if (wanted && wanted.key !== target) {
          add([...path, '$record'], 'wrong_form', { form: target, wanted: wanted.key });
        }
      }
    } else if (marker === '$date' || marker === '$datetime') {
      if (typeof inner !== 'number' || !Number.isInteger(inner)) {
        add(path, 'bad_placeholder', { placeholder: marker, ...hint('takes whole days', '须为整数天数') });
      }
      if (marker === '$datetime' && value.at !== undefined && !/^\d{2}:\d{2}$/.test(String(value.at))) {
        add([...path, 'at'], 'bad_placeholder', { placeholder: marker, ...hint('at is HH:MM', 'at 须为 HH:MM') });
      }
    } else if (marker === '$find') {
      const spec = isRecord(inner) ? inner : {};
      const target = typeof spec.form === 'string' ? forms.get(spec.form) : undefined;
      if (!target) add([...path, '$find', 'form'], 'unknown_form', { form: String(spec.form) });
      else if (field?.type === 'reference') {
        const wanted = formRefOf(field.form, form.def.pack);
        if (wanted && wanted.key !== target.def.key) {
          add([...path, '$find', 'form'], 'wrong_form', { form: target.def.key, wanted: wanted.key });
        }
      }
      if (!isRecord(spec.where) || Object.keys(spec.where).length === 0) {
        add([...path, '$find', 'where'], 'bad_placeholder', {
          placeholder: marker,
          ...hint('needs where: { field: value }', '须有 where: { 字段: 值 }'),
        });
      } else if (target) {
        for (const [key, wanted] of Object.entries(spec.where)) {
          const targetField = target.fields.get(key);
          if (!targetField)
            add([...path, '$find', 'where', key], 'unknown_field', { form: target.def.key, field: key });
          else placeholders(wanted, [...path, '$find', 'where', key], target, targetField);
        }
      }
    } else {
      add([...path, marker], 'bad_placeholder', {
        placeholder: marker,
        ...hint('is not a placeholder', '不是已知的占位'),
      });
    }
  };
  const checkValues = (values: DemoValues, path: Path, form: FormShape) => {
    for (const [key, value] of Object.entries(values)) {
      const field = form.fields.get(key);
      const sub = form.subtables.get(key);
      if (field) placeholders(value, [...path, key], form, field);
      else if (sub) {
        if (!Array.isArray(value)) {
          add([...path, key], 'not_rows');
          continue;
        }
        value.forEach((row, r) => {
          if (!isRecord(row)) {
            add([...path, key, r], 'not_row');
            return;
          }
          for (const [column, cell] of Object.entries(row)) {
            const col = sub.get(column);
            if (!col)
              add([...path, key, r, column], 'unknown_field', { form: `${form.def.key}.${key}`, field: column });
            else placeholders(cell, [...path, key, r, column], form, col);
          }
        });
      } else add([...path, key], 'unknown_field', { form: form.def.key, field: key });
    }
  };
  const claim = (ref: string | undefined, path: Path, formKey: string) => {
    if (ref === undefined) return;
    if (refs.has(ref)) add([...path, 'ref'], 'duplicate_key', { ...things.ref, key: ref });
    refs.set(ref, formKey);
  };

  demo.assignments?.forEach((assignment, a) => {
    if (Array.isArray(assignment.members)) {
      assignment.members.forEach((member, m) => {
        selector(['demo', 'assignments', a, 'members', m], member);
      });
    }
  });
  demo.records?.forEach((record, r) => {
    const path: Path = ['demo', 'records', r];
    selector([...path, 'by'], record.by);
    const form = forms.get(record.form);
    if (!form) {
      add([...path, 'form'], 'unknown_form', { form: record.form });
      return;
    }
    if (form.def.kind === 'flow') add([...path, 'form'], 'flow_form');
    checkValues(record.values, [...path, 'values'], form);
    claim(record.ref, path, record.form);
  });
  demo.filings?.forEach((filing, f) => {
    const path: Path = ['demo', 'filings', f];
    selector([...path, 'by'], filing.by);
    filing.steps?.forEach((step, s) => {
      selector([...path, 'steps', s, 'by'], step.by);
    });
    const flow = flows.get(filing.flow);
    if (!flow) {
      add([...path, 'flow'], 'unknown_flow', { flow: filing.flow });
      return;
    }
    const ref = formRefOf(flow.def.form, '');
    const form = ref ? forms.get(ref.key) : undefined;
    if (!form) return;
    checkValues(filing.values, [...path, 'values'], form);
    filing.steps?.forEach((step, s) => {
      if (step.values) checkValues(step.values, [...path, 'steps', s, 'values'], form);
    });
    claim(filing.ref, path, form.def.key);
  });
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  }
  return value;
}

/** sha256 of the canonical JSON of the whole pack (forms and flows by their own hashes). */
function hashPack(pack: Omit<PackDefinition, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = pack;
  const content = {
    ...rest,
    forms: pack.forms.map((f) => f.hash),
    flows: pack.flows.map((f) => f.hash),
    rules: pack.rules.map((r) => r.hash),
    reports: pack.reports.map((r) => r.hash),
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(content)))
    .digest('hex');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * Every problem of a pack, each with its path (`forms.2.fields.3.key`, `flows.0.nodes.2.assignees.0.field`,
 * `menus.0.items.1.form`, `rules.0.actions.0.form`, `demo.records.4.values.salesperson.$member`); empty when
 * the pack is valid. Accepts a pack as written (forms and flows defined or not) or an exported document.
 */
export function validatePack(input: unknown): PackIssue[] {
  return analyse(input).issues;
}

/**
 * Validates a whole pack (every form and flow against the pack's own forms, roles, menus, locales, demo
 * data), deep-freezes it and stamps its content hash. Throws PACK_INVALID with every issue as a field path.
 */
export function definePack(input: PackInput | unknown): PackDefinition {
  const result = analyse(input);
  if (!result.pack) {
    const key = isRecord(input) && typeof input.key === 'string' ? input.key : '?';
    throw PackErrors.invalid.create({ pack: key, count: result.issues.length }, { fields: result.issues });
  }
  return result.pack;
}
