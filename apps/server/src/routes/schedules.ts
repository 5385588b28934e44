import { appendAudit, definePermission } from '@baton/access';
import { CoreErrors } from '@baton/core';
import { type Db, withTx } from '@baton/db';
import { browseTimers, countTimers, listSchedules, setScheduleEnabled, type Timer } from '@baton/schedule';
import * as z from 'zod';
import { requestCtx } from '../ctx.ts';
import { refusals } from '../problem.ts';
import { defineRoutes, type Permission, type RoutePlugin } from '../routes.ts';

// The schedule engine for administrators (mounted at /api/schedules): recurring schedules with their next and
// last occurrence, timers by topic and state, the pending and failed timers with their lease and last error,
// and pausing or resuming a recurring schedule (audited). Timers themselves are read only: the engines that
// arm them (flow deadlines, timed rules) own them.

export const SchedulePermissions = {
  admin: definePermission('schedule.admin', {
    zh: '管理定时任务：查看定时计划与定时器，暂停或恢复定时计划',
    en: 'Administer schedules: view recurring schedules and timers, pause or resume a schedule',
  }) as Permission,
} as const;

const tags = ['schedules'];
const timerState = z.enum(['pending', 'done', 'failed', 'cancelled']);

const occurrenceView = z.object({
  dueAt: z.string(),
  state: timerState,
  attempts: z.number(),
  lastError: z.string().nullable(),
  doneAt: z.string().nullable(),
  leaseOwner: z.string().nullable(),
  leaseUntil: z.string().nullable(),
});
const scheduleView = z.object({
  key: z.string(),
  cron: z.string(),
  timeZone: z.string(),
  topic: z.string(),
  enabled: z.boolean(),
  nextDueAt: z.string().nullable(),
  updatedAt: z.string(),
  lastOccurrence: occurrenceView.nullable(),
});
const timerView = z.object({
  id: z.string(),
  topic: z.string(),
  key: z.string(),
  dueAt: z.string(),
  state: timerState,
  attempts: z.number(),
  leaseOwner: z.string().nullable(),
  leaseUntil: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
});

// Payloads stay out of the view: they are the arming engine's business (ids of tasks and records).
function timerOf(timer: Timer): z.infer<typeof timerView> {
  const { id, topic, key, dueAt, state, attempts, leaseOwner, leaseUntil, lastError, createdAt, doneAt } = timer;
  return { id, topic, key, dueAt, state, attempts, leaseOwner, leaseUntil, lastError, createdAt, doneAt };
}

/** A page cursor: the last row's due time and id. */
const cursorOf = (next: { dueAt: string; id: string }) => Buffer.from(JSON.stringify(next)).toString('base64url');
function parseCursor(cursor: string | undefined) {
  if (!cursor) return undefined;
  try {
    return z
      .strictObject({ dueAt: z.string().max(40), id: z.string().max(64) })
      .parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw CoreErrors.validation.create(
      {},
      { fields: [{ path: ['cursor'], code: 'invalid', message: 'not a cursor' }] },
    );
  }
}

export function schedulesRoutes(options: { db: Db }): RoutePlugin {
  const { db } = options;
  const config = { policy: SchedulePermissions.admin };
  return defineRoutes({
    name: 'schedules',
    prefix: '/schedules',
    register: async (app) => {
      app.get(
        '/',
        {
          config,
          schema: {
            tags,
            summary:
              'Every recurring schedule with its next and latest occurrence, and timer counts by topic and state',
            response: {
              200: z.object({
                schedules: z.array(scheduleView),
                counts: z.array(z.object({ topic: z.string(), state: timerState, count: z.number() })),
                now: z.string(),
              }),
              ...refusals,
            },
          },
        },
        async (request) => {
          const ctx = requestCtx(request, db);
          const schedules = await listSchedules(ctx);
          return {
            schedules: schedules.map(
              ({ key, cron, timeZone, topic, enabled, nextDueAt, updatedAt, lastOccurrence }) => ({
                key,
                cron,
                timeZone,
                topic,
                enabled,
                nextDueAt,
                updatedAt,
                lastOccurrence,
              }),
            ),
            counts: await countTimers(ctx),
            now: ctx.clock.now().toISOString(),
          };
        },
      );

      app.get(
        '/timers',
        {
          config,
          schema: {
            tags,
            summary:
              'Timers in one state (default pending), of one topic or all, earliest due first (cursor-paginated)',
            querystring: z.strictObject({
              state: timerState.default('pending'),
              topic: z.string().min(1).max(100).optional(),
              cursor: z.string().min(1).max(300).optional(),
              limit: z.coerce.number().int().min(1).max(200).optional(),
            }),
            response: {
              200: z.object({ items: z.array(timerView), nextCursor: z.string().nullable(), now: z.string() }),
              ...refusals,
            },
          },
        },
        async (request) => {
          const { state, topic, cursor, limit } = request.query;
          const after = parseCursor(cursor);
          const page = await browseTimers(requestCtx(request, db), {
            state,
            ...(topic ? { topic } : {}),
            ...(after ? { after } : {}),
            ...(limit ? { limit } : {}),
          });
          return {
            items: page.timers.map(timerOf),
            nextCursor: page.next ? cursorOf(page.next) : null,
            now: page.now,
          };
        },
      );

      app.put(
        '/recurring/:key/enabled',
        {
          config,
          schema: {
            tags,
            summary:
              'Pause (false) or resume (true) a recurring schedule; resuming skips occurrences missed while paused (audited)',
            params: z.strictObject({ key: z.string().min(1).max(200) }),
            body: z.strictObject({ enabled: z.boolean() }),
            response: {
              200: z.object({ schedule: scheduleView.omit({ lastOccurrence: true }), changed: z.boolean() }),
              ...refusals,
            },
          },
        },
        async (request) =>
          withTx(requestCtx(request, db), async (tx) => {
            const { schedule, changed } = await setScheduleEnabled(tx, {
              key: request.params.key,
              enabled: request.body.enabled,
            });
            if (changed) {
              await appendAudit(tx, {
                action: request.body.enabled ? 'schedule.resume' : 'schedule.pause',
                target: { type: 'schedule', id: schedule.key },
                ip: request.ip,
                detail: { topic: schedule.topic, cron: schedule.cron, nextDueAt: schedule.nextDueAt },
              });
            }
            const { key, cron, timeZone, topic, enabled, nextDueAt, updatedAt } = schedule;
            return { schedule: { key, cron, timeZone, topic, enabled, nextDueAt, updatedAt }, changed };
          }),
      );
    },
  });
}
