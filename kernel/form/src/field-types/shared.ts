import type { ErrorParams } from '@baton/core';
import { fromJson, toJson } from '@baton/db';
import { z } from 'zod';
import { type FormIssueCode, FormIssues } from '../issues.ts';
import type { AnyDb, FilterOperator, Parsed } from './define.ts';

export const ok = (value: unknown): Parsed => ({ ok: true, value });
export const fail = (code: FormIssueCode, params?: ErrorParams): Parsed => {
  const { path: _at, ...issue } = FormIssues.issue([], code, params);
  return { ok: false, issue };
};

export const textOperators: readonly FilterOperator[] = Object.freeze([
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'contains',
  'isNull',
]);
export const orderedOperators: readonly FilterOperator[] = Object.freeze([
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'isNull',
]);
export const idOperators: readonly FilterOperator[] = Object.freeze(['eq', 'ne', 'in', 'isNull']);
export const jsonOperators: readonly FilterOperator[] = Object.freeze(['isNull']);

export const label = z.strictObject({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) });

const CODE = /^[A-Za-z0-9_-]{1,64}$/;
export const optionsSchema = z
  .array(z.strictObject({ code: z.string().regex(CODE), label }))
  .min(1)
  .max(500)
  .refine((options) => new Set(options.map((o) => o.code)).size === options.length, {
    message: 'option codes must be unique',
    params: { zh: '选项代码不能重复' },
  });

export type Option = z.infer<typeof optionsSchema>[number];

const ID = /^[A-Za-z0-9_-]{1,64}$/;
export function parseId(value: unknown): Parsed {
  if (value === null || value === undefined) return ok(null);
  if (typeof value !== 'string' || !ID.test(value)) return fail('invalid_id');
  return ok(value);
}

export function parseIds(value: unknown, max = 500): Parsed {
  if (value === null || value === undefined) return ok(null);
  if (!Array.isArray(value)) return fail('not_list');
  if (value.length > max) return fail('too_many', { max });
  if (!value.every((item) => typeof item === 'string' && ID.test(item))) return fail('invalid_id');
  if (new Set(value).size !== value.length) return fail('duplicate');
  return ok([...value]);
}

export function parseText(value: unknown, maxLength: number): Parsed {
  if (value === null || value === undefined) return ok(null);
  if (typeof value !== 'string') return fail('not_text');
  if (value.length > maxLength) return fail('too_long', { max: maxLength });
  return ok(value);
}

/** Leniency for type changes: numbers and booleans become their text. */
export function asText(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** JSON columns: written with toJson, read with fromJson. */
export const jsonCodec = {
  toDb: (db: AnyDb, value: unknown) => (value === null || value === undefined ? null : toJson(db, value)),
  fromDb: (raw: unknown) => fromJson<unknown>(raw),
};

export const emptyConfig = z.strictObject({});
