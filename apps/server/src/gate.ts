import { CoreErrors, type Locale } from '@baton/core';
import type { FastifyRequest } from 'fastify';
import type { Permission, RoutePolicy } from './routes.ts';

/** Who is calling, as established by the Gate from a session cookie or an API token. */
export type Caller = {
  memberId: string;
  via: 'session' | 'token';
  /** The session's id, for sign-out; absent for tokens. */
  sessionId?: string;
  locale?: Locale;
  /** An administrator reset the password: only 'authenticated' routes (profile, password) are open. */
  mustChangePassword?: boolean;
};

/**
 * The server's view of authentication and authorisation. The composition root supplies one backed by
 * kernel/access; the shell only enforces route policies with it, so it stays testable without a
 * database and deny-by-default holds even when no gate is configured.
 */
export type Gate = {
  /** Reads the session cookie or bearer token; null when the request carries neither or they are dead. */
  identify(request: FastifyRequest): Promise<Caller | null>;
  /** Throws a coded 403 when a cookie-authenticated write lacks a valid CSRF token. */
  checkCsrf(request: FastifyRequest, caller: Caller): Promise<void>;
  allows(caller: Caller, permission: Permission, request: FastifyRequest): Promise<boolean>;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The preHandler that makes every non-public route deny by default. */
export function enforcePolicy(gate: Gate | undefined) {
  return async function policyHook(request: FastifyRequest): Promise<void> {
    const policy = request.routeOptions.config?.policy as RoutePolicy | undefined;
    if (policy === 'public') return;
    // No policy can only mean a route the shell did not see (404 handler): nothing to protect there.
    if (policy === undefined) return;
    if (!gate) throw CoreErrors.unauthenticated.create();
    const caller = await gate.identify(request);
    if (!caller) throw CoreErrors.unauthenticated.create();
    request.caller = caller;
    if (caller.locale) request.locale = caller.locale;
    if (caller.via === 'session' && !SAFE_METHODS.has(request.method)) await gate.checkCsrf(request, caller);
    if (policy === 'authenticated') return;
    if (caller.mustChangePassword) throw CoreErrors.forbidden.create();
    if (!(await gate.allows(caller, policy, request))) throw CoreErrors.forbidden.create();
  };
}
