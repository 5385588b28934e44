/**
 * The value types of the language. Types are plain strings (`'money'`, `'list<member>'`) so that a schema can be
 * written as JSON by a designer and printed back without a type algebra.
 */
export const scalarTypes = ['number', 'money', 'text', 'boolean', 'date', 'datetime', 'member', 'department'] as const;
export type ScalarType = (typeof scalarTypes)[number];
export type ListType = `list<${ScalarType}>`;
/** A type a schema may declare and a compiled expression may produce. */
export type ValueType = ScalarType | ListType | 'null';

/**
 * Checker-internal element types: `null` for `[]`, `unknown` after an error (it matches everything, so one mistake
 * is reported once instead of cascading), `row` for a bare subtable inside an aggregate (`COUNT(items)`).
 */
type ElementType = ScalarType | 'null' | 'unknown' | 'row';
export type Type = ElementType | `list<${ElementType}>`;

const scalarSet: ReadonlySet<string> = new Set(scalarTypes);

export function isScalarType(name: string): name is ScalarType {
  return scalarSet.has(name);
}

/** Parses a schema type name; `undefined` when the name is not a declarable type. */
export function parseTypeName(name: unknown): ValueType | undefined {
  if (typeof name !== 'string') return undefined;
  if (isScalarType(name)) return name;
  const match = /^list<([a-z]+)>$/.exec(name);
  if (match?.[1] && isScalarType(match[1])) return `list<${match[1]}>`;
  return undefined;
}

export function isListType(type: Type): type is `list<${ElementType}>` {
  return type.startsWith('list<');
}

export function elementOf(type: Type): Type {
  return isListType(type) ? (type.slice(5, -1) as ElementType) : type;
}

export function listOf(type: Type): Type {
  return isListType(type) ? type : (`list<${type as ElementType}>` as Type);
}

/** Blank-able wildcards: `null` (a literal null) and `unknown` (already reported) fit any expected type. */
export function isWild(type: Type): boolean {
  return type === 'null' || type === 'unknown';
}

export function isNumeric(type: Type): boolean {
  return type === 'number' || type === 'money';
}

/** Ids of members and departments are text, so they compare and concatenate with text. */
export function isTextual(type: Type): boolean {
  return type === 'text' || type === 'member' || type === 'department';
}

/** The family decides which values compare with which: number with money, text with member ids, and so on. */
export function familyOf(type: Type): string {
  if (isNumeric(type)) return 'numeric';
  if (isTextual(type)) return 'textual';
  return type;
}

/** Whether `=`/`!=` (and IN) may compare the two types. */
export function equatable(a: Type, b: Type): boolean {
  if (isWild(a) || isWild(b)) return true;
  if (isListType(a) || isListType(b) || a === 'row' || b === 'row') return false;
  return familyOf(a) === familyOf(b);
}

/** Whether `<`, `<=`, `>`, `>=` may compare the two types. */
export function orderable(a: Type, b: Type): boolean {
  if (!equatable(a, b)) return false;
  const family = familyOf(isWild(a) ? b : a);
  return (
    family === 'numeric' || family === 'textual' || family === 'date' || family === 'datetime' || family === 'null'
  );
}

/**
 * The common type of two branches (IF, COALESCE, list items): equal types, a wildcard and anything, number with money
 * (money wins: mixing yuan into fen is exact), member or department ids with text (text wins). `undefined` otherwise.
 */
export function unify(a: Type, b: Type): Type | undefined {
  if (a === b) return a;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  if (a === 'null') return b;
  if (b === 'null') return a;
  if (isNumeric(a) && isNumeric(b)) return 'money';
  if (isTextual(a) && isTextual(b)) return 'text';
  if (isListType(a) && isListType(b)) {
    const element = unify(elementOf(a), elementOf(b));
    return element === undefined || isListType(element) ? undefined : listOf(element);
  }
  return undefined;
}

const labels: Record<ElementType, { zh: string; en: string }> = {
  number: { zh: '数字', en: 'number' },
  money: { zh: '金额', en: 'money' },
  text: { zh: '文本', en: 'text' },
  boolean: { zh: '是/否', en: 'boolean' },
  date: { zh: '日期', en: 'date' },
  datetime: { zh: '日期时间', en: 'date-time' },
  member: { zh: '人员', en: 'member' },
  department: { zh: '部门', en: 'department' },
  null: { zh: '空值', en: 'null' },
  unknown: { zh: '未知', en: 'unknown' },
  row: { zh: '明细行', en: 'subtable rows' },
};

/** A type's name for people, in both languages (`金额列表` / `list of money`). */
export function typeLabel(type: Type): { zh: string; en: string } {
  const element = elementOf(type) as ElementType;
  const label = labels[element];
  return isListType(type) ? { zh: `${label.zh}列表`, en: `list of ${label.en}` } : label;
}

/** Several type names joined with 或 / or, for "expected number or money". */
export function typesLabel(types: readonly Type[]): { zh: string; en: string } {
  const each = types.map(typeLabel);
  return { zh: each.map((l) => l.zh).join('或'), en: each.map((l) => l.en).join(' or ') };
}
