import { type ColumnTypes, createStampTable, defineMigrations } from '@baton/db';
import type { Kysely } from 'kysely';
import { createAttachmentTable } from './attachments/schema.ts';
import { createViewTable } from './views.ts';

export type FormDefinitionTable = {
  pack: string;
  key: string;
  version: number;
  /** The definition as published (JSON text). */
  definition: string;
  /** The physical layout of this version: field → column, subtable → table (JSON text). */
  storage: string;
  hash: string;
  publishedAt: string;
  publishedBy: string;
};

export type FormSerialTable = {
  /** `pack.form.field`. */
  form: string;
  /** `2026`, `2026-11`, `2026-11-28` or `-` (never reset). */
  period: string;
  /** The next number to hand out. */
  next: number;
};

/** One row whose random stamp every publish replaces: processes cache the latest versions under it. */
export type FormPublishStampTable = { id: string; stamp: string };

declare module '@baton/db' {
  interface BatonDatabase {
    baton_form_definition: FormDefinitionTable;
    baton_form_serial: FormSerialTable;
    baton_form_publish_stamp: FormPublishStampTable;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables that are not typed yet
type AnyDb = Kysely<any>;

async function init(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('baton_form_definition')
    .addColumn('pack', t.text, (c) => c.notNull())
    .addColumn('key', t.text, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('definition', t.json, (c) => c.notNull())
    .addColumn('storage', t.json, (c) => c.notNull())
    .addColumn('hash', t.text, (c) => c.notNull())
    .addColumn('published_at', t.instant, (c) => c.notNull())
    .addColumn('published_by', t.text, (c) => c.notNull())
    .addPrimaryKeyConstraint('baton_form_definition_pk', ['pack', 'key', 'version'])
    .execute();
  await db.schema
    .createTable('baton_form_serial')
    .addColumn('form', t.text, (c) => c.notNull())
    .addColumn('period', t.text, (c) => c.notNull())
    .addColumn('next', t.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('baton_form_serial_pk', ['form', 'period'])
    .execute();
}

async function publishStamp(db: AnyDb, t: ColumnTypes): Promise<void> {
  await createStampTable(db, t, 'baton_form_publish_stamp', 'forms');
}

export const formMigrations = defineMigrations('form', [
  { name: '0001_init', up: init },
  { name: '0002_attachments', up: createAttachmentTable },
  { name: '0003_views', up: createViewTable },
  { name: '0004_publish_stamp', up: publishStamp },
]);
