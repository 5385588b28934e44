import {
  changePassword,
  createApiToken,
  listApiTokens,
  permissionsOf,
  queryAudit,
  revokeApiToken,
  signIn,
  signOut,
  signOutEverywhere,
} from '@baton/access';
import { CoreErrors } from '@baton/core';
import type { Db } from '@baton/db';
import { getMember, updateMember } from '@baton/org';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CSRF_COOKIE, SESSION_COOKIE } from '../access-gate.ts';
import { requestCtx } from '../ctx.ts';
import { defineRoutes, type RoutePlugin } from '../routes.ts';

const memberView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  login: z.string(),
  email: z.string().nullable(),
  locale: z.string().nullable(),
  mainDepartmentId: z.string(),
});

const sessionView = z.object({
  member: memberView,
  permissions: z.array(z.string()),
  mustChangePassword: z.boolean(),
});

const loginBody = z.strictObject({
  login: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(1024),
});

const passwordBody = z.strictObject({
  oldPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
});

const tokenView = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const auditQuery = z.strictObject({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  actor: z.string().min(1).max(200).optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().min(1).max(100).optional(),
  targetId: z.string().max(200).optional(),
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

function callerOf(request: FastifyRequest) {
  if (!request.caller) throw CoreErrors.unauthenticated.create();
  return request.caller;
}

function setSessionCookies(
  reply: FastifyReply,
  request: FastifyRequest,
  token: string,
  csrf: string,
  expiresAt: string,
) {
  const common = {
    path: '/',
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
    expires: new Date(expiresAt),
  };
  reply.setCookie(SESSION_COOKIE, token, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, csrf, { ...common, httpOnly: false });
}

function clearSessionCookies(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

async function describeSession(db: Db, request: FastifyRequest, mustChangePassword: boolean) {
  const ctx = requestCtx(request, db);
  const caller = callerOf(request);
  const member = await getMember(ctx, { id: caller.memberId });
  const permissions = await permissionsOf(ctx, caller.memberId);
  return {
    member: {
      id: member.id,
      code: member.code,
      name: member.name,
      login: member.login,
      email: member.email,
      locale: member.locale,
      mainDepartmentId: member.mainDepartmentId,
    },
    permissions: [...permissions].sort(),
    mustChangePassword,
  };
}

/** Sign-in, session, password, API tokens and the audit log viewer: kernel/access over HTTP. */
export function authRoutes({ db }: { db: Db }): RoutePlugin {
  return defineRoutes({
    name: 'auth',
    prefix: '/auth',
    register: async (app) => {
      app.post(
        '/login',
        {
          config: { policy: 'public' },
          schema: {
            tags: ['auth'],
            summary: 'Sign in with login and password; sets the session and CSRF cookies',
            body: loginBody,
            response: { 200: sessionView.extend({ csrfToken: z.string(), expiresAt: z.string() }) },
          },
        },
        async (request, reply) => {
          const ctx = requestCtx(request, db);
          const result = await signIn(ctx, {
            login: request.body.login,
            password: request.body.password,
            ip: request.ip,
            userAgent: request.headers['user-agent']?.slice(0, 1000) ?? null,
            previousToken: request.cookies[SESSION_COOKIE] ?? null,
          });
          setSessionCookies(reply, request, result.sessionToken, result.csrfToken, result.expiresAt);
          request.caller = { memberId: result.memberId, via: 'session', sessionId: result.sessionId };
          const view = await describeSession(db, request, result.mustChangePassword);
          return { ...view, csrfToken: result.csrfToken, expiresAt: result.expiresAt };
        },
      );

      app.post(
        '/logout',
        { config: { policy: 'authenticated' }, schema: { tags: ['auth'], summary: 'Sign out of this session' } },
        async (request, reply) => {
          await signOut(requestCtx(request, db), request.cookies[SESSION_COOKIE]);
          clearSessionCookies(reply);
          return reply.code(204).send();
        },
      );

      app.post(
        '/logout-everywhere',
        { config: { policy: 'authenticated' }, schema: { tags: ['auth'], summary: 'End every session of mine' } },
        async (request, reply) => {
          await signOutEverywhere(requestCtx(request, db), callerOf(request).memberId);
          clearSessionCookies(reply);
          return reply.code(204).send();
        },
      );

      app.get(
        '/session',
        {
          config: { policy: 'authenticated' },
          schema: { tags: ['auth'], summary: 'Who I am and what I may do', response: { 200: sessionView } },
        },
        async (request) => describeSession(db, request, callerOf(request).mustChangePassword ?? false),
      );

      app.post(
        '/password',
        {
          config: { policy: 'authenticated' },
          schema: { tags: ['auth'], summary: 'Change my password (ends my other sessions)', body: passwordBody },
        },
        async (request, reply) => {
          const caller = callerOf(request);
          await changePassword(requestCtx(request, db), {
            memberId: caller.memberId,
            oldPassword: request.body.oldPassword,
            newPassword: request.body.newPassword,
            ...(caller.sessionId ? { keepSessionId: caller.sessionId } : {}),
          });
          return reply.code(204).send();
        },
      );

      app.put(
        '/locale',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags: ['auth'],
            summary: 'Choose my language',
            body: z.strictObject({ locale: z.enum(['zh-CN', 'en-US']) }),
          },
        },
        async (request, reply) => {
          const ctx = requestCtx(request, db);
          const member = await getMember(ctx, { id: callerOf(request).memberId });
          await updateMember(ctx, { id: member.id, version: member.version, locale: request.body.locale });
          return reply.code(204).send();
        },
      );

      app.get(
        '/tokens',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags: ['auth'],
            summary: 'My API tokens',
            response: { 200: z.object({ items: z.array(tokenView) }) },
          },
        },
        async (request) => ({
          items: await listApiTokens(requestCtx(request, db), { memberId: callerOf(request).memberId }),
        }),
      );

      app.post(
        '/tokens',
        {
          config: { policy: 'access.apiToken.write' },
          schema: {
            tags: ['auth'],
            summary: 'Create an API token for an integration; the token is shown once',
            body: z.strictObject({
              name: z.string().trim().min(1).max(100),
              scopes: z.array(z.string().max(100)).min(1).max(50),
              expiresAt: z.iso.datetime().optional(),
            }),
            response: { 200: z.object({ token: z.string(), apiToken: tokenView }) },
          },
        },
        async (request) =>
          createApiToken(requestCtx(request, db), {
            memberId: callerOf(request).memberId,
            name: request.body.name,
            scopes: request.body.scopes,
            ...(request.body.expiresAt ? { expiresAt: request.body.expiresAt } : {}),
          }),
      );

      app.delete(
        '/tokens/:id',
        {
          config: { policy: 'authenticated' },
          schema: { tags: ['auth'], summary: 'Revoke one of my API tokens', params: z.object({ id: z.uuid() }) },
        },
        async (request, reply) => {
          const ctx = requestCtx(request, db);
          const mine = await listApiTokens(ctx, { memberId: callerOf(request).memberId });
          // Someone else's token id answers exactly like an unknown one.
          if (!mine.some((token) => token.id === request.params.id)) throw CoreErrors.notFound.create();
          await revokeApiToken(ctx, { id: request.params.id });
          return reply.code(204).send();
        },
      );
    },
  });
}

/** The administrator's audit-log viewer. */
export function auditRoutes({ db }: { db: Db }): RoutePlugin {
  return defineRoutes({
    name: 'audit',
    prefix: '/audit',
    register: async (app) => {
      app.get(
        '/',
        {
          config: { policy: 'audit.read' },
          schema: { tags: ['audit'], summary: 'The audit log, newest first', querystring: auditQuery },
        },
        async (request) => {
          const { targetType, targetId, ...rest } = request.query;
          return queryAudit(requestCtx(request, db), {
            ...rest,
            ...(targetType ? { target: { type: targetType, ...(targetId ? { id: targetId } : {}) } } : {}),
          });
        },
      );
    },
  });
}
