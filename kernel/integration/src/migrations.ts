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
]);
