import { AccessErrors, type AuditEntryInput, appendAudit } from '@baton/access';
import { type Actor, anonymousActor, type Logger } from '@baton/core';
import { type Db, type DbCtx, withTx } from '@baton/db';
import type { FastifyRequest } from 'fastify';
import type { Caller } from './gate.ts';

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

/** The caller as the policy hook guarantees on non-public routes; a route that forgot its policy still denies. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw AccessErrors.forbidden.create({ permission: 'authenticated' });
  return request.caller;
}

/**
 * Runs an action and appends its audit entry (with the request's address) in one transaction: the entry
 * describes what was done, and is never written for an action that rolled back.
 */
export function audited<T>(
  ctx: DbCtx,
  request: FastifyRequest,
  run: (tx: DbCtx) => Promise<T>,
  entry: (result: T) => Omit<AuditEntryInput, 'ip'>,
): Promise<T> {
  return withTx(ctx, async (tx) => {
    const result = await run(tx);
    await appendAudit(tx, { ...entry(result), ip: request.ip });
    return result;
  });
}
