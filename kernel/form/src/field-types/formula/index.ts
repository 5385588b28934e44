import { z } from 'zod';
import type { ColumnKind } from '../define.ts';
import { defineFieldType } from '../define.ts';
import { ok, orderedOperators } from '../shared.ts';

const results = ['number', 'money', 'text', 'boolean', 'date', 'datetime'] as const;
const columns: Readonly<Record<(typeof results)[number], ColumnKind>> = Object.freeze({
  number: 'decimal',
  money: 'bigint',
  text: 'text',
  boolean: 'boolean',
  date: 'date',
  datetime: 'instant',
});

const config = z.strictObject({ expr: z.string().min(1).max(4000), resultType: z.enum(results) });

/** Computed on the server from `expr`; whatever a client sends is ignored. */
export const formulaField = defineFieldType({
  type: 'formula',
  configSchema: config,
  column: (_dialect, c) => ({ kind: columns[c.resultType] }),
  expressionType: (c) => c.resultType,
  parse: (value) => ok(value ?? null),
  fromDb: (raw, c) =>
    c.resultType === 'boolean' && raw !== null && raw !== undefined ? raw === 1 || raw === true : raw,
  formula: (c) => ({ expr: c.expr, expect: c.resultType }),
  operators: orderedOperators,
});
