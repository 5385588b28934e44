import { newId } from '@baton/core';
import { type ColumnTypes, type DbCtx, fromJson, instant, isUniqueViolation, withTx } from '@baton/db';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { FormErrors } from './errors.ts';
import { requirePublished } from './storage.ts';

// Saved views (常用查询) of a record list: a member names a combination of filters, sort and columns on one
// form and gets it back on any device. Views hold only field keys, operators and values, checked against the
// form when saved; a later version that drops a field makes listRecords refuse that filter, never guess.

export type FormViewTable = {
  id: string;
  memberId: string;
  pack: string;
  formKey: string;
  name: string;
  /** JSON text: { filters, sort, columns }. */
  spec: string;
  createdAt: string;
  updatedAt: string;
};

declare module '@baton/db' {
  interface BatonDatabase {
    baton_form_view: FormViewTable;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables that are not typed yet
type AnyDb = Kysely<any>;

export async function createViewTable(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('baton_form_view')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('member_id', t.text, (c) => c.notNull())
    .addColumn('pack', t.text, (c) => c.notNull())
    .addColumn('form_key', t.text, (c) => c.notNull())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('spec', t.text, (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addUniqueConstraint('baton_form_view_name', ['member_id', 'pack', 'form_key', 'name'])
    .execute();
}

/** How many views one member may keep per form: a list, not a store. */
export const MAX_VIEWS_PER_FORM = 50;

const operators = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'contains', 'isNull'] as const;
const specSchema = z.strictObject({
  filters: z
    .array(z.strictObject({ field: z.string().max(40), op: z.enum(operators), value: z.unknown().optional() }))
    .max(20)
    .default([]),
  sort: z
    .array(z.strictObject({ field: z.string().max(40), dir: z.enum(['asc', 'desc']) }))
    .max(3)
    .default([]),
  /** Fields shown as columns, in order; empty: the list's default. */
  columns: z.array(z.string().max(40)).max(60).default([]),
});
export type ViewSpec = z.output<typeof specSchema>;

const ref = { pack: z.string().min(1).max(40), key: z.string().min(1).max(40) };
const saveSchema = z.strictObject({
  ...ref,
  memberId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(60),
  spec: specSchema,
});
export type SaveViewInput = z.input<typeof saveSchema>;

export type FormView = {
  id: string;
  pack: string;
  key: string;
  name: string;
  spec: ViewSpec;
  createdAt: string;
  updatedAt: string;
};

const toView = (row: FormViewTable): FormView => ({
  id: row.id,
  pack: row.pack,
  key: row.formKey,
  name: row.name,
  spec: fromJson<ViewSpec>(row.spec),
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

type Issue = { path: (string | number)[]; code: string; message: string };

function invalid(issues: Issue[]) {
  return FormErrors.viewInvalid.create({ count: issues.length }, { fields: issues });
}

/** Every problem of a spec against the published form, with its path (not only the first). */
async function checkSpec(ctx: DbCtx, pack: string, key: string, spec: ViewSpec): Promise<void> {
  const { form } = await requirePublished(ctx, pack, key);
  const issues: Issue[] = [];
  spec.filters.forEach((filter, index) => {
    const field = form.byKey.get(filter.field);
    if (!field) {
      issues.push({ path: ['spec', 'filters', index, 'field'], code: 'unknown_field', message: filter.field });
      return;
    }
    if (!field.type.operators.includes(filter.op)) {
      issues.push({
        path: ['spec', 'filters', index, 'op'],
        code: 'operator',
        message: `${filter.op} on ${field.type.type}`,
      });
      return;
    }
    const values = filter.op === 'in' ? (Array.isArray(filter.value) ? filter.value : [undefined]) : [filter.value];
    if (filter.op === 'isNull' || filter.op === 'contains') {
      if (filter.op === 'contains' && (typeof filter.value !== 'string' || filter.value.length > 200)) {
        issues.push({ path: ['spec', 'filters', index, 'value'], code: 'value', message: 'contains needs text' });
      }
      return;
    }
    if (values.length === 0 || values.length > 500) {
      issues.push({ path: ['spec', 'filters', index, 'value'], code: 'value', message: 'in needs 1 to 500 values' });
      return;
    }
    for (const value of values) {
      const parsed = field.type.parse(value, field.config);
      if (!parsed.ok || parsed.value === null) {
        issues.push({
          path: ['spec', 'filters', index, 'value'],
          code: 'value',
          message: `bad value for ${filter.field}`,
        });
        return;
      }
    }
  });
  spec.sort.forEach((sort, index) => {
    if (!form.byKey.has(sort.field)) {
      issues.push({ path: ['spec', 'sort', index, 'field'], code: 'unknown_field', message: sort.field });
    }
  });
  spec.columns.forEach((column, index) => {
    if (!form.byKey.has(column)) {
      issues.push({ path: ['spec', 'columns', index], code: 'unknown_field', message: column });
    }
  });
  if (issues.length > 0) throw invalid(issues);
}

export async function listViews(
  ctx: DbCtx,
  input: { memberId: string; pack: string; key: string },
): Promise<FormView[]> {
  const rows = await ctx.db
    .selectFrom('baton_form_view')
    .selectAll()
    .where('memberId', '=', input.memberId)
    .where('pack', '=', input.pack)
    .where('formKey', '=', input.key)
    .orderBy('name')
    .limit(MAX_VIEWS_PER_FORM)
    .execute();
  return rows.map(toView);
}

/** Saves a view under its name: a new name adds one, an existing name replaces that view's spec. */
export async function saveView(ctx: DbCtx, input: SaveViewInput): Promise<FormView> {
  const parsed = saveSchema.safeParse(input);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues.map((issue) => ({
        path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
        code: issue.code,
        message: issue.message,
      })),
    );
  }
  const data = parsed.data;
  return withTx(ctx, async (tx) => {
    await checkSpec(tx, data.pack, data.key, data.spec);
    const at = instant(tx.clock.now());
    const spec = JSON.stringify(data.spec);
    const existing = await tx.db
      .selectFrom('baton_form_view')
      .selectAll()
      .where('memberId', '=', data.memberId)
      .where('pack', '=', data.pack)
      .where('formKey', '=', data.key)
      .where('name', '=', data.name)
      .executeTakeFirst();
    if (existing) {
      await tx.db.updateTable('baton_form_view').set({ spec, updatedAt: at }).where('id', '=', existing.id).execute();
      return toView({ ...existing, spec, updatedAt: at });
    }
    const count = await tx.db
      .selectFrom('baton_form_view')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('memberId', '=', data.memberId)
      .where('pack', '=', data.pack)
      .where('formKey', '=', data.key)
      .executeTakeFirst();
    if (Number(count?.n ?? 0) >= MAX_VIEWS_PER_FORM) {
      throw FormErrors.viewLimit.create({ max: MAX_VIEWS_PER_FORM });
    }
    const row: FormViewTable = {
      id: newId(),
      memberId: data.memberId,
      pack: data.pack,
      formKey: data.key,
      name: data.name,
      spec,
      createdAt: at,
      updatedAt: at,
    };
    try {
      await tx.db.insertInto('baton_form_view').values(row).execute();
    } catch (error) {
      // Two tabs saving the same new name at once: the loser is told, not silently merged.
      if (isUniqueViolation(error)) throw FormErrors.viewConflict.create({ name: data.name });
      throw error;
    }
    return toView(row);
  });
}

/** Deletes one of the member's own views; another member's id answers as not found. */
export async function deleteView(ctx: DbCtx, input: { memberId: string; id: string }): Promise<void> {
  const result = await ctx.db
    .deleteFrom('baton_form_view')
    .where('id', '=', input.id)
    .where('memberId', '=', input.memberId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw FormErrors.viewNotFound.create({ id: input.id });
}
