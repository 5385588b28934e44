import { CoreErrors, type FieldIssue } from '@baton/core';
import { type DbCtx, DbErrors, fromJson, instant, toJson, upsert, withTx } from '@baton/db';
import { keyProblem, type Label } from '@baton/form';
import { listRoleAssignments, listRoles } from '@baton/org';
import { z } from 'zod';
import type { CatalogField } from './catalog.ts';
import {
  type ChartKind,
  chartKinds,
  compileReport,
  type ReportDefinition,
  type ReportDefinitionInput,
  type ReportIssue,
  sourceFields,
} from './definition.ts';
import { ReportErrors } from './errors.ts';
import { indexReport } from './indexes.ts';
import { resolveParams } from './params.ts';
import { formsFor, planFor } from './plan.ts';

// Published report definitions (versioned like forms), members' pins and role dashboards.

export type ReportRef = { pack: string; key: string; version?: number };

export type PublishedReport = {
  definition: ReportDefinition;
  version: number;
  publishedAt: string;
  publishedBy: string;
};

export type PublishReportResult = {
  pack: string;
  key: string;
  version: number;
  hash: string;
  unchanged: boolean;
  /** The index the report reads through (derived from the definition; null where none would help). */
  index: string | null;
};

const KEY = z.string().min(1).max(40);
const refSchema = z.strictObject({ pack: KEY, key: KEY, version: z.number().int().min(1).optional() });

function parseOp<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw CoreErrors.validation.create(
    {},
    {
      fields: parsed.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
        code: issue.code,
        message: issue.message,
      })),
    },
  );
}

function actorName(ctx: DbCtx): string {
  const actor = ctx.actor;
  return actor.kind === 'member' ? actor.memberId : actor.kind === 'system' ? `system:${actor.name}` : 'anonymous';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export type ReportCheck = {
  /** Every problem with its path, as publishing would refuse it; empty when it would publish. */
  issues: ReportIssue[];
  /** The definition as it would be stored (defaults applied, hashed), when it has no issue. */
  definition?: ReportDefinition;
  /** The published versions it was checked against (`pack.key` → version): its form and the joined forms. */
  forms: Record<string, number>;
  /** What the report may name over its source (form, subtable, joins as far as they resolve). */
  fields: CatalogField[];
};

/** What publishReport would say of a definition, against the forms as published now; nothing is stored. */
export async function checkReport(
  ctx: DbCtx,
  input: ReportDefinitionInput | ReportDefinition | Record<string, unknown>,
): Promise<ReportCheck> {
  const raw: Record<string, unknown> = isRecord(input) ? input : {};
  const published = await formsFor(ctx, {
    form: isRecord(raw.form) || typeof raw.form === 'string' ? (raw.form as { pack: string; key: string }) : '',
    ...(typeof raw.subtable === 'string' ? { subtable: raw.subtable } : {}),
    joins: Array.isArray(raw.joins)
      ? raw.joins.filter((j): j is { field: string } => isRecord(j) && typeof j.field === 'string')
      : [],
  });
  const definitions = new Map([...published].map(([id, form]) => [id, form.definition]));
  const analysis = compileReport(input, definitions);
  return {
    issues: analysis.issues,
    ...(analysis.compiled ? { definition: analysis.compiled.def } : {}),
    forms: Object.fromEntries([...published].map(([id, form]) => [id, form.version])),
    fields: sourceFields(raw, definitions),
  };
}

/**
 * Validates a definition against the forms as published now (its form and its joined forms) and stores it as
 * the next version; an unchanged definition (same hash as the latest) stores nothing. REPORT_DEFINITION_INVALID
 * lists every issue with its path. In the same transaction the index derived from the definition is created
 * when no equivalent exists, and the one the previous version needed is dropped when no report needs it.
 */
export async function publishReport(
  ctx: DbCtx,
  /** A definition as defineReport takes it (checked here against the published forms). */
  input: ReportDefinitionInput | ReportDefinition | Record<string, unknown>,
): Promise<PublishReportResult> {
  return withTx(ctx, async (tx) => {
    const checked = await checkReport(tx, input);
    const def = checked.definition;
    if (!def) {
      throw ReportErrors.definitionInvalid.create({ count: checked.issues.length }, { fields: checked.issues });
    }
    const latest = await tx.db
      .selectFrom('baton_report_definition')
      .select(['version', 'hash'])
      .where('pack', '=', def.pack)
      .where('key', '=', def.key)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest?.hash === def.hash) {
      // Publishing again puts back an index that went missing (dropped by hand, restored backup).
      const { index } = await indexReport(tx, def);
      return { pack: def.pack, key: def.key, version: Number(latest.version), hash: def.hash, unchanged: true, index };
    }
    const version = Number(latest?.version ?? 0) + 1;
    await tx.db
      .insertInto('baton_report_definition')
      .values({
        pack: def.pack,
        key: def.key,
        version,
        form: `${def.form.pack}.${def.form.key}`,
        definition: toJson(tx.db, def),
        hash: def.hash,
        publishedAt: instant(tx.clock.now()),
        publishedBy: actorName(tx),
      })
      .execute();
    const { index } = await indexReport(tx, def);
    return { pack: def.pack, key: def.key, version, hash: def.hash, unchanged: false, index };
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/** A published report (latest, or the given version); REPORT_NOT_FOUND otherwise. */
export async function getReport(ctx: DbCtx, input: ReportRef): Promise<PublishedReport> {
  const data = parseOp(refSchema, input);
  let query = ctx.db
    .selectFrom('baton_report_definition')
    .select(['version', 'definition', 'publishedAt', 'publishedBy'])
    .where('pack', '=', data.pack)
    .where('key', '=', data.key);
  query =
    data.version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', data.version);
  const row = await query.executeTakeFirst();
  if (!row) throw ReportErrors.notFound.create({ report: `${data.pack}.${data.key}` });
  return {
    definition: deepFreeze(fromJson<ReportDefinition>(row.definition)),
    version: Number(row.version),
    publishedAt: String(row.publishedAt),
    publishedBy: row.publishedBy,
  };
}

export type ReportVersion = PublishedReport & { hash: string };

/** Every published version of a report, newest first; REPORT_NOT_FOUND when there is none. */
export async function listReportVersions(ctx: DbCtx, input: { pack: string; key: string }): Promise<ReportVersion[]> {
  const data = parseOp(z.strictObject({ pack: KEY, key: KEY }), input);
  const rows = await ctx.db
    .selectFrom('baton_report_definition')
    .select(['version', 'definition', 'hash', 'publishedAt', 'publishedBy'])
    .where('pack', '=', data.pack)
    .where('key', '=', data.key)
    .orderBy('version', 'desc')
    .execute();
  if (rows.length === 0) throw ReportErrors.notFound.create({ report: `${data.pack}.${data.key}` });
  return rows.map((row) => ({
    definition: deepFreeze(fromJson<ReportDefinition>(row.definition)),
    version: Number(row.version),
    hash: row.hash,
    publishedAt: String(row.publishedAt),
    publishedBy: row.publishedBy,
  }));
}

export type ReportSummary = {
  pack: string;
  key: string;
  version: number;
  form: string;
  label: Label;
  hash: string;
  publishedAt: string;
};

/** The latest version of every published report (optionally of one form), ordered by pack and key. */
export async function listReports(ctx: DbCtx, input: { form?: string } = {}): Promise<ReportSummary[]> {
  let query = ctx.db
    .selectFrom('baton_report_definition')
    .select(['pack', 'key', 'version', 'form', 'definition', 'hash', 'publishedAt'])
    .orderBy('pack')
    .orderBy('key')
    .orderBy('version', 'desc');
  if (input.form !== undefined) query = query.where('form', '=', input.form);
  const rows = await query.execute();
  const seen = new Set<string>();
  const out: ReportSummary[] = [];
  for (const row of rows) {
    const id = `${row.pack}.${row.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      pack: row.pack,
      key: row.key,
      version: Number(row.version),
      form: row.form,
      label: fromJson<ReportDefinition>(row.definition).label,
      hash: row.hash,
      publishedAt: String(row.publishedAt),
    });
  }
  return out;
}

/** A definition handed in, or the published one a ref names. */
export async function definitionOf(ctx: DbCtx, report: ReportDefinition | ReportRef): Promise<ReportDefinition> {
  if (isRecord(report) && 'measures' in report && 'hash' in report) return report as ReportDefinition;
  return (await getReport(ctx, report as ReportRef)).definition;
}

// ---- pins ----------------------------------------------------------------------------------------------------

export type Pin = { pack: string; key: string; params: Record<string, unknown> | null; sort: number; pinnedAt: string };

const pinSchema = z.strictObject({
  memberId: z.string().min(1).max(64),
  pack: KEY,
  key: KEY,
  params: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** Checks saved parameters against the report (departments are not expanded: they are expanded when it runs). */
async function checkParams(ctx: DbCtx, ref: ReportRef, params: unknown, path: (string | number)[]): Promise<void> {
  const report = await getReport(ctx, ref);
  const plan = await planFor(ctx, report.definition);
  try {
    await resolveParams(ctx, plan.compiled, params ?? {}, { expand: false });
  } catch (error) {
    if (!ReportErrors.paramInvalid.is(error)) throw error;
    throw ReportErrors.paramInvalid.create(
      {},
      { fields: error.fields.map((f: FieldIssue) => ({ ...f, path: [...path, ...f.path] })) },
    );
  }
}

/** Pins a published report to a member's portal with saved parameters (pinning again replaces them). */
export async function pinReport(
  ctx: DbCtx,
  input: { memberId: string; pack: string; key: string; params?: Record<string, unknown> | null },
): Promise<Pin> {
  const data = parseOp(pinSchema, input);
  return withTx(ctx, async (tx) => {
    await checkParams(tx, { pack: data.pack, key: data.key }, data.params, []);
    const last = await tx.db
      .selectFrom('baton_report_pin')
      .select((eb) => eb.fn.max('sort').as('sort'))
      .where('memberId', '=', data.memberId)
      .executeTakeFirst();
    const existing = await tx.db
      .selectFrom('baton_report_pin')
      .select('sort')
      .where('memberId', '=', data.memberId)
      .where('pack', '=', data.pack)
      .where('key', '=', data.key)
      .executeTakeFirst();
    const sort = existing ? Number(existing.sort) : Number(last?.sort ?? 0) + 1;
    const pinnedAt = instant(tx.clock.now());
    await upsert(
      tx.db,
      'baton_report_pin',
      {
        memberId: data.memberId,
        pack: data.pack,
        key: data.key,
        params: data.params ? (toJson(tx.db, data.params) as unknown as string) : null,
        sort,
        pinnedAt,
      },
      { conflict: ['memberId', 'pack', 'key'], update: ['params', 'pinnedAt'] },
    ).execute();
    return { pack: data.pack, key: data.key, params: data.params ?? null, sort, pinnedAt };
  });
}

export async function unpinReport(
  ctx: DbCtx,
  input: { memberId: string; pack: string; key: string },
): Promise<boolean> {
  const data = parseOp(pinSchema, input);
  const result = await ctx.db
    .deleteFrom('baton_report_pin')
    .where('memberId', '=', data.memberId)
    .where('pack', '=', data.pack)
    .where('key', '=', data.key)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listPins(ctx: DbCtx, input: { memberId: string }): Promise<Pin[]> {
  const rows = await ctx.db
    .selectFrom('baton_report_pin')
    .select(['pack', 'key', 'params', 'sort', 'pinnedAt'])
    .where('memberId', '=', input.memberId)
    .orderBy('sort')
    .orderBy('pack')
    .orderBy('key')
    .execute();
  return rows.map((row) => ({
    pack: row.pack,
    key: row.key,
    params: fromJson<Record<string, unknown> | null>(row.params),
    sort: Number(row.sort),
    pinnedAt: String(row.pinnedAt),
  }));
}

// ---- dashboards -------------------------------------------------------------------------------------------------

export type DashboardItem = {
  pack: string;
  key: string;
  params?: Record<string, unknown>;
  chart?: ChartKind;
  /** Width on a 24-column grid. */
  span: number;
};

export type Dashboard = {
  key: string;
  role: string;
  label: Label;
  items: DashboardItem[];
  sort: number;
  version: number;
  updatedAt: string;
};

const label = z.strictObject({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) });
const itemSchema = z.strictObject({
  pack: KEY,
  key: KEY,
  params: z.record(z.string(), z.unknown()).optional(),
  chart: z.enum(chartKinds).optional(),
  span: z.number().int().min(1).max(24).default(12),
});
const dashboardSchema = z.strictObject({
  key: KEY.refine((key) => keyProblem(key) === undefined, 'a camelCase key'),
  role: z.string().min(1).max(64),
  label,
  items: z.array(itemSchema).max(40),
  sort: z.number().int().min(0).max(100_000).default(0),
  /** The version being replaced; absent to create. */
  version: z.number().int().min(1).optional(),
});
export type DashboardInput = z.input<typeof dashboardSchema>;

function toDashboard(row: {
  key: string;
  role: string;
  labelZh: string;
  labelEn: string;
  items: string;
  sort: number;
  version: number;
  updatedAt: string;
}): Dashboard {
  return {
    key: row.key,
    role: row.role,
    label: { zh: row.labelZh, en: row.labelEn },
    items: fromJson<DashboardItem[]>(row.items),
    sort: Number(row.sort),
    version: Number(row.version),
    updatedAt: String(row.updatedAt),
  };
}

/**
 * Creates (no `version`) or replaces (`version` = the one read) a role's dashboard. Every item must name a
 * published report and carry parameters it accepts. A stale version is DB_VERSION_CONFLICT.
 */
export async function saveDashboard(ctx: DbCtx, input: DashboardInput): Promise<Dashboard> {
  const data = parseOp(dashboardSchema, input);
  return withTx(ctx, async (tx) => {
    for (const [index, item] of data.items.entries()) {
      await checkParams(tx, { pack: item.pack, key: item.key }, item.params, ['items', index]);
    }
    const now = instant(tx.clock.now());
    const values = {
      role: data.role,
      labelZh: data.label.zh,
      labelEn: data.label.en,
      items: toJson(tx.db, data.items),
      sort: data.sort,
      updatedAt: now,
      updatedBy: actorName(tx),
    };
    if (data.version === undefined) {
      const clash = await tx.db
        .selectFrom('baton_report_dashboard')
        .select('key')
        .where('key', '=', data.key)
        .executeTakeFirst();
      if (clash) throw DbErrors.versionConflict.create();
      await tx.db
        .insertInto('baton_report_dashboard')
        .values({ key: data.key, version: 1, ...values })
        .execute();
    } else {
      const result = await tx.db
        .updateTable('baton_report_dashboard')
        .set({ ...values, version: data.version + 1 })
        .where('key', '=', data.key)
        .where('version', '=', data.version)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        const exists = await tx.db
          .selectFrom('baton_report_dashboard')
          .select('key')
          .where('key', '=', data.key)
          .executeTakeFirst();
        throw exists ? DbErrors.versionConflict.create() : ReportErrors.dashboardNotFound.create({ key: data.key });
      }
    }
    return getDashboard(tx, { key: data.key });
  });
}

export async function getDashboard(ctx: DbCtx, input: { key: string }): Promise<Dashboard> {
  const row = await ctx.db
    .selectFrom('baton_report_dashboard')
    .selectAll()
    .where('key', '=', input.key)
    .executeTakeFirst();
  if (!row) throw ReportErrors.dashboardNotFound.create({ key: input.key });
  return toDashboard(row);
}

export async function deleteDashboard(ctx: DbCtx, input: { key: string }): Promise<void> {
  const result = await ctx.db.deleteFrom('baton_report_dashboard').where('key', '=', input.key).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw ReportErrors.dashboardNotFound.create({ key: input.key });
}

/** Dashboards, all or those of some roles (by role code), by sort then key. */
export async function listDashboards(ctx: DbCtx, input: { roles?: readonly string[] } = {}): Promise<Dashboard[]> {
  if (input.roles && input.roles.length === 0) return [];
  let query = ctx.db.selectFrom('baton_report_dashboard').selectAll().orderBy('sort').orderBy('key');
  if (input.roles) query = query.where('role', 'in', [...input.roles]);
  return (await query.execute()).map(toDashboard);
}

/** A member's portal: their pins, and the dashboards of the enabled roles they hold. */
export async function portalOf(
  ctx: DbCtx,
  input: { memberId: string },
): Promise<{ pins: Pin[]; dashboards: Dashboard[] }> {
  const assignments = await listRoleAssignments(ctx, { memberId: input.memberId });
  const held = new Set(assignments.map((a) => a.roleId));
  const roles = (await listRoles(ctx)).filter((role) => role.enabled && held.has(role.id)).map((role) => role.code);
  return { pins: await listPins(ctx, input), dashboards: await listDashboards(ctx, { roles }) };
}
