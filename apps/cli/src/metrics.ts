import type { Clock } from '@baton/core';
import { type Database, instant } from '@baton/db';
import type { MetricReading } from '@baton/server';
import '@baton/schedule';

/**
 * What an operator alerts on, read from the database at scrape time: mail and webhooks piling up in the
 * outbox, dead letters, timers (deadlines, reminders, schedules) that are due but not run — each the sign
 * of a stopped or overloaded worker. Every query is an index range or a grouped count over a status column.
 */
export function platformMetricReadings(database: Database, clock: Clock): MetricReading[] {
  const { db } = database;
  const secondsSince = (iso: string | null | undefined) =>
    iso ? Math.max(0, (clock.now().getTime() - Date.parse(iso)) / 1000) : 0;
  return [
    {
      name: 'baton_outbox_messages',
      help: 'Outbox messages waiting for delivery (pending) or given up (dead), by status',
      labelNames: ['status'],
      async read() {
        const rows = await db
          .selectFrom('baton_db_outbox')
          .select(['status', db.fn.countAll<number | string>().as('n')])
          .where('status', 'in', ['pending', 'dead'])
          .groupBy('status')
          .execute();
        const counts = new Map(rows.map((r) => [r.status, Number(r.n)]));
        return ['pending', 'dead'].map((status) => ({
          labels: { status },
          value: counts.get(status as 'pending') ?? 0,
        }));
      },
    },
    {
      name: 'baton_outbox_oldest_pending_seconds',
      help: 'Age of the oldest outbox message that is available and still not delivered (delivery lag)',
      async read() {
        const row = await db
          .selectFrom('baton_db_outbox')
          .select((eb) => eb.fn.min('availableAt').as('oldest'))
          .where('status', '=', 'pending')
          .where('availableAt', '<=', instant(clock.now()))
          .executeTakeFirst();
        return [{ value: secondsSince(row?.oldest as string | null | undefined) }];
      },
    },
    {
      name: 'baton_schedule_timers_due',
      help: 'Timers whose due time has passed and that no worker has completed yet',
      async read() {
        const row = await db
          .selectFrom('baton_schedule_timer')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('state', '=', 'pending')
          .where('dueAt', '<=', instant(clock.now()))
          .executeTakeFirst();
        return [{ value: Number(row?.n ?? 0) }];
      },
    },
    {
      name: 'baton_schedule_oldest_due_seconds',
      help: 'How long the most overdue pending timer has waited past its due time',
      async read() {
        const row = await db
          .selectFrom('baton_schedule_timer')
          .select((eb) => eb.fn.min('dueAt').as('oldest'))
          .where('state', '=', 'pending')
          .where('dueAt', '<=', instant(clock.now()))
          .executeTakeFirst();
        return [{ value: secondsSince(row?.oldest as string | null | undefined) }];
      },
    },
    {
      name: 'baton_schedule_timers_failed',
      help: 'Timers whose handler failed for good (see the worker log)',
      async read() {
        const row = await db
          .selectFrom('baton_schedule_timer')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('state', '=', 'failed')
          .executeTakeFirst();
        return [{ value: Number(row?.n ?? 0) }];
      },
    },
  ];
}
