import { containsText, type DbCtx, withTx } from '@baton/db';
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { z } from 'zod';
import type { CompiledField, CompiledForm, FormIssue } from './definition.ts';
import { FormErrors } from './errors.ts';
import { type ReferenceConfig, referenceField } from './field-types/reference/index.ts';
import type { FormRecord, RecordContext, Viewer } from './records.ts';
import { type CompiledFilter, compileReferenceFilter, type FilterNode, type FilterValue } from './reference-filter.ts';
import { latestPublished, type PublishedForm, requirePublished, type TableStorage } from './storage.ts';
import { recordScopeWhere } from './viewer-access.ts';

// References to records of another form: the picker (searchReferences), the checks and fill mappings of a
// write (applyReferences) and the `{ id, display, pack, key }` of a read (resolveReferences). Every rule the
// picker applies is applied again on the write: the viewer's scopes on the target form, the field's filter,
// and "not voided".

// biome-ignore lint/suspicious/noExplicitAny: form tables are named at run time
type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: see AnyDb
type AnyEb = ExpressionBuilder<any, any>;
type Values = Record<string, unknown>;

/** A reference value as read: the id, the target's display value as text, and the form to drill into. */
export type ReferenceValue = { id: string; display: string | null; pack: string; key: string };

/** One candidate of the picker: what to show and what picking it fills in (`{ thisField: value }`). */
export type ReferenceOption = { id: string; display: string | null; fill: Record<string, unknown> };

export type ReferenceOptions = { viewer?: Viewer; context?: RecordContext };

const camelOf = (column: string) => column.replace(/_(.)/g, (_whole, char: string) => char.toUpperCase());

function readValue(field: CompiledField, storage: TableStorage, row: Values): unknown {
  const info = storage.columns[field.key];
  if (!info) return null;
  const raw = row[camelOf(info.column)];
  if (raw === null || raw === undefined) return null;
  return field.type.fromDb ? field.type.fromDb(raw, field.config) : raw;
}

function displayText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(', ');
  return JSON.stringify(value);
}

export function isReference(field: CompiledField): boolean {
  return field.type === (referenceField as unknown);
}

const configOf = (field: CompiledField) => field.config as ReferenceConfig;

type Env = { me: Record<string, string | undefined>; values: Values };

function envOf(values: Values, options: ReferenceOptions): Env {
  const { viewer, context } = options;
  return {
    me: {
      memberId: viewer?.memberId ?? context?.memberId,
      departmentId: viewer?.departmentId ?? context?.departmentId,
      unitId: viewer?.unitId ?? context?.unitId,
    },
    values,
  };
}

function definitionError(path: (string | number)[], message: string) {
  return FormErrors.definitionInvalid.create({ count: 1 }, { fields: [{ path, code: 'reference_config', message }] });
}

/** The compiled filter of a reference field (its definition was validated, so it compiles). */
function filterOf(field: CompiledField): CompiledFilter | undefined {
  const source = configOf(field).filter;
  if (source === undefined) return undefined;
  const compiled = compileReferenceFilter(source);
  return compiled.ok ? compiled.filter : undefined;
}

/** The target's rows this field may point at, for this viewer and these values of the form being filled in. */
async function candidates(
  ctx: DbCtx,
  field: CompiledField,
  path: (string | number)[],
  target: PublishedForm,
  env: Env,
  viewer: Viewer | undefined,
) {
  const db = ctx.db as unknown as AnyDb;
  const table = target.storage.main.table;
  const columnOf = (key: string): string => {
    const info = target.storage.main.columns[key];
    if (!info) throw definitionError(path, `the referenced form has no field "${key}"`);
    return `${table}.${info.column}`;
  };
  const bind = (key: string, value: FilterValue): unknown => {
    const raw =
      value.kind === 'literal' ? value.value : value.kind === 'me' ? env.me[value.key] : env.values[value.key];
    if (raw === null || raw === undefined || typeof raw === 'object') return null;
    const targetField = target.form.byKey.get(key) as CompiledField;
    const parsed = targetField.type.parse(raw, targetField.config);
    if (parsed.ok && parsed.value !== null) {
      return targetField.type.toDb ? targetField.type.toDb(db, parsed.value, targetField.config) : parsed.value;
    }
    // Text compares with any text (an option code the target no longer has simply matches nothing); a value
    // that is not of a number, date or boolean column's type would be a database error, so it is refused.
    const kind = target.storage.main.columns[key]?.kind;
    if (typeof raw === 'string' && (kind === 'text' || kind === 'id')) return raw;
    if (value.kind !== 'literal') return null;
    throw definitionError(path, `${JSON.stringify(raw)} is not a value of "${key}" of the referenced form`);
  };
  const predicate = (eb: AnyEb, node: FilterNode): Expression<SqlBool> => {
    switch (node.kind) {
      case 'and':
        return eb.and(node.items.map((item) => predicate(eb, item)));
      case 'or':
        return eb.or(node.items.map((item) => predicate(eb, item)));
      case 'not':
        return eb.not(predicate(eb, node.item));
      case 'isNull':
        return eb(columnOf(node.field), node.negated ? 'is not' : 'is', null);
      case 'in': {
        const column = columnOf(node.field);
        const values = node.values.map((value) => bind(node.field, value)).filter((value) => value !== null);
        if (!node.negated) return values.length === 0 ? eb.or([]) : eb(column, 'in', values);
        // "Not one of these" includes the blank ones, as a person reading the filter expects.
        return values.length === 0 ? eb.and([]) : eb.or([eb(column, 'not in', values), eb(column, 'is', null)]);
      }
      case 'compare': {
        const column = columnOf(node.field);
        const value = bind(node.field, node.value);
        // A comparison with a missing value (no department, blank this.x) matches nothing: deny by default.
        if (value === null) return eb.or([]);
        if (node.op === '!=') return eb.or([eb(column, '<>', value), eb(column, 'is', null)]);
        return eb(column, node.op, value);
      }
    }
  };
  let query = db.selectFrom(table).selectAll().where(`${table}.voided_at`, 'is', null);
  const filter = filterOf(field);
  if (filter) {
    for (const key of filter.targetFields) columnOf(key);
    query = query.where((eb: AnyEb) => predicate(eb, filter.node));
  }
  // anyRecord: the viewer's scopes on the target do not narrow what may be picked (display only, no fill).
  if (viewer && !configOf(field).anyRecord) {
    const { pack, key } = target.form.def;
    const scope = await recordScopeWhere(ctx, {
      form: target.form.def,
      storage: target.storage.main,
      table,
      viewer,
      access: 'read',
      scopes: viewer.targets?.[`${pack}.${key}`] ?? viewer.scopes,
    });
    query = query.where(scope);
  }
  return query;
}

/** `{ thisField: value }` from a target row: each value read by the target's type and parsed by this form's. */
function fillOf(field: CompiledField, target: PublishedForm, row: Values, fields: ReadonlyMap<string, CompiledField>) {
  const fill: Record<string, unknown> = {};
  for (const [mine, theirs] of Object.entries(configOf(field).fill ?? {})) {
    const own = fields.get(mine);
    const source = target.form.byKey.get(theirs);
    if (!own || !source) continue;
    const value = readValue(source, target.storage.main, row);
    const parsed =
      value === null ? { ok: true as const, value: null } : (own.type.convert ?? own.type.parse)(value, own.config);
    fill[mine] = parsed.ok ? parsed.value : null;
  }
  return fill;
}

async function targetOf(ctx: DbCtx, field: CompiledField): Promise<PublishedForm | undefined> {
  const { form } = configOf(field);
  return latestPublished(ctx, form.pack, form.key);
}

const searchSchema = z.object({
  pack: z.string().min(1).max(40),
  key: z.string().min(1).max(40),
  /** A main field (`customer`) or a subtable column (`items.product`). */
  field: z.string().min(1).max(81),
  q: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(20),
  /** The values of the form being filled in, for `this.<field>` in the filter. */
  values: z.record(z.string(), z.unknown()).optional(),
});

function queryError(problem: string, path: (string | number)[]) {
  return FormErrors.queryInvalid.create({ problem }, { fields: [{ path, code: 'query_invalid', message: problem }] });
}

/**
 * The records a reference field may point at, for the picker: the target's records the viewer can see (any,
 * for an `anyRecord` field), that pass the field's filter and are not voided, whose display contains `q`
 * (case-insensitive), ordered by display.
 */
export async function searchReferences(
  ctx: DbCtx,
  input: z.input<typeof searchSchema>,
  options: ReferenceOptions = {},
): Promise<ReferenceOption[]> {
  const parsed = searchSchema.safeParse(input);
  if (!parsed.success) throw queryError(parsed.error.issues[0]?.message ?? 'invalid', ['field']);
  const data = parsed.data;
  return withTx(ctx, async (tx) => {
    const published = await requirePublished(tx, data.pack, data.key);
    const { form } = published;
    const [first, second, ...rest] = data.field.split('.');
    const sub = second !== undefined ? form.subByKey.get(first as string) : undefined;
    const field =
      rest.length > 0 ? undefined : second === undefined ? form.byKey.get(first as string) : sub?.byKey.get(second);
    if (!field || !isReference(field)) throw queryError(`"${data.field}" is not a reference field`, ['field']);
    const target = await requirePublished(tx, configOf(field).form.pack, configOf(field).form.key);
    const values: Values = {};
    for (const key of filterOf(field)?.thisFields ?? []) {
      const own = form.byKey.get(key);
      const result = own ? own.type.parse(data.values?.[key] ?? null, own.config) : undefined;
      values[key] = result?.ok ? result.value : null;
    }
    const display = target.storage.main.columns[configOf(field).display];
    const displayField = target.form.byKey.get(configOf(field).display);
    if (!display || !displayField) throw definitionError(['field'], 'the referenced form has no display field');
    const table = target.storage.main.table;
    const displayColumn = `${table}.${display.column}`;
    let query = await candidates(tx, field, [data.field], target, envOf(values, options), options.viewer);
    if (data.q) {
      if (display.kind !== 'text' && display.kind !== 'id') throw queryError('this display cannot be searched', ['q']);
      const q = data.q;
      query = query.where(() => containsText(tx.db as unknown as AnyDb, displayColumn, q));
    }
    const rows = (await query
      .orderBy(displayColumn, (ob) => ob.asc().nullsLast())
      .orderBy(`${table}.id`, 'asc')
      .limit(data.limit)
      .execute()) as Values[];
    const columns = sub ? sub.byKey : form.byKey;
    return rows.map((row) => ({
      id: String(row.id),
      display: displayText(readValue(displayField, target.storage.main, row)),
      fill: fillOf(field, target, row, columns),
    }));
  });
}

type WriteState = {
  main: Values;
  subs: Record<string, Values[]>;
  existing: FormRecord | undefined;
  options: ReferenceOptions;
};

/**
 * On a write: every reference value that changed must point at a record the field may point at (else an
 * issue with its path), and its fill mappings overwrite the mapped fields (whatever the client sent).
 */
export async function applyReferences(ctx: DbCtx, form: CompiledForm, state: WriteState): Promise<FormIssue[]> {
  const issues: FormIssue[] = [];
  const env = envOf(state.main, state.options);
  const check = async (
    field: CompiledField,
    wanted: { value: string; path: (string | number)[]; into: Values }[],
    columns: ReadonlyMap<string, CompiledField>,
  ) => {
    if (wanted.length === 0) return;
    const target = await targetOf(ctx, field);
    if (!target) {
      for (const want of wanted)
        issues.push({ path: want.path, code: 'reference_not_found', message: 'the referenced form is not published' });
      return;
    }
    const table = target.storage.main.table;
    const ids = [...new Set(wanted.map((want) => want.value))];
    const found = new Map<string, Values>();
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      const query = await candidates(ctx, field, wanted[0]?.path ?? [], target, env, state.options.viewer);
      for (const row of (await query.where(`${table}.id`, 'in', chunk).execute()) as Values[])
        found.set(String(row.id), row);
    }
    for (const want of wanted) {
      const row = found.get(want.value);
      if (!row) {
        issues.push({
          path: want.path,
          code: 'reference_not_allowed',
          message: 'not a record this field may point at',
        });
        continue;
      }
      Object.assign(want.into, fillOf(field, target, row, columns));
    }
  };
  for (const field of form.fields) {
    if (!isReference(field)) continue;
    const value = state.main[field.key];
    if (typeof value !== 'string' || (state.existing && state.existing.values[field.key] === value)) continue;
    await check(field, [{ value, path: [field.key], into: state.main }], form.byKey);
  }
  for (const sub of form.subtables) {
    for (const column of sub.columns) {
      if (!isReference(column)) continue;
      const before = new Set(
        ((state.existing?.values[sub.key] as Values[] | undefined) ?? []).map((row) => row[column.key]),
      );
      const wanted = (state.subs[sub.key] ?? []).flatMap((row, index) => {
        const value = row[column.key];
        return typeof value === 'string' && !before.has(value)
          ? [{ value, path: [sub.key, index, column.key], into: row }]
          : [];
      });
      await check(column, wanted, sub.byKey);
    }
  }
  return issues;
}

/** Replaces reference ids in read records by `{ id, display, pack, key }` (one query per field and target). */
export async function resolveReferences(ctx: DbCtx, published: PublishedForm, records: FormRecord[]): Promise<void> {
  const db = ctx.db as unknown as AnyDb;
  const { form } = published;
  const resolve = async (field: CompiledField, slots: { into: Values; key: string }[]) => {
    const ids = [
      ...new Set(slots.map((slot) => slot.into[slot.key]).filter((v): v is string => typeof v === 'string')),
    ];
    if (ids.length === 0) return;
    const { display, form: ref } = configOf(field);
    const target = await targetOf(ctx, field);
    const displays = new Map<string, string | null>();
    const info = target?.storage.main.columns[display];
    const displayField = target?.form.byKey.get(display);
    if (target && info && displayField) {
      for (let start = 0; start < ids.length; start += 500) {
        const rows = (await db
          .selectFrom(target.storage.main.table)
          .select(['id', info.column])
          .where('id', 'in', ids.slice(start, start + 500))
          .execute()) as Values[];
        for (const row of rows)
          displays.set(String(row.id), displayText(readValue(displayField, target.storage.main, row)));
      }
    }
    for (const slot of slots) {
      const id = slot.into[slot.key];
      if (typeof id !== 'string') continue;
      const value: ReferenceValue = { id, display: displays.get(id) ?? null, pack: ref.pack, key: ref.key };
      slot.into[slot.key] = value;
    }
  };
  for (const field of form.fields) {
    if (!isReference(field)) continue;
    await resolve(
      field,
      records.filter((r) => Object.hasOwn(r.values, field.key)).map((r) => ({ into: r.values, key: field.key })),
    );
  }
  for (const sub of form.subtables) {
    for (const column of sub.columns) {
      if (!isReference(column)) continue;
      const slots = records.flatMap((r) =>
        Array.isArray(r.values[sub.key])
          ? (r.values[sub.key] as Values[])
              .filter((row) => Object.hasOwn(row, column.key))
              .map((row) => ({ into: row, key: column.key }))
          : [],
      );
      await resolve(column, slots);
    }
  }
}
