import { fromJson, instant, toJson } from './dialect.ts';
import type { DbCtx } from './schema.ts';

// Platform settings an administrator changes at run time (session lengths, sign-in lockout, upload ceiling …),
// one JSON value per key, named `<engine>.<section>`. The store checks nothing: the engine that owns a key
// validates a value before writing it and applies its defaults when reading, so a value written by an older
// build is read through today's schema.

function actorName(ctx: DbCtx): string {
  const actor = ctx.actor;
  return actor.kind === 'member' ? actor.memberId : actor.kind === 'system' ? `system:${actor.name}` : 'anonymous';
}

/** One stored setting: the JSON value, when and by whom it was last written. */
export type StoredSetting = { key: string; value: unknown; updatedAt: string; updatedBy: string };

const KEY = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;

function checkKey(key: string): void {
  if (!KEY.test(key) || key.length > 100) throw new TypeError(`setting key "${key}" must look like access.session`);
}

/** The stored setting `key`, or undefined when it was never written (the owner's defaults apply). */
export async function readSetting(ctx: DbCtx, key: string): Promise<StoredSetting | undefined> {
  checkKey(key);
  const row = await ctx.db.selectFrom('baton_db_setting').selectAll().where('key', '=', key).executeTakeFirst();
  return row
    ? { key: row.key, value: fromJson(row.value), updatedAt: row.updatedAt, updatedBy: row.updatedBy }
    : undefined;
}

/** Writes (or replaces) the setting `key`; joins the caller's transaction. Validate `value` first. */
export async function writeSetting(ctx: DbCtx, input: { key: string; value: unknown }): Promise<StoredSetting> {
  checkKey(input.key);
  const updatedAt = instant(ctx.clock.now());
  const updatedBy = actorName(ctx);
  const value = toJson(ctx.db, input.value ?? null);
  await ctx.db
    .insertInto('baton_db_setting')
    .values({ key: input.key, value, updatedAt, updatedBy })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updatedAt, updatedBy }))
    .execute();
  return { key: input.key, value: input.value ?? null, updatedAt, updatedBy };
}
