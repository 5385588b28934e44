import { createHash } from 'node:crypto';
import { type ErrorParams, nestIssue, shapeDetail, shapeIssues } from '@baton/core';
import {
  type CompiledExpression,
  compile,
  type ExpressionSchema,
  type PreparedSchema,
  parse,
  prepareSchema,
} from '@baton/expression';
import { type FormDefinition, findFieldType } from '@baton/form';
import { z } from 'zod';
import { FlowErrors } from './errors.ts';
import { type FlowIssueCode, FlowIssues } from './issues.ts';
import { findNodeKind } from './node-kinds/registry.ts';
import type { FlowDefinition, FlowDefinitionInput, FlowEdge, FlowIssue, FlowNodeInput, FormView } from './types.ts';

const NODE_KEY = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const PACK_KEY = /^[a-z][A-Za-z0-9]{0,39}$/;
const label = z.strictObject({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) });
const COMMON = new Set(['key', 'kind', 'name']);

const shape = z.strictObject({
  pack: z.string().regex(PACK_KEY),
  key: z.string().regex(PACK_KEY),
  name: label,
  category: z.string().max(100).optional(),
  form: z.strictObject({ pack: z.string().regex(PACK_KEY), key: z.string().regex(PACK_KEY) }),
  administrators: z.array(z.string().min(1).max(64)).max(50).default([]),
  terminatePolicy: z.enum(['administrator', 'initiatorOrAdministrator']).default('initiatorOrAdministrator'),
  nodes: z
    .array(z.looseObject({ key: z.string(), kind: z.string().max(40), name: label.optional() }))
    .min(1)
    .max(500),
  edges: z
    .array(
      z.strictObject({
        from: z.string().max(64),
        to: z.string().max(64),
        condition: z.string().min(1).max(4000).optional(),
        else: z.literal(true).optional(),
      }),
    )
    .max(2000),
});

/** The initiator's context for conditions: `$initiator.departmentId` and friends. */
export const initiatorContext: Readonly<Record<string, string>> = Object.freeze({
  'initiator.memberId': 'member',
  'initiator.departmentId': 'department',
  'initiator.postId': 'text',
  'initiator.levelRank': 'number',
});

const FIELD_COMMON = new Set(['key', 'label', 'type', 'required', 'default', 'validation', 'help', 'renamedFrom']);

/** Field types and expression types of a form definition, as flow validation and conditions see them. */
export function formView(def: FormDefinition): FormView {
  const fieldTypes = new Map<string, { type: string; exprType: string | null; config: unknown }>();
  const configOf = (field: Record<string, unknown>) => {
    const type = findFieldType(String(field.type));
    if (!type) return { type: String(field.type), exprType: null, config: {} };
    const raw = Object.fromEntries(Object.entries(field).filter(([name]) => !FIELD_COMMON.has(name)));
    const parsed = type.configSchema.safeParse(raw);
    const config = parsed.success ? parsed.data : raw;
    return { type: type.type, exprType: parsed.success ? type.expressionType(config) : null, config };
  };
  for (const field of def.fields) fieldTypes.set(field.key, configOf(field));
  return { def, fieldTypes, subtables: new Set(def.subtables.map((sub) => sub.key)) };
}

function expressionSchema(view: FormView): ExpressionSchema {
  const fields: Record<string, { type: string }> = {};
  for (const [key, info] of view.fieldTypes) if (info.exprType) fields[key] = { type: info.exprType };
  const subtables: Record<string, { columns: Record<string, { type: string }> }> = {};
  for (const sub of view.def.subtables) {
    const columns: Record<string, { type: string }> = {};
    for (const column of sub.columns) {
      const type = findFieldType(column.type);
      if (!type) continue;
      const raw = Object.fromEntries(Object.entries(column).filter(([name]) => !FIELD_COMMON.has(name)));
      const parsed = type.configSchema.safeParse(raw);
      const exprType = parsed.success ? type.expressionType(parsed.data) : null;
      if (exprType) columns[column.key] = { type: exprType };
    }
    subtables[sub.key] = { columns };
  }
  return { fields, subtables, context: initiatorContext };
}

const schemaCache = new WeakMap<FormDefinition, PreparedSchema | undefined>();
function preparedFor(view: FormView): PreparedSchema | undefined {
  if (!schemaCache.has(view.def)) schemaCache.set(view.def, prepareSchema(expressionSchema(view)).schema);
  return schemaCache.get(view.def);
}

type Analysis = { issues: FlowIssue[]; normalized?: FlowDefinitionInput; conditions: Map<number, CompiledExpression> };

function analyse(input: unknown, form: FormView | undefined): Analysis {
  const issues: FlowIssue[] = [];
  const conditions = new Map<number, CompiledExpression>();
  const add = (path: (string | number)[], code: FlowIssueCode, params?: ErrorParams) =>
    issues.push(FlowIssues.issue(path, code, params));
  const parsed = shape.safeParse(input);
  if (!parsed.success) {
    issues.push(...shapeIssues(parsed.error.issues, input));
    return { issues, conditions };
  }
  const def = parsed.data as FlowDefinitionInput & { nodes: FlowNodeInput[]; edges: FlowEdge[] };
  if (form && (form.def.pack !== def.form.pack || form.def.key !== def.form.key)) {
    add(['form'], 'form_mismatch', { form: `${def.form.pack}.${def.form.key}` });
  }
  if (form && form.def.kind !== 'flow') add(['form'], 'not_flow_form');

  // ---- nodes ----
  const byKey = new Map<string, { node: FlowNodeInput; index: number }>();
  const normalizedNodes: FlowNodeInput[] = [];
  for (const [index, node] of def.nodes.entries()) {
    const path = ['nodes', index];
    if (!NODE_KEY.test(node.key)) add([...path, 'key'], 'key_syntax');
    else if (byKey.has(node.key)) add([...path, 'key'], 'duplicate_key', { key: node.key });
    else byKey.set(node.key, { node, index });
    const kind = findNodeKind(node.kind);
    if (!kind) {
      add([...path, 'kind'], 'unknown_kind', { kind: node.kind });
      normalizedNodes.push(node);
      continue;
    }
    const raw = Object.fromEntries(Object.entries(node).filter(([name]) => !COMMON.has(name)));
    const config = kind.configSchema.safeParse(raw);
    if (!config.success) {
      for (const issue of shapeIssues(config.error.issues, raw, path))
        add([...issue.path], 'bad_config', shapeDetail(issue));
      normalizedNodes.push(node);
      continue;
    }
    kind.check?.(config.data, node, { def, form, path, add });
    normalizedNodes.push({
      key: node.key,
      kind: node.kind,
      ...(node.name ? { name: node.name } : {}),
      ...(config.data as Record<string, unknown>),
    });
  }
  const starts = def.nodes.filter((node) => node.kind === 'start');
  if (starts.length !== 1) add(['nodes'], 'start_count');
  if (!def.nodes.some((node) => node.kind === 'end')) add(['nodes'], 'no_end');

  // ---- edges ----
  const out = new Map<string, number[]>();
  const incoming = new Map<string, number>();
  for (const [index, edge] of def.edges.entries()) {
    const path = ['edges', index];
    const from = byKey.get(edge.from);
    if (!from) add([...path, 'from'], 'unknown_node', { node: edge.from });
    if (!byKey.has(edge.to)) add([...path, 'to'], 'unknown_node', { node: edge.to });
    if (!from || !byKey.has(edge.to)) continue;
    out.set(edge.from, [...(out.get(edge.from) ?? []), index]);
    incoming.set(edge.to, (incoming.get(edge.to) ?? 0) + 1);
    const fromKind = from.node.kind;
    if (fromKind !== 'condition' && (edge.condition !== undefined || edge.else)) {
      add([...path, edge.else ? 'else' : 'condition'], 'condition_not_allowed');
    }
    if (fromKind === 'condition' && edge.condition !== undefined && edge.else) {
      add([...path], 'condition_and_else');
    }
    if (edge.condition !== undefined) {
      if (form) {
        const schema = preparedFor(form);
        if (schema) {
          const result = compile(edge.condition, schema, { expect: 'boolean', path: [...path, 'condition'] });
          if (result.ok) conditions.set(index, result.expression);
          else for (const issue of result.issues) issues.push(nestIssue(issue));
        }
      } else {
        const syntax = parse(edge.condition);
        const [first] = syntax.ok ? [] : syntax.issues;
        if (first) add([...path, 'condition'], 'condition_syntax', { detail: first.en, detailZh: first.zh });
      }
    }
  }
  for (const [index, node] of def.nodes.entries()) {
    const kind = findNodeKind(node.kind);
    if (!kind || byKey.get(node.key)?.index !== index) continue;
    const edges = (out.get(node.key) ?? []).map((i) => def.edges[i] as FlowEdge);
    const path = ['nodes', index];
    const rule = kind.outgoing;
    if (rule === 'none' && edges.length > 0) add(path, 'edges_not_allowed', { kind: node.kind });
    if (rule === 'one' && edges.length !== 1) add(path, 'one_edge', { kind: node.kind });
    if (rule === 'many' && edges.length < 2) add(path, 'split_edges');
    if (rule === 'conditional') {
      const elses = edges.filter((edge) => edge.else).length;
      if (elses !== 1) add(path, 'else_count');
      if (edges.filter((edge) => edge.condition !== undefined).length === 0) add(path, 'no_condition');
      if (edges.some((edge) => edge.condition === undefined && !edge.else)) add(path, 'edge_without_condition');
    }
    if (node.kind === 'start' && (incoming.get(node.key) ?? 0) > 0) add(path, 'start_incoming');
  }

  // ---- graph: reachability, ends, cycles, joins ----
  const succ = (key: string) => (out.get(key) ?? []).map((i) => (def.edges[i] as FlowEdge).to);
  const reach = reachability([...byKey.keys()], succ);
  const start = starts[0];
  if (start && byKey.has(start.key)) {
    const seen = reach.get(start.key) ?? new Set<string>();
    for (const [key, { index }] of byKey) {
      if (key !== start.key && !seen.has(key)) add(['nodes', index], 'unreachable', { node: key });
    }
  }
  const ends = def.nodes.filter((node) => node.kind === 'end').map((node) => node.key);
  for (const [key, { node, index }] of byKey) {
    if (node.kind === 'end') continue;
    if (!ends.some((end) => reach.get(key)?.has(end))) {
      add(['nodes', index], 'no_path_to_end', { node: key });
    }
    if (reach.get(key)?.has(key)) add(['nodes', index], 'cycle', { node: key });
  }
  const splits = def.nodes.filter((node) => node.kind === 'parallel').map((node) => node.key);
  for (const [key, { node, index }] of byKey) {
    if (node.kind === 'join') {
      if (!splits.some((split) => reach.get(split)?.has(key))) {
        add(['nodes', index], 'join_without_split', { node: key });
      } else if ((incoming.get(key) ?? 0) < 2) {
        add(['nodes', index], 'join_incoming', { node: key });
      }
    }
    if (node.kind === 'parallel') {
      const joins = [...(reach.get(key) ?? [])].filter((k) => byKey.get(k)?.node.kind === 'join');
      if (joins.length === 0) add(['nodes', index], 'split_without_join', { node: key });
    }
  }
  if (issues.length > 0) return { issues, conditions };
  return {
    issues,
    conditions,
    normalized: { ...def, nodes: normalizedNodes, administrators: def.administrators ?? [] },
  };
}

function reachability(keys: readonly string[], succ: (key: string) => string[]): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const key of keys) {
    const seen = new Set<string>();
    const stack = [...succ(key)];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...succ(next));
    }
    result.set(key, seen);
  }
  return result;
}

/** Every problem of a flow definition with its path (`nodes.3.assignees.0.role`); empty when valid. */
export function validateFlow(def: unknown, options: { form?: FormDefinition } = {}): FlowIssue[] {
  return analyse(def, options.form ? formView(options.form) : undefined).issues;
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

export type CompiledFlow = {
  readonly def: FlowDefinition;
  readonly byKey: ReadonlyMap<string, Readonly<FlowNodeInput>>;
  /** Outgoing edges of each node in definition order, with their index in `def.edges`. */
  readonly out: ReadonlyMap<string, readonly { edge: Readonly<FlowEdge>; index: number }[]>;
  /** Nodes reachable from each node. */
  readonly reach: ReadonlyMap<string, ReadonlySet<string>>;
  readonly startKey: string;
  /** Compiled conditions by edge index (present when compiled against the form). */
  readonly conditions: ReadonlyMap<number, CompiledExpression>;
};

/**
 * Validates (against the form when given: conditions type-check, field names exist), normalises, deep-freezes
 * and hashes. Throws FLOW_DEFINITION_INVALID with every issue as a field path.
 */
export function defineFlow(
  def: FlowDefinitionInput | unknown,
  options: { form?: FormDefinition } = {},
): FlowDefinition {
  return compileFlow(def, options.form).def;
}

const compiledCache = new Map<string, CompiledFlow>();

export function compileFlow(def: unknown, form?: FormDefinition): CompiledFlow {
  const input =
    typeof def === 'object' && def !== null && 'hash' in def
      ? Object.fromEntries(Object.entries(def).filter(([k]) => k !== 'hash'))
      : def;
  const view = form ? formView(form) : undefined;
  const result = analyse(input, view);
  if (!result.normalized) {
    throw FlowErrors.definitionInvalid.create({ count: result.issues.length }, { fields: result.issues });
  }
  const hash = createHash('sha256')
    .update(JSON.stringify(canonical(result.normalized)))
    .digest('hex');
  const cacheKey = `${hash}:${form?.hash ?? '-'}`;
  const cached = compiledCache.get(cacheKey);
  if (cached) return cached;
  const frozen = deepFreeze({ ...result.normalized, hash }) as FlowDefinition;
  const byKey = new Map(frozen.nodes.map((node) => [node.key, node]));
  const out = new Map<string, { edge: Readonly<FlowEdge>; index: number }[]>();
  for (const [index, edge] of frozen.edges.entries())
    out.set(edge.from, [...(out.get(edge.from) ?? []), { edge, index }]);
  const reach = reachability([...byKey.keys()], (key) => (out.get(key) ?? []).map(({ edge }) => edge.to));
  const compiled: CompiledFlow = Object.freeze({
    def: frozen,
    byKey,
    out,
    reach,
    startKey: (frozen.nodes.find((node) => node.kind === 'start') as FlowNodeInput).key,
    conditions: result.conditions,
  });
  if (compiledCache.size > 500) compiledCache.clear();
  compiledCache.set(cacheKey, compiled);
  return compiled;
}
