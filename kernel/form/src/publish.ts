import { type ColumnTypes, columnTypes, type DbCtx, dialectOf, instant, toJson, withTx } from '@baton/db';
import { type Kysely, sql } from 'kysely';
import {
  type CompiledField,
  type CompiledForm,
  compileForm,
  type FormDefinition,
  type FormDefinitionInput,
} from './definition.ts';
import { FormErrors } from './errors.ts';
import type { ColumnKind } from './field-types/define.ts';
import { findFieldType } from './field-types/registry.ts';
import { FormIssues } from './issues.ts';
import { snakeCase, subtableName, tableName } from './keys.ts';
import {
  type ColumnInfo,
  indexName,
  latestPublished,
  newPublishStamp,
  type Storage,
  type TableStorage,
} from './storage.ts';

export type PlanAction = 'createTable' | 'add' | 'keep' | 'hidden' | 'convert' | 'refused';

export type PlanStep = {
  action: PlanAction;
  /** `amount`, `items.price`, or the subtable key for table steps. */
  path: string;
  table: string;
  column?: string;
  /** For keep-by-rename: the previous key. */
  renamedFrom?: string;
  /** For convert / refused: the type change. */
  from?: string;
  to?: string;
  /** For refused: the ids of the rows whose value does not convert (at most 100). */
  rows?: string[];
};

export type PublishPlan = {
  pack: string;
  key: string;
  /** The version this publish creates (the current one when nothing changed). */
  version: number;
  hash: string;
  /** The definition is identical to the latest version: publishing is a no-op. */
  unchanged: boolean;
  ok: boolean;
  steps: PlanStep[];
};

// biome-ignore lint/suspicious/noExplicitAny: form tables are named at run time
type AnyDb = Kysely<any>;

type Conversion = {
  table: string;
  from: ColumnInfo;
  to: ColumnInfo;
  field: CompiledField;
  values: Map<string, unknown>;
};

type Work = {
  plan: PublishPlan;
  storage: Storage;
  form: CompiledForm;
  creates: { table: string; parent?: string; columns: ColumnInfo[] }[];
  adds: { table: string; column: ColumnInfo }[];
  conversions: Conversion[];
};

const systemColumns = (t: ColumnTypes): [string, string, boolean][] => [
  ['version', t.integer, true],
  ['created_by', t.text, true],
  ['created_at', t.instant, true],
  ['updated_by', t.text, true],
  ['updated_at', t.instant, true],
  ['flow_instance_id', t.id, false],
  ['state', t.text, true],
  ['voided_at', t.instant, false],
  ['owner_id', t.id, false],
  ['department_id', t.id, false],
  ['unit_id', t.id, false],
];

function infoOf(field: CompiledField, column: string): ColumnInfo {
  const spec = field.type.column('sqlite', field.config);
  return { column, type: field.type.type, kind: (spec?.kind ?? 'text') as ColumnKind };
}

/**
 * The form's latest version; for a publish on PostgreSQL, with its main table locked first. A record write reads or
 * writes the main table before its subtables, so taking that lock before the plan reads the stored values means no
 * write slips between the conversions' read and the ALTERs, and none can hold a subtable the publish then waits for
 * while waiting for the main table itself (a deadlock). SQLite has one writer at a time anyway.
 */
async function previousVersion(ctx: DbCtx, pack: string, key: string, publishing: boolean) {
  const previous = await latestPublished(ctx, pack, key);
  if (!previous || !publishing || dialectOf(ctx.db) !== 'postgres') return previous;
  await sql`lock table ${sql.table(previous.storage.main.table)} in access exclusive mode`.execute(ctx.db);
  // Read again under the lock: another publish may have committed in between.
  return latestPublished(ctx, pack, key);
}

async function plan(ctx: DbCtx, input: FormDefinitionInput | FormDefinition, publishing = false): Promise<Work> {
  const form = compileForm(input);
  const def = form.def;
  const previous = await previousVersion(ctx, def.pack, def.key, publishing);
  const version = previous ? previous.version + 1 : 1;
  const steps: PlanStep[] = [];
  const work: Work = {
    plan: { pack: def.pack, key: def.key, version, hash: def.hash, unchanged: false, ok: true, steps },
    storage: { main: { table: '', columns: {}, hidden: {} }, subtables: {}, hiddenSubtables: {} },
    form,
    creates: [],
    adds: [],
    conversions: [],
  };
  if (previous && previous.form.def.hash === def.hash) {
    work.plan = { ...work.plan, version: previous.version, unchanged: true };
    work.storage = previous.storage;
    return work;
  }
  const db = ctx.db as unknown as AnyDb;

  const planTable = async (
    table: string,
    prefix: string,
    fields: readonly CompiledField[],
    prev: TableStorage | undefined,
    prevFields: ReadonlyMap<string, CompiledField> | undefined,
    parent: string | undefined,
  ): Promise<TableStorage> => {
    const storage: TableStorage = { table, columns: {}, hidden: {} };
    if (!prev) {
      steps.push({ action: 'createTable', path: prefix || def.key, table });
      const columns = fields.map((field) => infoOf(field, snakeCase(field.key)));
      for (const [i, field] of fields.entries()) {
        storage.columns[field.key] = columns[i] as ColumnInfo;
        steps.push({ action: 'add', path: prefix + field.key, table, column: snakeCase(field.key) });
      }
      work.creates.push({ table, ...(parent ? { parent } : {}), columns });
      return storage;
    }
    const taken = new Set([...Object.values(prev.columns), ...Object.values(prev.hidden)].map((c) => c.column));
    const used = new Set<string>();
    const fresh = (key: string) => {
      const base = snakeCase(key);
      const name = taken.has(base) ? `${base}_v${version}` : base;
      taken.add(name);
      return name;
    };
    for (const field of fields) {
      const path = prefix + field.key;
      let fromKey: string | undefined;
      let info: ColumnInfo | undefined;
      if (Object.hasOwn(prev.columns, field.key)) [fromKey, info] = [field.key, prev.columns[field.key]];
      else if (field.def.renamedFrom && Object.hasOwn(prev.columns, field.def.renamedFrom)) {
        [fromKey, info] = [field.def.renamedFrom, prev.columns[field.def.renamedFrom]];
      } else if (Object.hasOwn(prev.hidden, field.key)) [fromKey, info] = [field.key, prev.hidden[field.key]];
      if (!info || fromKey === undefined || used.has(info.column)) {
        const column = infoOf(field, fresh(field.key));
        storage.columns[field.key] = column;
        work.adds.push({ table, column });
        steps.push({ action: 'add', path, table, column: column.column });
        continue;
      }
      used.add(info.column);
      const target = infoOf(field, info.column);
      const renamed = fromKey !== field.key ? { renamedFrom: fromKey } : {};
      if (info.type === target.type && info.kind === target.kind) {
        storage.columns[field.key] = info;
        steps.push({ action: 'keep', path, table, column: info.column, ...renamed });
        continue;
      }
      // A type change: every stored value must convert.
      const oldField = prevFields?.get(fromKey);
      const oldType = findFieldType(info.type);
      const rows = await db.selectFrom(table).select(['id', info.column]).where(info.column, 'is not', null).execute();
      const bad: string[] = [];
      const values = new Map<string, unknown>();
      for (const row of rows) {
        const raw = row[info.column];
        const value = oldType?.fromDb ? oldType.fromDb(raw, oldField?.config) : raw;
        const converted = (field.type.convert ?? field.type.parse)(value, field.config);
        if (converted.ok) values.set(String(row.id), converted.value);
        else bad.push(String(row.id));
      }
      if (bad.length > 0) {
        work.plan.ok = false;
        steps.push({
          action: 'refused',
          path,
          table,
          column: info.column,
          from: info.type,
          to: target.type,
          rows: bad.slice(0, 100),
          ...renamed,
        });
        storage.columns[field.key] = info;
        continue;
      }
      const column = target.kind === info.kind ? info : { ...target, column: fresh(field.key) };
      if (column !== info) {
        // The old column stays as it was (non-destructive); the field moves to the new one.
        storage.hidden[`${fromKey}@v${version - 1}`] = info;
        work.adds.push({ table, column });
      }
      storage.columns[field.key] = column;
      work.conversions.push({ table, from: info, to: column, field, values });
      steps.push({
        action: 'convert',
        path,
        table,
        column: column.column,
        from: info.type,
        to: target.type,
        ...renamed,
      });
    }
    for (const [key, info] of Object.entries(prev.hidden)) if (!used.has(info.column)) storage.hidden[key] = info;
    for (const [key, info] of Object.entries(prev.columns)) {
      if (used.has(info.column)) continue;
      storage.hidden[key] = info;
      steps.push({ action: 'hidden', path: prefix + key, table, column: info.column });
    }
    return storage;
  };

  const prevForm = previous?.form;
  const mainTable = tableName(def.pack, def.key);
  work.storage.main = await planTable(mainTable, '', form.fields, previous?.storage.main, prevForm?.byKey, undefined);
  const usedSubs = new Set<string>();
  for (const sub of form.subtables) {
    let prevKey: string | undefined;
    if (previous && Object.hasOwn(previous.storage.subtables, sub.key)) prevKey = sub.key;
    else if (previous && sub.def.renamedFrom && Object.hasOwn(previous.storage.subtables, sub.def.renamedFrom)) {
      prevKey = sub.def.renamedFrom;
    } else if (previous && Object.hasOwn(previous.storage.hiddenSubtables, sub.key)) prevKey = sub.key;
    const prevStorage = prevKey
      ? (previous?.storage.subtables[prevKey] ?? previous?.storage.hiddenSubtables[prevKey])
      : undefined;
    if (prevKey) usedSubs.add(prevKey);
    const table = prevStorage?.table ?? subtableName(def.pack, def.key, sub.key);
    work.storage.subtables[sub.key] = await planTable(
      table,
      `${sub.key}.`,
      sub.columns,
      prevStorage,
      prevKey ? prevForm?.subByKey.get(prevKey)?.byKey : undefined,
      mainTable,
    );
  }
  for (const [key, storage] of Object.entries(previous?.storage.subtables ?? {})) {
    if (usedSubs.has(key)) continue;
    work.storage.hiddenSubtables[key] = storage;
    steps.push({ action: 'hidden', path: key, table: storage.table });
  }
  for (const [key, storage] of Object.entries(previous?.storage.hiddenSubtables ?? {})) {
    if (!usedSubs.has(key)) work.storage.hiddenSubtables[key] = storage;
  }
  return work;
}

/** What publishing `def` would do (add / keep / hidden / convert / refused), without changing anything. */
export async function previewPublish(ctx: DbCtx, def: FormDefinitionInput | FormDefinition): Promise<PublishPlan> {
  return withTx(ctx, async (tx) => (await plan(tx, def)).plan);
}

export type PublishResult = PublishPlan & { publishedAt: string };

/**
 * Stores a new version of the definition and creates or migrates its tables, in one transaction.
 * Non-destructive: new fields add columns, removed fields are hidden (columns kept), renames keep the
 * column, a type change converts only when every stored value converts (else FORM_MIGRATION_UNSAFE
 * listing the offending row ids). Publishing an unchanged definition is a no-op.
 */
export async function publishForm(ctx: DbCtx, def: FormDefinitionInput | FormDefinition): Promise<PublishResult> {
  return withTx(ctx, async (tx) => {
    const work = await plan(tx, def, true);
    const now = instant(tx.clock.now());
    if (work.plan.unchanged) return { ...work.plan, publishedAt: now };
    const refused = work.plan.steps.filter((step) => step.action === 'refused');
    if (refused.length > 0) {
      throw FormErrors.migrationUnsafe.create(
        {
          fields: refused
            .map((step) => `${step.path} (${step.from} → ${step.to}): ${step.rows?.join(', ')}`)
            .join('; '),
        },
        {
          fields: refused.map((step) =>
            FormIssues.issue(step.path.split('.'), 'unsafe_conversion', { rows: step.rows?.join(', ') ?? '' }),
          ),
        },
      );
    }
    const db = tx.db.withoutPlugins() as unknown as AnyDb;
    const t = columnTypes(dialectOf(db));
    for (const create of work.creates) {
      let builder = db.schema.createTable(create.table).addColumn('id', t.id, (c) => c.primaryKey());
      if (create.parent) {
        builder = builder
          .addColumn('parent_id', t.id, (c) => c.notNull().references(`${create.parent}.id`).onDelete('cascade'))
          .addColumn('row_no', t.integer, (c) => c.notNull());
      } else {
        for (const [name, type, notNull] of systemColumns(t)) {
          builder = builder.addColumn(name, type as never, (c) => (notNull ? c.notNull() : c));
        }
      }
      for (const column of create.columns) builder = builder.addColumn(column.column, t[column.kind]);
      await builder.execute();
      if (create.parent) {
        await db.schema
          .createIndex(indexName(create.table, ['parent_id', 'row_no'], false))
          .on(create.table)
          .columns(['parent_id', 'row_no'])
          .execute();
      } else {
        for (const column of ['owner_id', 'department_id']) {
          await db.schema
            .createIndex(indexName(create.table, [column], false))
            .on(create.table)
            .column(column)
            .execute();
        }
      }
    }
    for (const add of work.adds)
      await db.schema.alterTable(add.table).addColumn(add.column.column, t[add.column.kind]).execute();
    for (const conversion of work.conversions) {
      const { field, to } = conversion;
      for (const [id, value] of conversion.values) {
        const stored = field.type.toDb ? field.type.toDb(db, value, field.config) : value;
        await db
          .updateTable(conversion.table)
          .set({ [to.column]: stored })
          .where('id', '=', id)
          .execute();
      }
    }
    // Indexes: unique keys and serials unique, references indexed (idempotent by name).
    const indexes: { table: string; columns: string[]; unique: boolean }[] = [];
    const mainStorage = work.storage.main;
    for (const unique of work.form.def.keys) {
      indexes.push({
        table: mainStorage.table,
        columns: unique.map((key) => mainStorage.columns[key]?.column as string),
        unique: true,
      });
    }
    const perTable = (fields: readonly CompiledField[], storage: TableStorage) => {
      for (const field of fields) {
        const column = storage.columns[field.key]?.column as string;
        if (field.type.unique) indexes.push({ table: storage.table, columns: [column], unique: true });
        else if (field.type.indexed) indexes.push({ table: storage.table, columns: [column], unique: false });
      }
    };
    perTable(work.form.fields, mainStorage);
    for (const sub of work.form.subtables) perTable(sub.columns, work.storage.subtables[sub.key] as TableStorage);
    for (const index of indexes) {
      let builder = db.schema
        .createIndex(indexName(index.table, index.columns, index.unique))
        .ifNotExists()
        .on(index.table)
        .columns(index.columns);
      if (index.unique) builder = builder.unique();
      await builder.execute();
    }
    await tx.db
      .insertInto('baton_form_definition')
      .values({
        pack: work.form.def.pack,
        key: work.form.def.key,
        version: work.plan.version,
        definition: toJson(tx.db, work.form.def),
        storage: toJson(tx.db, work.storage),
        hash: work.form.def.hash,
        publishedAt: now,
        publishedBy: actorName(tx),
      })
      .execute();
    await newPublishStamp(tx);
    return { ...work.plan, publishedAt: now };
  });
}

export function actorName(ctx: DbCtx): string {
  const actor = ctx.actor;
  return actor.kind === 'member' ? actor.memberId : actor.kind === 'system' ? `system:${actor.name}` : 'anonymous';
}
