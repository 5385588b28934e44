import { CoreErrors, type FieldIssue } from '@baton/core';
import { z } from 'zod';

/** Parses `input` or throws CORE_VALIDATION_FAILED listing every problem with its path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw CoreErrors.validation.create({}, { fields: result.error.issues.map(toFieldIssue) });
}

export function toFieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  return {
    path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
    code: issue.code,
    message: issue.message,
  };
}

/** Topics name a handler: dotted ASCII words such as `flow.deadline`. */
export const topicField = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9]*([._:-][a-z0-9]+)*$/i, 'dotted ASCII words such as flow.deadline');
/** Any text chosen by the caller, unique per topic (e.g. `task:<id>:deadline`). */
export const keyField = z.string().min(1).max(400);
export const instantField = z.date().refine((date) => !Number.isNaN(date.getTime()), 'not a valid date');
/** Anything JSON can carry, at most 64 KB once serialised. */
export const payloadField = z.unknown().superRefine((value, ctx) => {
  let text: string | undefined;
  try {
    text = JSON.stringify(value ?? null);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON-serialisable' });
    return;
  }
  if (text === undefined) ctx.addIssue({ code: 'custom', message: 'not JSON-serialisable' });
  else if (text.length > 65_536) ctx.addIssue({ code: 'custom', message: 'larger than 64 KB' });
});
