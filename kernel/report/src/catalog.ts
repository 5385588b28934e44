import type { ColumnKind, FieldDefinition, FormDefinition, Label } from '@baton/form';
import { findFieldType } from '@baton/form';

// What a report can name: the fields of its form, of the chosen subtable and of the forms its reference
// fields are joined to, plus a few system columns. Built from form definitions only (no database), so a
// report is validated the same way when a pack is authored and when it runs against published forms.

export type Scope = 'main' | 'sub' | 'join';

/** A field a report may name by `path` (`amount`, `lines.quantity`, `customer.industry`, `ownerId`). */
export type SourceField = {
  readonly path: string;
  readonly scope: Scope;
  /** The join's index when scope is 'join'. */
  readonly join?: number;
  /** The key inside its form (or subtable). */
  readonly key: string;
  readonly system: boolean;
  /** Field type name (`money`, `member`, `select` …). */
  readonly type: string;
  readonly config: unknown;
  readonly kind: ColumnKind;
  /** Type in @baton/expression, or null. */
  readonly exprType: string | null;
  readonly label: Label;
  /** Choice fields: the option codes and labels. */
  readonly options?: ReadonlyArray<{ code: string; label: Label }>;
  /** Reference fields: the form pointed at. */
  readonly target?: { pack: string; key: string };
};

/** System columns of every form table, under the (reserved) keys records use for them. */
const systemFields: ReadonlyArray<{ key: string; type: string; column: string; label: Label }> = [
  { key: 'id', type: 'text', column: 'id', label: { zh: '记录编号', en: 'Record id' } },
  { key: 'ownerId', type: 'member', column: 'owner_id', label: { zh: '所有人', en: 'Owner' } },
  { key: 'departmentId', type: 'department', column: 'department_id', label: { zh: '所属部门', en: 'Department' } },
  { key: 'unitId', type: 'unit', column: 'unit_id', label: { zh: '所属单位', en: 'Unit' } },
  { key: 'createdAt', type: 'datetime', column: 'created_at', label: { zh: '创建时间', en: 'Created at' } },
  { key: 'updatedAt', type: 'datetime', column: 'updated_at', label: { zh: '更新时间', en: 'Updated at' } },
  { key: 'state', type: 'text', column: 'state', label: { zh: '状态', en: 'State' } },
];

/** The physical column of a system field. */
export const systemColumns: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(systemFields.map((field) => [field.key, field.column])),
);

const COMMON = new Set(['key', 'label', 'type', 'required', 'default', 'validation', 'help', 'renamedFrom']);

function describe(field: FieldDefinition, path: string, scope: Scope, join?: number): SourceField | undefined {
  const type = findFieldType(field.type);
  if (!type) return undefined;
  const raw = Object.fromEntries(Object.entries(field).filter(([name]) => !COMMON.has(name)));
  const parsed = type.configSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const config = parsed.data as Record<string, unknown>;
  const column = type.column('sqlite', config);
  if (!column) return undefined;
  const options = Array.isArray(config.options) ? (config.options as SourceField['options']) : undefined;
  const target =
    field.type === 'reference' && typeof config.form === 'object' && config.form !== null
      ? (config.form as { pack: string; key: string })
      : undefined;
  return Object.freeze({
    path,
    scope,
    ...(join === undefined ? {} : { join }),
    key: field.key,
    system: false,
    type: field.type,
    config,
    kind: column.kind,
    exprType: type.expressionType(config),
    label: field.label,
    ...(options ? { options } : {}),
    ...(target ? { target } : {}),
  });
}

function system(key: string, path: string, scope: Scope, join?: number): SourceField | undefined {
  const spec = systemFields.find((field) => field.key === key);
  if (!spec) return undefined;
  const type = findFieldType(spec.type);
  if (!type) return undefined;
  const config = type.configSchema.parse({});
  const column = type.column('sqlite', config);
  return Object.freeze({
    path,
    scope,
    ...(join === undefined ? {} : { join }),
    key,
    system: true,
    type: spec.type,
    config,
    kind: spec.key === 'id' ? 'id' : (column?.kind ?? 'text'),
    exprType: type.expressionType(config),
    label: spec.label,
  });
}

export type JoinSpec = { alias: string; via: SourceField; form: FormDefinition };

/** Every nameable field of a report's source, by path. */
export type Catalog = {
  readonly main: FormDefinition;
  readonly subtable: string | undefined;
  readonly joins: readonly JoinSpec[];
  resolve(path: string): SourceField | undefined;
  /** Main fields, then subtable columns, in form order (for default drill columns). */
  readonly listed: readonly SourceField[];
};

/** A field of the main form or (with `subtable`) a column of the subtable: what a join may go through. */
export function resolveLocal(main: FormDefinition, subtable: string | undefined, path: string) {
  const dot = path.indexOf('.');
  if (dot < 0) {
    const field = main.fields.find((f) => f.key === path);
    return field ? describe(field, path, 'main') : system(path, path, 'main');
  }
  const head = path.slice(0, dot);
  const rest = path.slice(dot + 1);
  if (subtable === undefined || head !== subtable || rest.includes('.')) return undefined;
  const column = main.subtables.find((s) => s.key === subtable)?.columns.find((c) => c.key === rest);
  return column ? describe(column, path, 'sub') : undefined;
}

/** A column of any subtable of the main form (`followUps.date`), for the per-record MAX / MIN of conditions. */
export function resolveRowsColumn(main: FormDefinition, path: string): SourceField | undefined {
  const [subtable, key, ...rest] = path.split('.');
  if (!subtable || !key || rest.length > 0) return undefined;
  const column = main.subtables.find((s) => s.key === subtable)?.columns.find((c) => c.key === key);
  return column ? describe(column, path, 'sub') : undefined;
}

export function buildCatalog(
  main: FormDefinition,
  subtable: string | undefined,
  joins: ReadonlyArray<{ alias: string; via: SourceField; form: FormDefinition }>,
): Catalog {
  const cache = new Map<string, SourceField | undefined>();
  const resolve = (path: string): SourceField | undefined => {
    if (cache.has(path)) return cache.get(path);
    let found = resolveLocal(main, subtable, path);
    if (!found) {
      const dot = path.indexOf('.');
      const index = dot < 0 ? -1 : joins.findIndex((join) => join.alias === path.slice(0, dot));
      const join = joins[index];
      const key = path.slice(dot + 1);
      if (join && !key.includes('.')) {
        const field = join.form.fields.find((f) => f.key === key);
        found = field ? describe(field, path, 'join', index) : system(key, path, 'join', index);
      }
    }
    cache.set(path, found);
    return found;
  };
  const listed: SourceField[] = [];
  for (const field of main.fields) {
    const described = describe(field, field.key, 'main');
    if (described) listed.push(described);
  }
  if (subtable !== undefined) {
    for (const column of main.subtables.find((s) => s.key === subtable)?.columns ?? []) {
      const described = describe(column, `${subtable}.${column.key}`, 'sub');
      if (described) listed.push(described);
    }
  }
  return { main, subtable, joins, resolve, listed };
}

/** Column kinds that hold one comparable value (not JSON lists). */
export const scalarKinds: ReadonlySet<ColumnKind> = new Set([
  'id',
  'text',
  'date',
  'instant',
  'bigint',
  'integer',
  'decimal',
  'boolean',
]);
export const numericKinds: ReadonlySet<ColumnKind> = new Set(['bigint', 'integer', 'decimal']);
export const dateKinds: ReadonlySet<ColumnKind> = new Set(['date', 'instant']);

/** A field as a report editor offers it: where it may stand (dimension, measure, filter) follows from its kind. */
export type CatalogField = {
  readonly path: string;
  readonly scope: Scope;
  readonly label: Label;
  readonly type: string;
  readonly exprType: string | null;
  readonly system: boolean;
  /** One comparable value: a row or column, min/max, distinctCount. */
  readonly groupable: boolean;
  /** sum and avg. */
  readonly numeric: boolean;
  /** date buckets and date-range parameters. */
  readonly date: boolean;
  readonly options?: { code: string; label: Label }[];
  /** A reference field of the source that a join may go through, and the form it points at. */
  readonly target?: { pack: string; key: string };
};

function view(field: SourceField): CatalogField {
  return {
    path: field.path,
    scope: field.scope,
    label: field.label,
    type: field.type,
    exprType: field.exprType,
    system: field.system,
    groupable: scalarKinds.has(field.kind),
    numeric: numericKinds.has(field.kind),
    date: dateKinds.has(field.kind),
    ...(field.options ? { options: [...field.options] } : {}),
    ...(field.target && field.scope !== 'join' ? { target: field.target } : {}),
  };
}

/** Every field a report over this catalog may name: the form's, its system columns, the subtable's, each join's. */
export function catalogFields(catalog: Catalog): CatalogField[] {
  const out: CatalogField[] = catalog.listed.map(view);
  const push = (field: SourceField | undefined) => {
    if (field) out.push(view(field));
  };
  for (const spec of systemFields) push(catalog.resolve(spec.key));
  for (const join of catalog.joins) {
    for (const field of join.form.fields) push(catalog.resolve(`${join.alias}.${field.key}`));
    for (const spec of systemFields) push(catalog.resolve(`${join.alias}.${spec.key}`));
  }
  return out;
}
