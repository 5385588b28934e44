import { CoreErrors, type FieldIssue } from '@baton/core';
import { z } from 'zod';

/** Parses `input` or throws CORE_VALIDATION_FAILED listing every problem as a field issue. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw CoreErrors.validation.create({}, { fields: result.error.issues.map(toFieldIssue) });
}

function toFieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  return {
    path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
    code: issue.code,
    message: issue.message,
  };
}

/** Throws CORE_VALIDATION_FAILED for problems found after parsing (cross-field rules). */
export function invalid(fields: FieldIssue[]): never {
  throw CoreErrors.validation.create({}, { fields });
}

// Shared field schemas. Ids are not checked for UUID shape: an unknown id is a coded not-found error.
export const idField = z.string().trim().min(1).max(64);
export const nameField = z.string().trim().min(1).max(200);
export const codeField = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._\-/]*$/u, 'letters, digits and . _ - / only');
/** Role codes are looked up by code or id, so they are identifiers that can never look like an id. */
export const roleCodeField = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'an ASCII identifier starting with a letter')
  .refine((value) => !/^[0-9a-f]{8}-/i.test(value), 'must not look like an id');
export const loginField = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits and . _ - only');
export const sortField = z.number().int().min(-1_000_000_000).max(1_000_000_000);
export const versionField = z.number().int().min(1);
export const timeZoneField = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'not an IANA time zone');
export const localeField = z.enum(['zh-CN', 'en-US']);
export const emailField = z.email().max(200);
export const phoneField = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[0-9+\-() *#]+$/, 'digits and + - ( ) only');
