import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, type Locale, type Logger, newId, pickLocale, systemClock } from '@baton/core';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type LogLevel, type RawServerDefault } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { DOCS_PREFIX, registerDocs } from './docs.ts';
import { enforcePolicy, type Gate } from './gate.ts';
import { healthRoutes, type ReadinessCheck } from './health.ts';
import { shellApiRoutes } from './meta.ts';
import { type MetricReading, registerMetrics } from './metrics.ts';
import { createErrorHandler, notFoundProblem, sendProblem } from './problem.ts';
import { checkRoutePlugins, createRouteTable, type RoutePlugin } from './routes.ts';
import { registerSecurity } from './security.ts';
import { zodValidatorCompiler } from './validation.ts';
import { registerWeb, resolveWebRoot, sendIndex, wantsSpa } from './web.ts';

export type ServerOptions = {
  logger: Logger;
  /** Handed to route plugins as `app.clock`; defaults to the system clock. */
  clock?: Clock;
  /** Named dependency checks for /readyz, e.g. `{ database, migrations }`, supplied by the CLI. */
  readiness: Record<string, ReadinessCheck>;
  /** Per-check limit for /readyz; default 2 s. */
  readinessTimeoutMs?: number;
  /** apps/web/dist. When absent or without index.html, `/` answers a note that the web build is missing. */
  webRoot?: string;
  /** Largest accepted request body in bytes; default 1 MiB. */
  bodyLimit?: number;
  /** Behind a reverse proxy: honour X-Forwarded-For/Proto (client ip, https detection for HSTS). */
  trustProxy?: boolean;
  /** Engine route plugins, each mounted at `/api<prefix>`. */
  routes?: ReadonlyArray<RoutePlugin>;
  /** Shown in /api/meta and the OpenAPI document; defaults to this package's version. */
  version?: string;
  /** Authentication and authorisation; without one, every non-public route answers 401. */
  gate?: Gate;
  /** Readings the composition root adds to `GET /api/metrics` (outbox backlog, overdue timers …). */
  metrics?: ReadonlyArray<MetricReading>;
};

/** A Fastify instance whose routes take zod schemas. */
export type BatonServer = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_READINESS_TIMEOUT_MS = 2000;

const packageVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * Orchestrators probe every few seconds; at info those lines would drown the access log. The probes
 * log at warn, or quieter when the whole server is quieter (a route level replaces the app's).
 */
function probeLogLevel(logger: Logger): LogLevel {
  const values = logger.levels.values;
  const current = values[logger.level] ?? Number.POSITIVE_INFINITY;
  return current >= (values.warn ?? 40) ? (logger.level as LogLevel) : 'warn';
}

/** Routes that third-party plugins add for the shell and that cannot carry a config. */
function shellPublic(url: string): boolean {
  return url === '/*' || url === DOCS_PREFIX || url.startsWith(`${DOCS_PREFIX}/`);
}

/**
 * Builds the HTTP shell with every route registered and `ready()` done, so a missing route policy
 * or a broken plugin fails here, at startup. The caller listens and, on SIGTERM, calls `close()`:
 * in-flight requests finish, idle keep-alive sockets are dropped and new requests get 503.
 */
export async function buildServer(options: ServerOptions): Promise<BatonServer> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  if (!Number.isInteger(bodyLimit) || bodyLimit <= 0) {
    throw new TypeError('buildServer: bodyLimit must be a positive integer');
  }
  const readinessTimeoutMs = options.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
  const version = options.version ?? packageVersion;
  const routes = options.routes ?? [];
  checkRoutePlugins(routes);

  const webRoot = resolveWebRoot(options.webRoot);
  if (options.webRoot && !webRoot) {
    options.logger.warn({ webRoot: options.webRoot }, 'web build missing (no index.html); serving the API only');
  }

  const errorHandler = createErrorHandler(bodyLimit);
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Our own ids only: a client-chosen id would let callers forge log correlation.
    genReqId: () => newId(),
    requestIdHeader: false,
    bodyLimit,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Fastify's default (0) disables Node's slow-request guard.
    requestTimeout: 120_000,
    allowErrorHandlerOverride: false,
    // Errors raised before routing (malformed URL …) get the same problem+json as the rest.
    frameworkErrors: (error, request, reply) => {
      errorHandler(error, request, reply);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const routeTable = createRouteTable(shellPublic);
  app.addHook('onRoute', routeTable.onRoute);
  app.decorate('listRoutes', routeTable.list);
  app.decorate('clock', options.clock ?? systemClock);

  // Null until onRequest runs, so errors raised before it still read Accept-Language (see requestLocale).
  app.decorateRequest('locale', null as unknown as Locale);
  app.addHook('onRequest', async (request, reply) => {
    request.locale = pickLocale(request.headers['accept-language']);
    reply.header('x-request-id', request.id);
  });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    if (webRoot && wantsSpa(request)) return sendIndex(reply);
    return sendProblem(reply, notFoundProblem(request, bodyLimit));
  });

  await app.register(fastifyCookie);
  // Deny by default: every route but the public ones passes the gate as soon as the route is known,
  // before its body is parsed or validated, so an anonymous caller learns nothing about its schema.
  app.addHook('onRequest', enforcePolicy(options.gate));
  await registerSecurity(app);
  await registerDocs(app, version);
  const metricsRoutes = registerMetrics(app, options.metrics ?? []);
  await app.register(healthRoutes(options.readiness, readinessTimeoutMs, probeLogLevel(options.logger)));
  await app.register(
    async (api) => {
      // JSON only under /api; an engine that needs multipart adds its parser in its own plugin.
      api.removeAllContentTypeParsers();
      api.addContentTypeParser(
        'application/json',
        { parseAs: 'string', bodyLimit },
        api.getDefaultJsonParser('error', 'error'),
      );
      await api.register(shellApiRoutes(version));
      await api.register(metricsRoutes);
      for (const plugin of routes) await api.register(plugin.register, { prefix: plugin.prefix });
    },
    { prefix: '/api' },
  );
  await registerWeb(app, webRoot);

  // Responses finishing after close() began tell the client to drop the socket; otherwise a
  // keep-alive connection idles until keepAliveTimeout and close() waits for it.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    app.log.info('http server closing');
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onClose', async () => {
    app.log.info('http server closed');
  });

  await app.ready();
  return app;
}
