import { type Actor, anonymousActor, type Logger } from '@baton/core';
import type { Db, DbCtx } from '@baton/db';
import type { FastifyRequest } from 'fastify';

/**
 * The operation context for one request: the caller the policy hook established, the server's
 * clock and the request's logger (so engine logs carry the request id). Handlers build it once and
 * pass it to exactly one engine operation, which opens and commits its own transaction.
 */
export function requestCtx(request: FastifyRequest, db: Db): DbCtx {
  const actor: Actor = request.caller
    ? { kind: 'member', memberId: request.caller.memberId, locale: request.locale }
    : anonymousActor;
  // The server is built with a pino instance (ServerOptions.logger), so request loggers are pino children.
  return { db, actor, clock: request.server.clock, log: request.log as unknown as Logger };
}
