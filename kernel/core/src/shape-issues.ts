import type { ErrorParams } from './error.ts';
import { defineIssues, type Issue, issueMessage } from './issue.ts';

/**
 * The parts of a schema library's issue (zod's) read here; core depends on no schema library. `params.zh` of a
 * custom issue (`.refine(check, { message, params: { zh } })`) is its Chinese text.
 */
export type SchemaIssue = {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: unknown;
  readonly origin?: unknown;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: unknown;
  readonly exact?: unknown;
  readonly keys?: unknown;
  readonly values?: unknown;
  readonly divisor?: unknown;
  readonly format?: unknown;
  readonly params?: unknown;
};

/**
 * Shape problems of a definition, by the schema's issue code: what any engine's zod schema can report. `detail`
 * texts are the schema author's hint (`a role code`, `HH:mm`) in English, and what we can say of it in Chinese.
 */
export const ShapeIssues = defineIssues('core', {
  required: { zh: '缺少此项', en: 'Required' },
  invalid_type: {
    zh: '类型错误：应为{expectedZh}，实际是{receivedZh}',
    en: 'Wrong type: expected {expected}, got {received}',
  },
  too_small: { zh: '{measureZh}{boundZh} {limit}', en: '{measure} must be {bound} {limit}' },
  too_big: { zh: '{measureZh}{boundZh} {limit}', en: '{measure} must be {bound} {limit}' },
  invalid_format: { zh: '{detailZh}', en: '{detail}' },
  invalid_value: { zh: '取值无效，可选：{values}', en: 'Invalid value; expected one of {values}' },
  unrecognized_keys: { zh: '不支持的属性：{keys}', en: 'Unrecognized keys: {keys}' },
  invalid_union: { zh: '不符合任何一种允许的写法', en: 'Matches none of the allowed forms' },
  not_multiple_of: { zh: '必须是 {divisor} 的倍数', en: 'Must be a multiple of {divisor}' },
  invalid_key: { zh: '键名无效', en: 'Invalid key' },
  invalid_element: { zh: '其中有无效的元素', en: 'Contains an invalid element' },
  custom: { zh: '{detailZh}', en: '{detail}' },
});

const typeNames: Readonly<Record<string, string>> = {
  string: '文本',
  number: '数字',
  int: '整数',
  bigint: '大整数',
  boolean: '布尔值',
  array: '列表',
  object: '对象',
  null: '空值',
  date: '日期',
  nan: 'NaN',
  undefined: '空',
  record: '对象',
  tuple: '列表',
  map: '映射',
  set: '集合',
};

/** What a too_small / too_big bound measures, by the schema's `origin`. */
const measures: Readonly<Record<string, readonly [string, string]>> = {
  string: ['The length', '长度'],
  array: ['The number of items', '项数'],
  set: ['The number of items', '项数'],
  file: ['The file size', '文件大小'],
  date: ['The date', '日期'],
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
  return typeof value;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

const listText = (value: unknown) =>
  Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(', ') : '';

function shapeParams(
  issue: SchemaIssue,
  input: unknown,
): { code: keyof typeof ShapeIssues.texts; params: ErrorParams } {
  switch (issue.code) {
    case 'invalid_type': {
      const received = typeOf(valueAt(input, issue.path));
      if (received === 'undefined') return { code: 'required', params: {} };
      const expected = String(issue.expected ?? '');
      return {
        code: 'invalid_type',
        params: {
          expected,
          expectedZh: typeNames[expected] ?? expected,
          received,
          receivedZh: typeNames[received] ?? received,
        },
      };
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const [measure, measureZh] = measures[String(issue.origin)] ?? ['The value', '数值'];
      const exact = issue.exact === true;
      const inclusive = issue.inclusive !== false;
      const [bound, boundZh] = exact
        ? ['exactly', '必须为']
        : small
          ? inclusive
            ? ['at least', '不能小于']
            : ['more than', '必须大于']
          : inclusive
            ? ['at most', '不能大于']
            : ['less than', '必须小于'];
      const limit = small ? issue.minimum : issue.maximum;
      return { code: issue.code, params: { measure, measureZh, bound, boundZh, limit: String(limit) } };
    }
    case 'invalid_format': {
      const format = String(issue.format ?? '');
      return {
        code: 'invalid_format',
        params: {
          detail: issue.message,
          detailZh: format && format !== 'regex' ? `格式不正确（${format}）` : '格式不正确',
        },
      };
    }
    case 'invalid_value':
      return { code: 'invalid_value', params: { values: listText(issue.values) } };
    case 'unrecognized_keys':
      return { code: 'unrecognized_keys', params: { keys: listText(issue.keys) } };
    case 'not_multiple_of':
      return { code: 'not_multiple_of', params: { divisor: String(issue.divisor) } };
    case 'invalid_union':
      // A union has no one type to name, but nothing at all is simply missing (an action whose form is not chosen).
      if (valueAt(input, issue.path) === undefined) return { code: 'required', params: {} };
      return { code: issue.code, params: {} };
    case 'invalid_key':
    case 'invalid_element':
      return { code: issue.code, params: {} };
    default: {
      const own = issue.params as { zh?: unknown } | undefined;
      return {
        code: 'custom',
        params: { detail: issue.message, detailZh: typeof own?.zh === 'string' ? own.zh : '取值无效' },
      };
    }
  }
}

/**
 * Issues for the shape problems a schema found in `input`, under `prefix`: a missing value is `required`, every
 * other keeps the schema's code, with params for both languages. `message` stays the schema's own English.
 */
export function shapeIssues(
  issues: readonly SchemaIssue[],
  input: unknown,
  prefix: ReadonlyArray<string | number> = [],
): Issue[] {
  return issues.map((issue) => {
    const { code, params } = shapeParams(issue, input);
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    return { ...ShapeIssues.issue([...prefix, ...path], code, params), message: issue.message };
  });
}

/**
 * A shape issue's words as the `{detail}` / `{detailZh}` params of an engine's own code (a field type's or node
 * kind's config that does not parse is `bad_config` of that engine, saying what is wrong in either language).
 */
export function shapeDetail(issue: Issue): { detail: string; detailZh: string } {
  return {
    detail: issueMessage(issue, 'en-US') ?? issue.message,
    detailZh: issueMessage(issue, 'zh-CN') ?? issue.message,
  };
}
