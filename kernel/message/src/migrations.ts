import { defineMigrations } from '@baton/db';

export const messageMigrations = defineMigrations('message', [
  {
    name: '0001_inbox_preferences',
    async up(db, t) {
      await db.schema
        .createTable('baton_message_item')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('recipient_id', t.text, (c) => c.notNull())
        .addColumn('kind', t.text, (c) => c.notNull())
        .addColumn('title_zh', t.text, (c) => c.notNull())
        .addColumn('title_en', t.text, (c) => c.notNull())
        .addColumn('body_zh', t.text)
        .addColumn('body_en', t.text)
        .addColumn('link', t.text)
        .addColumn('send_key', t.text, (c) => c.notNull())
        .addColumn('read_at', t.instant)
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addUniqueConstraint('baton_message_item_send', ['send_key', 'recipient_id'])
        .execute();
      // The inbox list walks ids downwards per recipient; the unread count filters on read_at.
      await db.schema
        .createIndex('baton_message_item_inbox')
        .on('baton_message_item')
        .columns(['recipient_id', 'id'])
        .execute();
      await db.schema
        .createIndex('baton_message_item_unread')
        .on('baton_message_item')
        .columns(['recipient_id', 'read_at'])
        .execute();

      await db.schema
        .createTable('baton_message_preference')
        .addColumn('member_id', t.text, (c) => c.notNull())
        .addColumn('kind', t.text, (c) => c.notNull())
        .addColumn('channel', t.text, (c) => c.notNull())
        .addColumn('enabled', t.boolean, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('baton_message_preference_pk', ['member_id', 'kind', 'channel'])
        .execute();

      await db.schema
        .createTable('baton_message_delivery')
        .addColumn('send_key', t.text, (c) => c.notNull())
        .addColumn('recipient_id', t.text, (c) => c.notNull())
        .addColumn('channel', t.text, (c) => c.notNull())
        .addColumn('delivered_at', t.instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('baton_message_delivery_pk', ['send_key', 'recipient_id', 'channel'])
        .execute();
    },
  },
]);
