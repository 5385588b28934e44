import type { DbCtx } from '@baton/db';
import type { RefKind, SheetRefs } from '@baton/form';

const tables = {
  member: 'baton_org_member',
  department: 'baton_org_department',
  unit: 'baton_org_unit',
  post: 'baton_org_post',
} as const satisfies Record<RefKind, string>;

/**
 * Org names for record exports and org ids for record imports, read from the org tables. A member is
 * found by login, code or name; a department, unit or post by code or name. Several matches are
 * returned as they are (the importer reports them as ambiguous). Reads through the caller's ctx, so inside
 * an import's transaction.
 */
export function orgSheetRefs(): SheetRefs {
  return {
    async names({ db }: Pick<DbCtx, 'db'>, kind, ids) {
      const result = new Map<string, string>();
      for (let start = 0; start < ids.length; start += 500) {
        const rows = await db
          .selectFrom(tables[kind])
          .select(['id', 'name'])
          .where('id', 'in', ids.slice(start, start + 500))
          .execute();
        for (const row of rows) result.set(row.id, row.name);
      }
      return result;
    },
    async find({ db }: Pick<DbCtx, 'db'>, kind, text) {
      const value = text.trim();
      if (!value) return [];
      if (kind === 'member') {
        const rows = await db
          .selectFrom('baton_org_member')
          .select('id')
          .where((eb) => eb.or([eb('login', '=', value.toLowerCase()), eb('code', '=', value), eb('name', '=', value)]))
          .limit(5)
          .execute();
        return rows.map((row) => row.id);
      }
      const rows = await db
        .selectFrom(tables[kind])
        .select('id')
        .where((eb) => eb.or([eb('code', '=', value), eb('name', '=', value)]))
        .limit(5)
        .execute();
      return rows.map((row) => row.id);
    },
  };
}
