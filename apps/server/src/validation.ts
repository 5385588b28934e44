import { type FieldIssue, issueMessage, type Locale } from '@baton/core';
import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import * as z from 'zod';

/** One entry of a problem's `fields`: where, a stable machine code, and text in the caller's language. */
export type ProblemField = { path: string; code: string; message: string };

/** The shape Fastify keeps in `error.validation` (zod-provider and AJV entries alike). */
type ValidationEntry = {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
};

const zodMessages = { 'zh-CN': z.locales.zhCN().localeError, 'en-US': z.locales.en().localeError } as const;

/** Texts for the field codes the server can name itself; engines' FieldIssue codes use the same table. */
const fieldMessages: Record<string, { zh: string; en: string }> = {
  required: { zh: '必填', en: 'Required' },
  invalid: { zh: '值无效', en: 'Invalid value' },
  too_long: { zh: '内容过长', en: 'Too long' },
  too_short: { zh: '内容过短', en: 'Too short' },
  too_big: { zh: '数值过大', en: 'Too large' },
  too_small: { zh: '数值过小', en: 'Too small' },
  duplicate: { zh: '已存在相同的值', en: 'This value already exists' },
};

const typeNames: Record<string, string> = {
  number: '数字',
  string: '字符串',
  boolean: '布尔值',
  array: '数组',
  object: '对象',
  null: '空值(null)',
  undefined: '空',
  nan: 'NaN',
  bigint: '大整数',
  date: '日期',
};

function tableMessage(code: string, locale: Locale): string | undefined {
  const entry = fieldMessages[code];
  return entry && (locale === 'zh-CN' ? entry.zh : entry.en);
}

/** zod's own type naming, without leaking constructor names of server-side objects. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
  return typeof value;
}

function valueAt(data: unknown, segments: string[]): unknown {
  let current = data;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function segmentsOf(instancePath: string): string[] {
  return instancePath.split('/').filter((s) => s !== '');
}

/**
 * fastify-type-provider-zod's validator, plus the type of the value that failed an `invalid_type`
 * check. zod drops the input from its issues (rightly: it may be a password), but without the
 * received type we could not tell "missing" from "wrong type" nor say it in Chinese.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  const validate = validatorCompiler(route);
  return (data) => {
    const result = validate(data);
    if (result && typeof result === 'object' && 'error' in result && Array.isArray(result.error)) {
      for (const entry of result.error as ValidationEntry[]) {
        if (entry.keyword === 'invalid_type' && entry.params) {
          entry.params.received = typeName(valueAt(data, segmentsOf(entry.instancePath)));
        }
      }
    }
    return result;
  };
};

const contextPrefix: Record<string, string> = { querystring: 'query', params: 'params', headers: 'headers' };

function dotted(prefix: string | undefined, segments: ReadonlyArray<string | number>): string {
  return [...(prefix ? [prefix] : []), ...segments].join('.');
}

function zodFieldMessage(entry: ValidationEntry, received: unknown, locale: Locale): string {
  const params = entry.params ?? {};
  if (entry.keyword === 'custom') return entry.message ?? tableMessage('invalid', locale) ?? '';
  if (entry.keyword === 'invalid_type') {
    const expected = String(params.expected ?? '');
    const got = String(received ?? 'unknown');
    return locale === 'zh-CN'
      ? `无效输入：期望 ${typeNames[expected] ?? expected}，实际接收 ${typeNames[got] ?? got}`
      : `Invalid input: expected ${expected}, received ${got}`;
  }
  const issue = { ...params, code: entry.keyword, path: segmentsOf(entry.instancePath), message: entry.message };
  const text = zodMessages[locale](issue as never);
  const message = typeof text === 'string' ? text : text?.message;
  return message ?? entry.message ?? tableMessage('invalid', locale) ?? '';
}

/** Field list for a Fastify validation error, body paths unprefixed (`items.3.amount`), others `query.x`. */
export function fieldsFromValidation(
  entries: ReadonlyArray<ValidationEntry>,
  context: string | undefined,
  locale: Locale,
): ProblemField[] {
  const prefix = context ? contextPrefix[context] : undefined;
  return entries.flatMap((entry): ProblemField[] => {
    const segments = segmentsOf(entry.instancePath);
    const params = entry.params ?? {};
    // One field per unknown key, so a client sees exactly which keys to drop (mass-assignment probes).
    if (entry.keyword === 'unrecognized_keys' && Array.isArray(params.keys) && params.keys.length > 0) {
      return params.keys.map((key) => ({
        path: dotted(prefix, [...segments, String(key)]),
        code: 'unrecognized_key',
        message: zodFieldMessage(entry, undefined, locale),
      }));
    }
    // AJV (plain JSON-schema routes) reports a missing key on its parent.
    if (entry.keyword === 'required' && typeof params.missingProperty === 'string') {
      return [
        {
          path: dotted(prefix, [...segments, params.missingProperty]),
          code: 'required',
          message: tableMessage('required', locale) ?? '',
        },
      ];
    }
    const received = params.received;
    if (entry.keyword === 'invalid_type' && received === 'undefined') {
      return [{ path: dotted(prefix, segments), code: 'required', message: tableMessage('required', locale) ?? '' }];
    }
    return [{ path: dotted(prefix, segments), code: entry.keyword, message: zodFieldMessage(entry, received, locale) }];
  });
}

/**
 * A form's own validation rule carries the texts its author wrote (`message` in English, `zh` beside it): those
 * say more than any table's generic words.
 */
function authorsText(issue: FieldIssue, locale: Locale): string | undefined {
  const zh = (issue as { zh?: unknown }).zh;
  if (typeof zh !== 'string') return undefined;
  return locale === 'zh-CN' ? zh : issue.message;
}

/**
 * Field list for a BatonError's FieldIssues: an engine's issue in its catalogue's words (definitions: the
 * code's zh-CN / en-US text with its params), else the table's text when it knows the code, else the message.
 */
export function fieldsFromIssues(issues: ReadonlyArray<FieldIssue>, locale: Locale): ProblemField[] {
  return issues.map((issue) => ({
    path: dotted(undefined, issue.path),
    code: issue.code,
    message:
      issueMessage(issue, locale) ??
      authorsText(issue, locale) ??
      tableMessage(issue.code, locale) ??
      issue.message ??
      tableMessage('invalid', locale) ??
      '',
  }));
}

/**
 * Issues as a check route (validate before publishing) answers them: every property kept, the path as an array
 * rather than dotted, the message as a refused publish words it in the caller's language.
 */
export function checkedIssues<I extends FieldIssue>(issues: ReadonlyArray<I>, locale: Locale) {
  const texts = fieldsFromIssues(issues, locale);
  return issues.map((issue, index) => ({
    ...issue,
    path: [...issue.path],
    message: texts[index]?.message ?? issue.message ?? '',
  }));
}
