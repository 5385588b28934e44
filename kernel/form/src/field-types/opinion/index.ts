import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { fail, jsonCodec, jsonOperators, ok } from '../shared.ts';

const config = z.strictObject({
  /** The flow node whose assignee writes this opinion. */
  node: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/),
  /** Text pre-filled in the editor (同意). */
  preset: z.string().max(200).optional(),
});

const value = z.strictObject({
  text: z.string().max(2000),
  memberId: z.string().max(64).optional(),
  signature: z.string().max(64).optional(),
  at: z.string().max(40).optional(),
});

/** 审批意见 slot bound to a flow node: JSON { text, memberId?, signature?, at? }; only that node writes it. */
export const opinionField = defineFieldType({
  type: 'opinion',
  configSchema: config,
  column: () => ({ kind: 'json' }),
  expressionType: () => null,
  parse: (raw) => {
    if (raw === null || raw === undefined) return ok(null);
    const parsed = value.safeParse(raw);
    return parsed.success ? ok(parsed.data) : fail('not_opinion');
  },
  writableBy: (c) => c.node,
  ...jsonCodec,
  operators: jsonOperators,
});
