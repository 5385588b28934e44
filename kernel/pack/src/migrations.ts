import { defineMigrations } from '@baton/db';

export const packMigrations = defineMigrations('pack', [
  {
    name: '0001_install',
    async up(db, t) {
      await db.schema
        .createTable('baton_pack_install')
        .addColumn('key', t.text, (c) => c.primaryKey())
        .addColumn('version', t.text, (c) => c.notNull())
        .addColumn('hash', t.text, (c) => c.notNull())
        .addColumn('name', t.json, (c) => c.notNull())
        .addColumn('document', t.json, (c) => c.notNull())
        .addColumn('granted', t.json, (c) => c.notNull())
        .addColumn('installed_at', t.instant, (c) => c.notNull())
        .addColumn('installed_by', t.text)
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addColumn('demo_loaded_at', t.instant)
        .execute();
    },
  },
]);
