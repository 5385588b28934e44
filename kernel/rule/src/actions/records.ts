import type { DbCtx } from '@baton/db';
import { FormErrors, type FormRecord, getRecord } from '@baton/form';
import type { FormRef } from '../types.ts';

/** A record with references as bare ids (what expressions and change logs compare), or undefined when gone. */
export async function readRecord(ctx: DbCtx, form: FormRef, id: string): Promise<FormRecord | undefined> {
  try {
    return await getRecord(ctx, { ...form, id }, { referenceIds: true });
  } catch (error) {
    if (FormErrors.recordNotFound.is(error)) return undefined;
    throw error;
  }
}

export function pick(values: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, values[key] ?? null]));
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
