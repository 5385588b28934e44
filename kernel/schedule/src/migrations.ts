import { defineMigrations } from '@baton/db';
import { sql } from 'kysely';

export const scheduleMigrations = defineMigrations('schedule', [
  {
    name: '0001_timer_recurring',
    async up(db, t) {
      await db.schema
        .createTable('baton_schedule_timer')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('topic', t.text, (c) => c.notNull())
        .addColumn('key', t.text, (c) => c.notNull())
        .addColumn('due_at', t.instant, (c) => c.notNull())
        .addColumn('payload', t.json, (c) => c.notNull())
        .addColumn('state', t.text, (c) =>
          c.notNull().defaultTo('pending').check(sql`state in ('pending', 'done', 'failed', 'cancelled')`),
        )
        .addColumn('attempts', t.integer, (c) => c.notNull().defaultTo(0))
        .addColumn('lease_owner', t.text)
        .addColumn('lease_token', t.text)
        .addColumn('lease_until', t.instant)
        .addColumn('last_error', t.text)
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('done_at', t.instant)
        .addUniqueConstraint('baton_schedule_timer_topic_key', ['topic', 'key'])
        .execute();
      await db.schema
        .createIndex('baton_schedule_timer_due')
        .on('baton_schedule_timer')
        .columns(['state', 'due_at'])
        .execute();

      await db.schema
        .createTable('baton_schedule_recurring')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('key', t.text, (c) => c.notNull().unique())
        .addColumn('cron', t.text, (c) => c.notNull())
        .addColumn('time_zone', t.text, (c) => c.notNull())
        .addColumn('topic', t.text, (c) => c.notNull())
        .addColumn('payload', t.json, (c) => c.notNull())
        .addColumn('next_due_at', t.instant)
        .addColumn('enabled', t.boolean, (c) => c.notNull().defaultTo(true))
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('updated_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('baton_schedule_recurring_due')
        .on('baton_schedule_recurring')
        .columns(['enabled', 'next_due_at'])
        .execute();
    },
  },
]);
