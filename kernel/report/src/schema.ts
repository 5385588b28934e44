import { type ColumnTypes, defineMigrations } from '@baton/db';
import type { Kysely } from 'kysely';

/** One published version of a report definition (reports are named `pack.key`, like forms). */
export type ReportDefinitionTable = {
  pack: string;
  key: string;
  version: number;
  /** The form the report reads, `pack.key`. */
  form: string;
  /** The normalised definition (JSON text). */
  definition: string;
  hash: string;
  publishedAt: string;
  publishedBy: string;
};

/** A report a member pinned to their portal, with the parameters they saved. */
export type ReportPinTable = {
  memberId: string;
  pack: string;
  key: string;
  /** JSON text or null. */
  params: string | null;
  sort: number;
  pinnedAt: string;
};

/** A dashboard an administrator set up for the holders of one role. */
export type ReportDashboardTable = {
  key: string;
  /** Role code. */
  role: string;
  labelZh: string;
  labelEn: string;
  /** JSON text: `[{ pack, key, params?, chart?, span? }]`. */
  items: string;
  sort: number;
  version: number;
  updatedAt: string;
  updatedBy: string;
};

/**
 * The index a report's latest version reads through (one per report): derived from its definition, created
 * by the report engine (names `rx_…`) or an equivalent one that was there already. An `rx_` index no row names
 * any more is dropped.
 */
export type ReportIndexTable = {
  pack: string;
  key: string;
  indexName: string;
  formTable: string;
  /** JSON text: the key columns of the derived index. */
  columns: string;
  /** JSON text: the covered columns (INCLUDE on PostgreSQL, trailing on SQLite). */
  include: string;
  recordedAt: string;
};

declare module '@baton/db' {
  interface BatonDatabase {
    baton_report_index: ReportIndexTable;
    baton_report_definition: ReportDefinitionTable;
    baton_report_pin: ReportPinTable;
    baton_report_dashboard: ReportDashboardTable;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables that are not typed yet
type AnyDb = Kysely<any>;

async function init(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('baton_report_definition')
    .addColumn('pack', t.text, (c) => c.notNull())
    .addColumn('key', t.text, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('form', t.text, (c) => c.notNull())
    .addColumn('definition', t.json, (c) => c.notNull())
    .addColumn('hash', t.text, (c) => c.notNull())
    .addColumn('published_at', t.instant, (c) => c.notNull())
    .addColumn('published_by', t.text, (c) => c.notNull())
    .addPrimaryKeyConstraint('baton_report_definition_pk', ['pack', 'key', 'version'])
    .execute();
  await db.schema
    .createTable('baton_report_pin')
    .addColumn('member_id', t.id, (c) => c.notNull())
    .addColumn('pack', t.text, (c) => c.notNull())
    .addColumn('key', t.text, (c) => c.notNull())
    .addColumn('params', t.json)
    .addColumn('sort', t.integer, (c) => c.notNull())
    .addColumn('pinned_at', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('baton_report_pin_pk', ['member_id', 'pack', 'key'])
    .execute();
  await db.schema
    .createTable('baton_report_dashboard')
    .addColumn('key', t.text, (c) => c.primaryKey())
    .addColumn('role', t.text, (c) => c.notNull())
    .addColumn('label_zh', t.text, (c) => c.notNull())
    .addColumn('label_en', t.text, (c) => c.notNull())
    .addColumn('items', t.json, (c) => c.notNull())
    .addColumn('sort', t.integer, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('updated_by', t.text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('baton_report_dashboard_role').on('baton_report_dashboard').column('role').execute();
}

async function indexes(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('baton_report_index')
    .addColumn('pack', t.text, (c) => c.notNull())
    .addColumn('key', t.text, (c) => c.notNull())
    .addColumn('index_name', t.text, (c) => c.notNull())
    .addColumn('form_table', t.text, (c) => c.notNull())
    .addColumn('columns', t.json, (c) => c.notNull())
    .addColumn('include', t.json, (c) => c.notNull())
    .addColumn('recorded_at', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('baton_report_index_pk', ['pack', 'key'])
    .execute();
  await db.schema.createIndex('baton_report_index_name').on('baton_report_index').column('index_name').execute();
}

export const reportMigrations = defineMigrations('report', [
  { name: '0001_init', up: init },
  { name: '0002_indexes', up: indexes },
]);
