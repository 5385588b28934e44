import type { ServerResponse } from 'node:http';
import { definePermission } from '@baton/access';
import { CoreErrors } from '@baton/core';
import type { Db } from '@baton/db';
import {
  channelNames,
  countUnread,
  getPreferences,
  listDeadLetters,
  listMessages,
  type MessageBus,
  markAllRead,
  markRead,
  retryDeadLetter,
  setPreferences,
} from '@baton/message';
import type { FastifyRequest } from 'fastify';
import * as z from 'zod';
import { audited, requestCtx } from '../ctx.ts';
import { refusals } from '../problem.ts';
import { defineRoutes, type Permission, type RoutePlugin } from '../routes.ts';

// A member's own inbox, unread badge (pushed over SSE), and channel choices; administrators see the
// outbox rows that gave up (dead letters) and may queue one again. Inbox routes need only a signed-in
// member and act on that member alone: no route takes a member id from the request.

export const MessagePermissions = {
  admin: definePermission('message.admin', {
    zh: '管理消息投递：查看死信并重新投递',
    en: 'Administer message delivery: view dead letters and retry them',
  }) as Permission,
} as const;

export type MessagesRoutesOptions = {
  db: Db;
  /** Where unread counts travel between processes; the worker's message handler publishes on the same bus. */
  bus: MessageBus;
  /** How often an idle stream sends a comment line so proxies keep it open (default 25 s). */
  heartbeatMs?: number;
};

const tags = ['messages'];
const bilingual = z.object({ zh: z.string(), en: z.string() });
const messageView = z.object({
  id: z.string(),
  kind: z.string(),
  title: bilingual,
  body: bilingual.nullable(),
  link: z.string().nullable(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
});
const preferenceView = z.object({ kind: z.string(), channel: z.string(), enabled: z.boolean() });
const preferencesView = z.object({ channels: z.array(z.string()), preferences: z.array(preferenceView) });
const deadLetterView = z.object({
  id: z.string(),
  topic: z.string(),
  key: z.string(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  payload: z.unknown(),
});
const idParams = z.strictObject({ id: z.string().min(1).max(64) });
const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

function me(request: FastifyRequest): string {
  if (!request.caller) throw CoreErrors.unauthenticated.create();
  return request.caller.memberId;
}

export function messagesRoutes(options: MessagesRoutesOptions): RoutePlugin {
  const { db, bus } = options;
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  const member = { policy: 'authenticated' as const };
  const admin = { policy: MessagePermissions.admin };

  async function pushUnread(request: FastifyRequest, memberId: string, unread: number) {
    try {
      await bus.publish({ memberId, unread });
    } catch (error) {
      // The change is committed; a lost push only delays the badge until the next change or reconnect.
      request.log.warn({ err: error }, 'unread push failed');
    }
  }

  return defineRoutes({
    name: 'messages',
    prefix: '/messages',
    register: async (app) => {
      const streams = new Set<ServerResponse>();
      // Open streams never go idle, so a closing server ends them itself instead of waiting on them.
      app.addHook('onClose', async () => {
        for (const stream of streams) stream.end();
      });

      app.get(
        '/',
        {
          config: member,
          schema: {
            tags,
            summary: 'My messages, newest first (cursor-paginated)',
            querystring: z.strictObject({
              cursor: z.string().min(1).max(64).optional(),
              limit: z.coerce.number().int().min(1).max(100).optional(),
              unreadOnly: boolQuery.optional(),
            }),
            response: {
              200: z.object({ items: z.array(messageView), nextCursor: z.string().nullable() }),
              ...refusals,
            },
          },
        },
        async (request) => listMessages(requestCtx(request, db), { memberId: me(request), ...request.query }),
      );

      app.get(
        '/unread-count',
        {
          config: member,
          schema: {
            tags,
            summary: 'How many of my messages are unread',
            response: { 200: z.object({ unread: z.number() }), ...refusals },
          },
        },
        async (request) => ({ unread: await countUnread(requestCtx(request, db), { memberId: me(request) }) }),
      );

      app.post(
        '/:id/read',
        {
          config: member,
          schema: {
            tags,
            summary: 'Mark one of my messages read',
            params: idParams,
            response: { 200: z.object({ changed: z.boolean(), unread: z.number() }), ...refusals },
          },
        },
        async (request) => {
          const memberId = me(request);
          const result = await markRead(requestCtx(request, db), { memberId, id: request.params.id });
          if (result.changed) await pushUnread(request, memberId, result.unread);
          return result;
        },
      );

      app.post(
        '/read-all',
        {
          config: member,
          schema: {
            tags,
            summary: 'Mark all my messages read',
            response: { 200: z.object({ updated: z.number(), unread: z.number() }), ...refusals },
          },
        },
        async (request) => {
          const memberId = me(request);
          const ctx = requestCtx(request, db);
          const { updated } = await markAllRead(ctx, { memberId });
          const unread = await countUnread(ctx, { memberId });
          if (updated > 0) await pushUnread(request, memberId, unread);
          return { updated, unread };
        },
      );

      app.get(
        '/stream',
        {
          config: member,
          schema: {
            tags,
            summary: 'Server-sent events: `unread` with my unread count on connect and on every change',
            response: { 200: z.string().describe('text/event-stream'), ...refusals },
          },
        },
        async (request, reply) => {
          const memberId = me(request);
          const res = reply.raw;
          let sent = -1;
          const send = (unread: number) => {
            if (unread === sent || res.writableEnded) return;
            sent = unread;
            res.write(`event: unread\ndata: ${JSON.stringify({ unread })}\n\n`);
          };
          let initialised = false;
          let missed = false;
          // Subscribe before counting so a change between the two is not lost.
          const unsubscribe = bus.subscribe(memberId, (event) => {
            if (initialised) send(event.unread);
            else missed = true;
          });
          let unread: number;
          try {
            unread = await countUnread(requestCtx(request, db), { memberId });
          } catch (error) {
            unsubscribe();
            throw error;
          }
          // The client may have gone while we counted: its close event has passed already.
          if (request.raw.destroyed || res.destroyed) {
            unsubscribe();
            return reply.hijack();
          }
          reply.hijack();
          res.writeHead(200, {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache, no-transform',
            connection: 'keep-alive',
            // nginx would otherwise buffer the stream.
            'x-accel-buffering': 'no',
            'x-content-type-options': 'nosniff',
          });
          res.write('retry: 5000\n\n');
          send(unread);
          initialised = true;
          streams.add(res);
          const heartbeat = setInterval(() => {
            if (!res.writableEnded) res.write(': ping\n\n');
          }, heartbeatMs);
          heartbeat.unref();
          // The response closes when the client goes away or the server ends the stream.
          res.once('close', () => {
            clearInterval(heartbeat);
            unsubscribe();
            streams.delete(res);
          });
          // A change published while we counted may be newer than our count: count once more.
          if (missed) {
            await countUnread(requestCtx(request, db), { memberId }).then(send, (error: unknown) => {
              request.log.warn({ err: error }, 'unread recount failed');
            });
          }
        },
      );

      app.get(
        '/preferences',
        {
          config: member,
          schema: {
            tags,
            summary: 'My channel choices per message kind (`*` = every kind without its own rule)',
            response: { 200: preferencesView, ...refusals },
          },
        },
        async (request) => ({
          channels: [...channelNames],
          preferences: await getPreferences(requestCtx(request, db), { memberId: me(request) }),
        }),
      );

      app.put(
        '/preferences',
        {
          config: member,
          schema: {
            tags,
            summary: 'Replace my channel choices',
            body: z.strictObject({
              preferences: z
                .array(z.strictObject({ kind: z.string().max(64), channel: z.string().max(32), enabled: z.boolean() }))
                .max(500),
            }),
            response: { 200: preferencesView, ...refusals },
          },
        },
        async (request) => ({
          channels: [...channelNames],
          preferences: await setPreferences(requestCtx(request, db), {
            memberId: me(request),
            preferences: request.body.preferences,
          }),
        }),
      );

      app.get(
        '/dead-letters',
        {
          config: admin,
          schema: {
            tags,
            summary: 'Outbox rows that used up their attempts, newest first (cursor-paginated)',
            querystring: z.strictObject({
              cursor: z.string().min(1).max(64).optional(),
              limit: z.coerce.number().int().min(1).max(100).optional(),
              topic: z.string().min(1).max(100).optional(),
            }),
            response: {
              200: z.object({ items: z.array(deadLetterView), nextCursor: z.string().nullable() }),
              ...refusals,
            },
          },
        },
        async (request) => listDeadLetters(requestCtx(request, db), request.query),
      );

      app.post(
        '/dead-letters/:id/retry',
        {
          config: admin,
          schema: {
            tags,
            summary: 'Queue a dead letter again with fresh attempts (audited)',
            params: idParams,
            response: { 200: z.object({ id: z.string(), topic: z.string() }), ...refusals },
          },
        },
        async (request) =>
          audited(
            requestCtx(request, db),
            request,
            (tx) => retryDeadLetter(tx, { id: request.params.id }),
            (row) => ({
              action: 'message.deadLetter.retry',
              target: { type: 'outbox', id: row.id },
              detail: { topic: row.topic },
            }),
          ),
      );
    },
  });
}
