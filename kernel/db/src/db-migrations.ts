import { sql } from 'kysely';
import { defineMigrations } from './migrate.ts';

/** kernel/db's own tables. The migration record table is created by `migrate` itself. */
export const dbMigrations = defineMigrations('db', [
  {
    name: '0001_outbox',
    async up(db, t) {
      await db.schema
        .createTable('baton_db_outbox')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('payload', t.json, (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().defaultTo('pending').check(sql`status in ('pending', 'delivered', 'dead')`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('available_at', t.instant, (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', t.instant)
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('delivered_at', t.instant)
        .execute();
      await db.schema
        .createIndex('baton_db_outbox_due')
        .on('baton_db_outbox')
        .columns(['status', 'available_at'])
        .execute();
    },
  },
  {
    name: '0002_setting',
    async up(db, t) {
      await db.schema
        .createTable('baton_db_setting')
        .addColumn('key', t.text, (c) => c.primaryKey())
        .addColumn('value', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addColumn('updated_by', t.text, (c) => c.notNull())
        .execute();
    },
  },
]);
