import { defineMigrations } from '@baton/db';

export const integrationMigrations = defineMigrations('integration', [
  {
    name: '0001_hosts_webhooks_connectors',
    async up(db, t) {
      await db.schema
        .createTable('baton_integration_allowed_host')
        .addColumn('host', t.text, (c) => c.primaryKey())
        .addColumn('note', t.text)
        .addColumn('created_by', t.text)
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('baton_integration_webhook')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('url', t.text, (c) => c.notNull())
        .addColumn('secret', t.text, (c) => c.notNull())
        .addColumn('events', t.json, (c) => c.notNull())
        .addColumn('enabled', t.boolean, (c) => c.notNull())
        .addColumn('created_by', t.text)
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('baton_integration_connector')
        .addColumn('name', t.text, (c) => c.primaryKey())
        .addColumn('kind', t.text, (c) => c.notNull())
        .addColumn('config', t.json, (c) => c.notNull())
        .addColumn('enabled', t.boolean, (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
    },
  },
  {
    name: '0002_intake',
    async up(db, t) {
      await db.schema
        .createTable('baton_integration_intake')
        .addColumn('key', t.text, (c) => c.primaryKey())
        .addColumn('name', t.json, (c) => c.notNull())
        .addColumn('form_pack', t.text, (c) => c.notNull())
        .addColumn('form_key', t.text, (c) => c.notNull())
        .addColumn('fields', t.json, (c) => c.notNull())
        .addColumn('owner_id', t.text, (c) => c.notNull())
        .addColumn('rate_per_hour', t.integer, (c) => c.notNull())
        .addColumn('enabled', t.boolean, (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('baton_integration_intake_hit')
        .addColumn('intake_key', t.text, (c) => c.notNull())
        .addColumn('client', t.text, (c) => c.notNull())
        .addColumn('window_start', t.instant, (c) => c.notNull())
        .addColumn('count', t.integer, (c) => c.notNull())
        .addPrimaryKeyConstraint('baton_integration_intake_hit_pk', ['intake_key', 'client', 'window_start'])
        .execute();
    },
  },
]);
