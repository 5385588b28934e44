// The package's only door: apps/cli builds the server here, engines define their routes here.
import './fastify-types.ts';

export { accessGate, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './access-gate.ts';
export { requestCtx } from './ctx.ts';
export { ServerErrors } from './errors.ts';
export { type Caller, enforcePolicy, type Gate } from './gate.ts';
export type { CheckResult, ReadinessCheck } from './health.ts';
export { type Problem, problemSchema } from './problem.ts';
export { auditRoutes, authRoutes } from './routes/auth.ts';
export { orgRoutes } from './routes/org.ts';
export { defineRoutes, type Permission, type RoutePlugin, type RoutePolicy, type RouteRecord } from './routes.ts';
export { appCspDirectives, docsCspDirectives } from './security.ts';
export { type BatonServer, buildServer, DEFAULT_BODY_LIMIT, type ServerOptions } from './server.ts';
export type { ProblemField } from './validation.ts';
