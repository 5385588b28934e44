import { createHash } from 'node:crypto';
import { type DbCtx, fromJson, renewStamp, stampOf } from '@baton/db';
import { type CompiledForm, compileForm, type FormDefinition } from './definition.ts';
import { FormErrors } from './errors.ts';
import type { ColumnKind } from './field-types/define.ts';

/** Where a field's value lives: its column, the field type and column kind it was stored with. */
export type ColumnInfo = { column: string; type: string; kind: ColumnKind };

export type TableStorage = {
  table: string;
  /** Visible fields by key. */
  columns: Record<string, ColumnInfo>;
  /** Columns of removed fields, kept with their data, by the key they last had. */
  hidden: Record<string, ColumnInfo>;
};

/** The physical layout of a published version. */
export type Storage = {
  main: TableStorage;
  subtables: Record<string, TableStorage>;
  /** Removed subtables: tables kept. */
  hiddenSubtables: Record<string, TableStorage>;
};

export type PublishedForm = {
  readonly version: number;
  readonly form: CompiledForm;
  readonly storage: Storage;
  /** The publish stamp read with this version: a write checks, in its own statement, that it is still current. */
  readonly stamp: string | null;
};

/** A short, stable index name (PostgreSQL index names are schema-wide and limited to 63 bytes). */
export function indexName(table: string, columns: readonly string[], unique: boolean): string {
  const digest = createHash('sha256')
    .update(`${table}(${columns.join(',')})`)
    .digest('hex')
    .slice(0, 20);
  return `${unique ? 'fu' : 'fx'}_${digest}`;
}

const cache = new Map<string, CompiledForm>();

function compiledOf(hash: string, definition: string): CompiledForm {
  const hit = cache.get(hash);
  if (hit) return hit;
  const compiled = compileForm(fromJson<FormDefinition>(definition));
  if (cache.size > 500) cache.clear();
  cache.set(hash, compiled);
  return compiled;
}

// The latest version of each form, cached per process under the random stamp of baton_form_publish_stamp, which
// every publish replaces in its own transaction (a stamp rolled back never comes back; none is reused). A caller
// that brought the stamp along with a read it makes anyway (formPublishStamp(), as the flow engine's snapshot
// does) finds the latest version without a statement while nothing was published. Whether it came from the cache
// or was just read, a version may be overtaken by a publish before the record is written, so every record write
// returns the stamp as its own statement sees it and refuses when it is no longer the version's
// (FORM_PUBLISHED_MEANWHILE): the publish alters the form's tables, so a write either sees its stamp or makes the
// publish wait for its transaction.
const latestByStamp = new Map<string, Map<string, PublishedForm>>();

/** The forms' publish stamp, as a scalar subquery of another engine's read. */
export const formPublishStamp = () => stampOf('baton_form_publish_stamp', 'forms');

/** Replaces the publish stamp: every process reads the latest versions again after this commits. */
export async function newPublishStamp(ctx: DbCtx): Promise<void> {
  await renewStamp(ctx, 'baton_form_publish_stamp', 'forms');
}

/**
 * The latest published version of pack.key, or undefined. Every record read and write starts here, so the
 * definition (the large part) is fetched only when its hash is not compiled in this process yet, and with the
 * publish stamp (formPublishStamp) read by the caller, the version itself comes from this process's cache while
 * no publish has replaced the stamp.
 */
export async function latestPublished(
  ctx: DbCtx,
  pack: string,
  key: string,
  stamp?: string,
): Promise<PublishedForm | undefined> {
  const cached = stamp ? latestByStamp.get(stamp)?.get(`${pack}.${key}`) : undefined;
  if (cached) return cached;
  const published = await readLatest(ctx, pack, key);
  // Kept under the stamp read with it: the one a later caller brings while nothing is published.
  if (published?.stamp) {
    let forms = latestByStamp.get(published.stamp);
    if (!forms) {
      // Older stamps are dead once a newer one is seen; a few are kept for actions still running on them.
      if (latestByStamp.size >= 8) latestByStamp.delete(latestByStamp.keys().next().value as string);
      forms = new Map();
      latestByStamp.set(published.stamp, forms);
    }
    forms.set(`${pack}.${key}`, published);
  }
  return published;
}

async function readLatest(ctx: DbCtx, pack: string, key: string): Promise<PublishedForm | undefined> {
  const row = await ctx.db
    .selectFrom('baton_form_definition')
    .select(['version', 'storage', 'hash'])
    .select(formPublishStamp().as('stamp'))
    .where('pack', '=', pack)
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const version = Number(row.version);
  let form = cache.get(row.hash);
  if (!form) {
    const stored = await ctx.db
      .selectFrom('baton_form_definition')
      .select('definition')
      .where('pack', '=', pack)
      .where('key', '=', key)
      .where('version', '=', version)
      .executeTakeFirstOrThrow();
    form = compiledOf(row.hash, stored.definition);
  }
  return { version, form, storage: fromJson<Storage>(row.storage), stamp: row.stamp ?? null };
}

/**
 * What a record write returns beside its row: the publish stamp as its own statement sees it. A leading underscore
 * no field's column can have (keys start with a letter); the plugin maps the name back as `_PublishStamp`.
 */
export const stampAlias = '_publish_stamp';
const stampKey = '_PublishStamp';

/** The stamp as the write's own statement sees it, for its RETURNING. */
export function stampReturned() {
  return { [stampAlias]: formPublishStamp() };
}

/** Refuses a write whose statement saw another publish stamp than the version it was prepared with. */
export function assertStillLatest(published: PublishedForm, row: Record<string, unknown>): void {
  const seen = row[stampKey] ?? null;
  delete row[stampKey];
  if (published.stamp !== null && seen !== published.stamp) {
    throw FormErrors.publishedMeanwhile.create({ form: `${published.form.def.pack}.${published.form.def.key}` });
  }
}

export async function requirePublished(ctx: DbCtx, pack: string, key: string, stamp?: string): Promise<PublishedForm> {
  if (typeof pack !== 'string' || typeof key !== 'string') throw FormErrors.notPublished.create({ form: '?' });
  const published = await latestPublished(ctx, pack, key, stamp);
  if (!published) throw FormErrors.notPublished.create({ form: `${pack}.${key}` });
  return published;
}
