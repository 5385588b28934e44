import { type DbCtx, fromJson } from '@baton/db';
import type { ColumnKind, FormDefinition, Storage, TableStorage } from '@baton/form';
import { type SourceField, systemColumns } from './catalog.ts';
import { type CompiledReport, compileReport, hashReport, type ReportDefinition } from './definition.ts';
import { ReportErrors } from './errors.ts';

// A report against the forms as published now: the compiled report plus where each field lives (table alias
// and column from the form's storage). Table and column names come only from published storage, which the
// form engine derived from validated keys; aliases are fixed (m, s, j0 …).

export type PublishedForm = {
  readonly definition: FormDefinition;
  readonly storage: Storage;
  readonly hash: string;
  readonly version: number;
};

export type JoinPlan = {
  readonly alias: string;
  readonly table: string;
  readonly resource: string;
  readonly via: string;
  /** The joined form as published: its record scope and field access are kernel/form's. */
  readonly form: PublishedForm;
};

export type Plan = {
  readonly compiled: CompiledReport;
  readonly resource: string;
  /** The report's form as published. */
  readonly main: PublishedForm;
  readonly mainTable: string;
  readonly subTable: string | undefined;
  readonly joins: readonly JoinPlan[];
  /** The qualified column of a field (`m.amount`, `s.quantity`, `j0.industry`). */
  column(field: SourceField): string;
  /** The column kind as stored now. */
  kind(field: SourceField): ColumnKind;
};

const forms = new Map<string, PublishedForm>();

/** The latest published version of a form (definitions are immutable per hash: cached). */
export async function publishedForm(ctx: DbCtx, pack: string, key: string): Promise<PublishedForm | undefined> {
  const row = await ctx.db
    .selectFrom('baton_form_definition')
    .select(['definition', 'storage', 'hash', 'version'])
    .where('pack', '=', pack)
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const hit = forms.get(row.hash);
  if (hit) return hit;
  const published: PublishedForm = Object.freeze({
    definition: { ...fromJson<FormDefinition>(row.definition), hash: row.hash },
    storage: fromJson<Storage>(row.storage),
    hash: row.hash,
    version: Number(row.version),
  });
  if (forms.size > 500) forms.clear();
  forms.set(row.hash, published);
  return published;
}

/** The published forms a report reads: its form and the targets of its joins (unknown ones are left out). */
export async function formsFor(
  ctx: DbCtx,
  def: { form: { pack: string; key: string } | string; subtable?: string; joins?: readonly { field: string }[] },
): Promise<Map<string, PublishedForm>> {
  const result = new Map<string, PublishedForm>();
  const ref = typeof def.form === 'string' ? def.form.split('.') : [def.form.pack, def.form.key];
  const [pack, key] = ref;
  if (!pack || !key) return result;
  const main = await publishedForm(ctx, pack, key);
  if (!main) return result;
  result.set(`${pack}.${key}`, main);
  for (const join of def.joins ?? []) {
    const [head, tail] = join.field.split('.');
    const fields =
      tail === undefined
        ? main.definition.fields
        : head === def.subtable
          ? (main.definition.subtables.find((sub) => sub.key === head)?.columns ?? [])
          : [];
    const field = fields.find((f) => f.key === (tail ?? head));
    const target = field?.type === 'reference' ? (field.form as { pack?: string; key?: string } | string) : undefined;
    const [targetPack, targetKey] =
      typeof target === 'string' ? target.split('.') : [target?.pack ?? undefined, target?.key ?? undefined];
    if (!targetPack || !targetKey || result.has(`${targetPack}.${targetKey}`)) continue;
    const published = await publishedForm(ctx, targetPack, targetKey);
    if (published) result.set(`${targetPack}.${targetKey}`, published);
  }
  return result;
}

const plans = new Map<string, Plan>();

function columnIn(storage: TableStorage | undefined, key: string) {
  return storage?.columns[key];
}

/** The plan of a report against the forms as published now; REPORT_DEFINITION_STALE when it no longer fits. */
export async function planFor(ctx: DbCtx, def: ReportDefinition): Promise<Plan> {
  const published = await formsFor(ctx, def);
  // Keyed by the content, not the stated hash: a definition object handed in cannot borrow another's plan.
  const { hash: _stated, ...content } = def;
  const cacheKey = `${hashReport(content)}|${[...published.values()].map((form) => form.hash).join(',')}`;
  const hit = plans.get(cacheKey);
  if (hit) return hit;
  const report = `${def.pack}.${def.key}`;
  const definitions = new Map([...published].map(([id, form]) => [id, form.definition]));
  const analysis = compileReport(def, definitions);
  const compiled = analysis.compiled;
  if (!compiled) {
    throw ReportErrors.definitionStale.create({ report, count: analysis.issues.length }, { fields: analysis.issues });
  }
  const resource = `${def.form.pack}.${def.form.key}`;
  const main = published.get(resource) as PublishedForm;
  const sub = def.subtable === undefined ? undefined : main.storage.subtables[def.subtable];
  const joins: JoinPlan[] = [];
  const joinStorage: TableStorage[] = [];
  const missing: string[] = [];
  const locate = (field: SourceField): { column: string; kind: ColumnKind } | undefined => {
    if (field.scope === 'main') {
      if (field.system) return { column: `m.${systemColumns[field.key]}`, kind: field.kind };
      const info = columnIn(main.storage.main, field.key);
      return info && { column: `m.${info.column}`, kind: info.kind };
    }
    if (field.scope === 'sub') {
      const info = columnIn(sub, field.key);
      return info && { column: `s.${info.column}`, kind: info.kind };
    }
    const index = field.join as number;
    if (field.system) return { column: `j${index}.${systemColumns[field.key]}`, kind: field.kind };
    const info = columnIn(joinStorage[index], field.key);
    return info && { column: `j${index}.${info.column}`, kind: info.kind };
  };
  for (const [index, join] of compiled.catalog.joins.entries()) {
    const target = published.get(`${join.form.pack}.${join.form.key}`) as PublishedForm;
    joinStorage[index] = target.storage.main;
    const via = locate(join.via);
    if (!via) missing.push(join.via.path);
    joins.push({
      alias: `j${index}`,
      table: target.storage.main.table,
      resource: `${join.form.pack}.${join.form.key}`,
      via: via?.column ?? '',
      form: target,
    });
  }
  const located = new Map<string, { column: string; kind: ColumnKind }>();
  const all: SourceField[] = [
    ...compiled.dimensions.map((d) => d.field),
    ...compiled.measures.flatMap((m) => (m.field ? [m.field] : [])),
    ...compiled.filters.map((f) => f.field),
    ...compiled.drill,
  ];
  for (const field of all) {
    const found = locate(field);
    if (found) located.set(field.path, found);
    else missing.push(field.path);
  }
  if (missing.length > 0 || (def.subtable !== undefined && !sub)) {
    throw ReportErrors.definitionStale.create(
      { report, count: missing.length || 1 },
      { fields: missing.map((path) => ({ path: [path], code: 'no_column', message: `"${path}" has no column` })) },
    );
  }
  const find = (field: SourceField) => {
    const found = located.get(field.path) ?? locate(field);
    if (!found) throw ReportErrors.definitionStale.create({ report, count: 1 });
    return found;
  };
  const plan: Plan = Object.freeze({
    compiled,
    resource,
    main,
    mainTable: main.storage.main.table,
    subTable: sub?.table,
    joins,
    column: (field: SourceField) => find(field).column,
    kind: (field: SourceField) => find(field).kind,
  });
  if (plans.size > 500) plans.clear();
  plans.set(cacheKey, plan);
  return plan;
}

/** The forms a report reads as `pack.key`: its own first, then its joined forms (for the caller's scopes on each). */
export async function reportForms(ctx: DbCtx, def: ReportDefinition): Promise<string[]> {
  return [...(await formsFor(ctx, def)).keys()];
}
