import { createHash } from 'node:crypto';
import { type DbCtx, fromJson } from '@baton/db';
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

/**
 * The latest published version of pack.key, or undefined. Every record read and write starts here, so the
 * definition (the large part) is fetched only when its hash is not compiled in this process yet.
 */
export async function latestPublished(ctx: DbCtx, pack: string, key: string): Promise<PublishedForm | undefined> {
  const row = await ctx.db
    .selectFrom('baton_form_definition')
    .select(['version', 'storage', 'hash'])
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
  return { version, form, storage: fromJson<Storage>(row.storage) };
}

export async function requirePublished(ctx: DbCtx, pack: string, key: string): Promise<PublishedForm> {
  if (typeof pack !== 'string' || typeof key !== 'string') throw FormErrors.notPublished.create({ form: '?' });
  const published = await latestPublished(ctx, pack, key);
  if (!published) throw FormErrors.notPublished.create({ form: `${pack}.${key}` });
  return published;
}
