import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { DbCtx } from '@baton/db';
import { instant } from '@baton/db';
import { z } from 'zod';
import { type AddressClass, classifyAddress } from './address.ts';
import { IntegrationErrors } from './errors.ts';
import { parseInput } from './validate.ts';

// Every call Baton makes to another system (webhooks, connectors) goes through sendHttp: http(s) only, no
// credentials in the URL, no redirects followed, a time limit and a size limit on the answer, and no
// connection to loopback, private, link-local or reserved addresses unless an administrator allowed that host.

export type HttpRequest = {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Whole exchange, connect to last byte (default 10 s). */
  timeoutMs?: number;
  /** Larger answers are cut off and fail (default 1 MB). */
  maxResponseBytes?: number;
};

export type HttpResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RESPONSE = 1_048_576;

const hostField = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .transform((host) => host.toLowerCase().replace(/^\[(.*)\]$/, '$1'))
  .refine(
    (host) => isIP(host) !== 0 || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host),
    {
      message: 'a host name or an IP address, without scheme, port or path',
    },
  );

/** Checks an outbound URL's form (not its address): http(s), a host, no user info. Returns the parsed URL. */
export function checkOutboundUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw IntegrationErrors.badUrl.create({ reason: 'not a URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw IntegrationErrors.badUrl.create({ reason: `scheme ${url.protocol} is not http or https` });
  }
  if (url.username || url.password) {
    throw IntegrationErrors.badUrl.create({ reason: 'credentials belong in headers, not in the URL' });
  }
  if (!url.hostname) throw IntegrationErrors.badUrl.create({ reason: 'no host' });
  return url;
}

/** The host as the allow-list stores it: lower case, IPv6 without brackets. */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

export async function allowHost(ctx: DbCtx, input: { host: string; note?: string }): Promise<{ host: string }> {
  const data = parseInput(z.strictObject({ host: hostField, note: z.string().max(500).optional() }), input);
  const createdBy = ctx.actor?.kind === 'member' ? ctx.actor.memberId : null;
  await ctx.db
    .insertInto('baton_integration_allowed_host')
    .values({ host: data.host, note: data.note ?? null, createdBy, createdAt: instant(ctx.clock.now()) })
    .onConflict((oc) => oc.column('host').doUpdateSet({ note: data.note ?? null }))
    .execute();
  return { host: data.host };
}

export async function disallowHost(ctx: DbCtx, input: { host: string }): Promise<boolean> {
  const data = parseInput(z.strictObject({ host: hostField }), input);
  const result = await ctx.db
    .deleteFrom('baton_integration_allowed_host')
    .where('host', '=', data.host)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listAllowedHosts(ctx: DbCtx) {
  return ctx.db.selectFrom('baton_integration_allowed_host').selectAll().orderBy('host').execute();
}

type Resolved = { address: string; family: 4 | 6 };

/** The addresses `host` resolves to, refused unless every one is public or the host is allowed. */
async function vet(ctx: DbCtx, host: string): Promise<Resolved[]> {
  const literal = isIP(host);
  const addresses: Resolved[] = literal
    ? [{ address: host, family: literal as 4 | 6 }]
    : await dnsLookup(host, { all: true, verbatim: true }).then(
        (list) => list.map((a) => ({ address: a.address, family: a.family as 4 | 6 })),
        () => {
          throw IntegrationErrors.httpFailed.create({ host, reason: 'the name does not resolve' });
        },
      );
  if (addresses.length === 0) throw IntegrationErrors.httpFailed.create({ host, reason: 'the name does not resolve' });
  const allowed = await ctx.db
    .selectFrom('baton_integration_allowed_host')
    .select('host')
    .where('host', '=', host)
    .executeTakeFirst();
  if (allowed) return addresses;
  // Any inward address refuses the host: connecting to "the public one" would let DNS choose for the attacker.
  const inward = addresses
    .map((a) => [a.address, classifyAddress(a.address)] as [string, AddressClass])
    .find(([, kind]) => kind !== 'public');
  if (inward) throw IntegrationErrors.hostRefused.create({ host, reason: `${inward[0]} is ${inward[1]}` });
  return addresses;
}

/**
 * Sends one HTTP request to another system and returns its answer (any status; callers decide what counts as
 * delivered). Throws INTEGRATION_HOST_REFUSED before any connection is attempted when the host resolves to a
 * refused range, INTEGRATION_URL_INVALID for a bad URL, INTEGRATION_HTTP_FAILED on network errors, time-outs
 * and oversize answers.
 */
export async function sendHttp(ctx: DbCtx, request: HttpRequest): Promise<HttpResponse> {
  const url = checkOutboundUrl(request.url);
  const host = hostOf(url);
  const addresses = await vet(ctx, host);
  const pinned = addresses[0] as Resolved;
  // The connection goes to the vetted address, whatever DNS says by then (no rebinding between check and use).
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: Resolved[]) => void)(null, [pinned]);
    } else {
      callback(null, pinned.address, pinned.family);
    }
  };
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
  const transport = url.protocol === 'https:' ? https : http;
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  return new Promise<HttpResponse>((resolve, reject) => {
    const fail = (reason: string) => reject(IntegrationErrors.httpFailed.create({ host, reason }));
    const req = transport.request(
      url,
      {
        method: request.method ?? (body ? 'POST' : 'GET'),
        headers: {
          'user-agent': 'Baton-Integration/1',
          ...(body ? { 'content-length': String(body.length) } : {}),
          ...request.headers,
        },
        lookup,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            fail(`the answer is larger than ${maxBytes} bytes`);
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) => fail(error.message));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      fail(`no answer within ${timeoutMs} ms`);
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => {
      req.destroy();
      fail(`no answer within ${timeoutMs} ms`);
    });
    req.on('error', (error) => fail(error.message));
    req.end(body);
  });
}
