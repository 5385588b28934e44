import { nestIssue } from '@baton/core';
import {
  type CompiledExpression,
  childrenOf,
  compile,
  type ExpressionIssue,
  type ExpressionSchema,
  evaluate,
  parse,
  type Type,
  toText,
  type Value,
  type ValueType,
} from '@baton/expression';
import { expressionFields, type FormInfo } from './forms.ts';
import { RuleIssues } from './issues.ts';
import type { Label, RuleIssue } from './types.ts';

/** What every rule expression may read as `$name`, besides the record's own fields. */
export const baseContext: Readonly<Record<string, string>> = Object.freeze({
  'initiator.memberId': 'member',
  'initiator.departmentId': 'department',
  'initiator.unitId': 'text',
  'initiator.postId': 'text',
  'actor.memberId': 'member',
  'event.type': 'text',
  'event.nodeKey': 'text',
  'event.instanceId': 'text',
  'event.at': 'datetime',
  'record.id': 'text',
  'record.state': 'text',
  'record.ownerId': 'member',
  'record.departmentId': 'department',
  'record.createdAt': 'datetime',
});

export type ScopeSpec = {
  source: FormInfo;
  /** Form rules read the values before an update as `$before.<field>`. */
  before: boolean;
  /** The record an action matched, read as `$target.<field>`. */
  target?: FormInfo;
  /** What earlier named actions handed on: `actions.<as>.<name>` → type. */
  outputs?: Readonly<Record<string, string>>;
};

const schemas = new Map<string, ExpressionSchema>();

export function schemaFor(spec: ScopeSpec): ExpressionSchema {
  const outputs = Object.entries(spec.outputs ?? {})
    .map(([name, type]) => `${name}:${type}`)
    .join(',');
  const id = `${spec.source.def.hash}|${spec.before}|${spec.target?.def.hash ?? '-'}|${outputs}`;
  const hit = schemas.get(id);
  if (hit) return hit;
  const subtables: Record<string, { columns: Record<string, { type: string }> }> = {};
  for (const [key, columns] of spec.source.subtables) {
    subtables[key] = {
      columns: Object.fromEntries(Object.entries(expressionFields(columns)).map(([k, type]) => [k, { type }])),
    };
  }
  const schema: ExpressionSchema = {
    fields: Object.fromEntries(Object.entries(expressionFields(spec.source.fields)).map(([k, type]) => [k, { type }])),
    subtables,
    context: {
      ...baseContext,
      ...(spec.before ? expressionFields(spec.source.fields, 'before.') : {}),
      ...(spec.target ? expressionFields(spec.target.fields, 'target.') : {}),
      ...spec.outputs,
    },
  };
  if (schemas.size > 500) schemas.clear();
  schemas.set(id, schema);
  return schema;
}

export type CompileRequest = {
  path: readonly (string | number)[];
  source: string;
  expect?: ValueType;
  scope?: string;
  spec?: ScopeSpec;
  /** Compile issues left out (already reported in the rule's own words). */
  skip?: (issue: ExpressionIssue) => boolean;
};

/** Compiles against the forms when known, else checks the syntax only. */
export function compileAt(
  request: CompileRequest,
  issues: RuleIssue[],
): { expression?: CompiledExpression; ok: boolean } {
  if (!request.spec) {
    const parsed = parse(request.source);
    if (parsed.ok) return { ok: true };
    const [first] = parsed.issues;
    issues.push(
      RuleIssues.issue(request.path, 'expression_syntax', {
        detail: first?.en ?? 'syntax error',
        detailZh: first?.zh ?? '语法错误',
      }),
    );
    return { ok: false };
  }
  const result = compile(request.source, schemaFor(request.spec), {
    path: [...request.path],
    ...(request.expect ? { expect: request.expect } : {}),
    ...(request.scope ? { scope: request.scope } : {}),
  });
  if (result.ok) return { expression: result.expression, ok: true };
  for (const issue of result.issues) {
    if (!request.skip?.(issue)) issues.push(nestIssue(issue));
  }
  return { ok: false };
}

/**
 * The names of earlier actions an expression reads as `$actions.<as>.<name>` (each with the rest of its path), from
 * its syntax alone; empty when it does not parse (compiling reports that).
 */
export function actionReferences(source: string): { name: string; rest: string[] }[] {
  const parsed = parse(source);
  if (!parsed.ok) return [];
  const found: { name: string; rest: string[] }[] = [];
  const stack = [parsed.ast];
  while (stack.length > 0) {
    const node = stack.pop() as (typeof stack)[number];
    if (node.kind === 'context' && node.path[0] === 'actions' && node.path[1] !== undefined) {
      found.push({ name: node.path[1], rest: node.path.slice(2) });
    }
    // Children pushed last-first, so references come out in source order.
    stack.push(...[...childrenOf(node)].reverse());
  }
  return found;
}

export function evaluateAt(
  expression: CompiledExpression,
  values: Readonly<Record<string, unknown>>,
  options: { clock: { now(): Date }; context: Readonly<Record<string, unknown>>; rowIndex?: number },
): Value {
  return evaluate(expression, values, {
    clock: options.clock,
    context: options.context,
    ...(expression.scope !== undefined && options.rowIndex !== undefined ? { rowIndex: options.rowIndex } : {}),
  });
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** Placeholder names of a message template. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string);
}

function groupFen(fen: number): string {
  const negative = fen < 0;
  const text = String(Math.abs(fen)).padStart(3, '0');
  const whole = text.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${whole}.${text.slice(-2)}`;
}

/** A value as a message shows it: money `12,000.00`, 是/否 or yes/no, lists joined. */
export function displayValue(value: Value, type: Type, locale: 'zh' | 'en'): string {
  if (value === null) return '';
  if (Array.isArray(value)) {
    const element = (type.startsWith('list<') ? type.slice(5, -1) : type) as Type;
    return value.map((item) => displayValue(item, element, locale)).join(locale === 'zh' ? '、' : ', ');
  }
  if (typeof value === 'number' && type === 'money') return groupFen(value);
  if (typeof value === 'boolean') return locale === 'zh' ? (value ? '是' : '否') : value ? 'yes' : 'no';
  return toText(value, type);
}

/** Fills `{name}` placeholders in both languages. */
export function fillTemplate(label: Label, values: Readonly<Record<string, { value: Value; type: Type }>>): Label {
  const fill = (template: string, locale: 'zh' | 'en') =>
    template.replace(PLACEHOLDER, (whole, name: string) => {
      const hit = Object.hasOwn(values, name) ? values[name] : undefined;
      return hit ? displayValue(hit.value, hit.type, locale) : whole;
    });
  return { zh: fill(label.zh, 'zh'), en: fill(label.en, 'en') };
}
