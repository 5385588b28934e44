import { type Db, fromJson } from '@baton/db';

/**
 * The latest published definition of a form with its version, or undefined before its first publish: what a
 * request's record is filed and read with, and where public intakes and reference pickers find its fields.
 */
export async function latestForm<T = Record<string, unknown>>(
  db: Db,
  pack: string,
  key: string,
): Promise<{ version: number; definition: T } | undefined> {
  const row = await db
    .selectFrom('baton_form_definition')
    .select(['version', 'definition'])
    .where('pack', '=', pack)
    .where('key', '=', key)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { version: Number(row.version), definition: fromJson<T>(row.definition) } : undefined;
}
