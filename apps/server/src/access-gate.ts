import { AccessErrors, can, resolveApiToken, resolveSession, verifyCsrf } from '@baton/access';
import { isLocale } from '@baton/core';
import type { Db } from '@baton/db';
import type { FastifyRequest } from 'fastify';
import { requestCtx } from './ctx.ts';
import type { Caller, Gate } from './gate.ts';

export const SESSION_COOKIE = 'baton_session';
/** Readable by the page (not httpOnly) so every tab can echo it in X-CSRF-Token; useless cross-site. */
export const CSRF_COOKIE = 'baton_csrf';
export const CSRF_HEADER = 'x-csrf-token';

type Identified = Caller & { csrfHash?: string; scopes?: string[] };

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/**
 * The Gate backed by kernel/access: a bearer API token wins over the session cookie (integrations
 * never carry cookies); a session needs its CSRF token on writes; permissions come from the
 * member's roles, narrowed to the token's scopes for tokens.
 */
export function accessGate(db: Db): Gate {
  return {
    async identify(request) {
      const ctx = requestCtx(request, db);
      const token = bearer(request);
      if (token !== undefined) {
        const resolved = await resolveApiToken(ctx, token);
        if (!resolved) return null;
        const locale = isLocale(resolved.locale) ? resolved.locale : undefined;
        const caller: Identified = { memberId: resolved.memberId, via: 'token', scopes: resolved.scopes };
        if (locale) caller.locale = locale;
        return caller;
      }
      const session = await resolveSession(ctx, request.cookies?.[SESSION_COOKIE]);
      if (!session) return null;
      const locale = isLocale(session.locale) ? session.locale : undefined;
      const caller: Identified = {
        memberId: session.memberId,
        via: 'session',
        sessionId: session.id,
        csrfHash: session.csrfHash,
        mustChangePassword: session.mustChangePassword,
      };
      if (locale) caller.locale = locale;
      return caller;
    },
    async checkCsrf(request, caller) {
      const csrfHash = (caller as Identified).csrfHash;
      const header = request.headers[CSRF_HEADER];
      if (!csrfHash || !verifyCsrf({ csrfHash }, typeof header === 'string' ? header : undefined)) {
        throw AccessErrors.csrfInvalid.create();
      }
    },
    async allows(caller, permission, request) {
      const scopes = (caller as Identified).scopes;
      const who =
        caller.via === 'token' ? { memberId: caller.memberId, scopes: (scopes ?? []) as never[] } : caller.memberId;
      return can(requestCtx(request, db), who, permission as never);
    },
  };
}
