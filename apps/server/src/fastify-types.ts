import type { Clock, Locale } from '@baton/core';
import type { Caller } from './gate.ts';
import type { RoutePolicy, RouteRecord } from './routes.ts';

// Declaration merging is how Fastify types decorators and route config; kept in one file so the
// shape of the request/instance the engines see is readable in one place.
declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Who may call the route. Required on every route: the shell refuses to start otherwise, and the
     * Access engine enforces it (see routes.ts, "ROUTE POLICY").
     */
    policy?: RoutePolicy;
  }

  interface FastifyRequest {
    /**
     * The caller's language for messages. Set from Accept-Language on every request; the Access
     * engine overwrites it with the signed-in member's locale once it knows who is calling.
     */
    locale: Locale;
    /** Set by the policy hook on every non-public route; absent on public ones. */
    caller?: Caller;
  }

  interface FastifyInstance {
    /** The clock handed to buildServer, for route plugins building a Ctx. */
    clock: Clock;
    /** Every route registered so far, with its declared policy (for the route-enumeration test). */
    listRoutes(): RouteRecord[];
  }
}
