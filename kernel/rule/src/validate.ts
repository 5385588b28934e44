import { CoreErrors } from '@baton/core';
import type { z } from 'zod';

/** Parses `input` or throws CORE_VALIDATION_FAILED listing every problem with its path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw CoreErrors.validation.create(
    {},
    {
      fields: result.error.issues.map((issue) => ({
        path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
        code: issue.code,
        message: issue.message,
      })),
    },
  );
}
