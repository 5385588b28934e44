import type { ErrorParams, FieldIssue } from '@baton/core';
import type { ColumnTypes, DbCtx, Dialect } from '@baton/db';
import type { Kysely } from 'kysely';
import type { z } from 'zod';

/** The column kind of a field, one of kernel/db's column types by meaning. */
export type ColumnKind = keyof ColumnTypes;

/** A value problem: its code's texts are in FormIssues (`message` the en-US one). */
export type ParseIssue = { code: string; message: string; params?: Readonly<ErrorParams>; engine?: string };
export type Parsed = { ok: true; value: unknown } | { ok: false; issue: ParseIssue };

export type FilterOperator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'contains' | 'isNull';

/** What a field type can see of the rest of the form while its config is checked. */
export type FormLookup = {
  /** The expression type of a main field, or undefined when there is no such field (or it has none). */
  expressionTypeOf(key: string): string | null | undefined;
  /** A main field's type name and whether its value is computed after serials are generated (`{ expr }` default). */
  fieldOf?(key: string): { type: string; computedLater: boolean } | undefined;
};

/** A config problem found by `check`, located relative to the field (`['of']`); built with FormIssues.issue. */
export type ConfigIssue = FieldIssue & { message: string };

// biome-ignore lint/suspicious/noExplicitAny: the database shape of form tables is known only at run time
export type AnyDb = Kysely<any>;

export type GenerateInput = {
  /** `pack.form.field` (or `pack.form.subtable.column`). */
  scope: string;
  config: unknown;
  /** The record's main values as they stand before formulas (parsed, defaulted, filled). */
  values: Readonly<Record<string, unknown>>;
  /** The record's department (owner's), or null. */
  departmentId: string | null;
  /** The type name of each main field (a department field's value becomes its code). */
  fieldTypes: Readonly<Record<string, string>>;
};

/**
 * One field type: its config, its column, its type in the expression language, and how a value is
 * checked and normalised on the server. Registered once in registry.ts; nothing else switches on `type`.
 */
export type FieldTypeDefinition<C = unknown> = {
  readonly type: string;
  /** The type-specific keys of a field (everything but key, label, type, required, default, …). Strict. */
  readonly configSchema: z.ZodType<C>;
  /** The column that stores the value, or null for a type that stores nothing. */
  column(dialect: Dialect, config: C): { kind: ColumnKind } | null;
  /** The type name in @baton/expression (`money`, `list<member>`), or null when expressions cannot read it. */
  expressionType(config: C): string | null;
  /** Checks and normalises a value from a client (null means blank and is always accepted here). */
  parse(value: unknown, config: C): Parsed;
  /** Like parse, but lenient for values of another type during a type change (e.g. 12 → '12'). */
  convert?(value: unknown, config: C): Parsed;
  /** The value to write (default: as is). */
  toDb?(db: AnyDb, value: unknown, config: C): unknown;
  /** The value read back (default: as is). */
  fromDb?(raw: unknown, config: C): unknown;
  /** Filter operators allowed on this type in listRecords. */
  readonly operators: readonly FilterOperator[];
  /** A server-computed value: the expression that computes it (client values are ignored). */
  formula?(config: C): { expr: string; expect: string };
  /** A value generated once, on create, inside the transaction (client values are ignored). */
  generate?(ctx: DbCtx, input: GenerateInput): Promise<unknown>;
  /** Only the named flow node may write it: returns that node key. */
  writableBy?(config: C): string;
  /** Cross-field checks of the config against the form. */
  check?(config: C, form: FormLookup): ConfigIssue[];
  /** The column gets a unique index. */
  readonly unique?: boolean;
  /** The column gets an index (references). */
  readonly indexed?: boolean;
};

export function defineFieldType<C>(definition: FieldTypeDefinition<C>): FieldTypeDefinition<C> {
  return Object.freeze(definition);
}
