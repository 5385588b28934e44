import type { RouteOptions } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/**
 * ROUTE POLICY — the declaration the Organisation/Access engine will enforce.
 *
 * Every route says who may call it in `config.policy`: `'public'` or a dotted permission such as
 * `'flow.task.act'`. Today the shell only records the policy and refuses to start when a route has
 * none (deny by default starts with the habit); Access will add the preHandler that checks it and
 * may widen this type (e.g. an `'authenticated'` level). `listRoutes()` feeds the test that
 * enumerates every route.
 */
export type Permission = `${string}.${string}`;
/**
 * `'public'`: anyone, no identity looked up. `'authenticated'`: any signed-in member or token
 * (their own profile, sign-out). A permission: a member whose roles grant it (and, for an API
 * token, whose scopes include it).
 */
export type RoutePolicy = 'public' | 'authenticated' | Permission;

export type RouteRecord = {
  method: string;
  url: string;
  policy: RoutePolicy;
};

/** One engine's HTTP surface, mounted at `/api<prefix>`. */
export type RoutePlugin = {
  /** Engine name, e.g. `flow`; unique per server. */
  name: string;
  /** Mount point below /api, e.g. `/flow` or `/org/units`. */
  prefix: string;
  register: FastifyPluginAsyncZod;
};

const NAME = /^[a-z][a-z0-9-]*$/;
const PREFIX = /^(\/[a-z0-9]+(-[a-z0-9]+)*)+$/;
/** Prefixes the shell serves itself. */
const RESERVED = ['/docs', '/meta'];

export function isRoutePolicy(value: unknown): value is RoutePolicy {
  return (
    value === 'public' ||
    value === 'authenticated' ||
    (typeof value === 'string' && /^[a-zA-Z][\w-]*(\.[a-zA-Z][\w-]*)+$/.test(value))
  );
}

/** Declares an engine's route plugin; checks the name and prefix early so mistakes point at the engine. */
export function defineRoutes(plugin: RoutePlugin): RoutePlugin {
  if (!NAME.test(plugin.name)) throw new TypeError(`defineRoutes: name "${plugin.name}" must be lower-kebab`);
  if (!PREFIX.test(plugin.prefix)) {
    throw new TypeError(`defineRoutes(${plugin.name}): prefix "${plugin.prefix}" must look like /flow or /org/units`);
  }
  const reserved = RESERVED.find((r) => plugin.prefix === r || plugin.prefix.startsWith(`${r}/`));
  if (reserved) throw new TypeError(`defineRoutes(${plugin.name}): prefix ${reserved} belongs to the server`);
  return Object.freeze({ ...plugin });
}

export function checkRoutePlugins(plugins: ReadonlyArray<RoutePlugin>): void {
  const names = new Set<string>();
  const prefixes = new Set<string>();
  for (const plugin of plugins) {
    defineRoutes(plugin);
    if (names.has(plugin.name)) throw new TypeError(`route plugin "${plugin.name}" is registered twice`);
    if (prefixes.has(plugin.prefix)) throw new TypeError(`route prefix ${plugin.prefix} is used twice`);
    names.add(plugin.name);
    prefixes.add(plugin.prefix);
  }
}

/**
 * Records every route as it is added (an onRoute hook) and refuses one without a policy.
 * `shellPublic` names the few routes that third-party plugins add for the shell (static files,
 * Swagger UI) and that cannot carry a config: they are public by construction.
 */
export function createRouteTable(shellPublic: (url: string) => boolean) {
  const records: RouteRecord[] = [];

  function onRoute(route: RouteOptions): void {
    let policy: unknown = route.config?.policy;
    if (policy === undefined && shellPublic(route.url)) {
      policy = 'public';
      route.config = { ...route.config, policy: 'public' };
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!isRoutePolicy(policy)) {
      throw new TypeError(
        `route ${methods.join(',')} ${route.url} declares no valid config.policy ` +
          `(got ${JSON.stringify(policy)}); use 'public' or a permission such as 'flow.task.act'`,
      );
    }
    for (const method of methods) records.push({ method: String(method), url: route.url, policy });
  }

  function list(): RouteRecord[] {
    return [...records].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  }

  return { onRoute, list };
}
