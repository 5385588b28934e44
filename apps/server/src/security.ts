import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The SPA's policy. antd's CSS-in-JS injects <style> tags at runtime, hence 'unsafe-inline' for
 * styles only; scripts come only from our own origin (Vite emits no inline script).
 * No upgrade-insecure-requests: embedded installs are often reached over plain http on a LAN IP,
 * where it would make the browser fetch every asset over https and fail.
 */
export const appCspDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
} as const;

/**
 * Swagger UI's page, set route-level by @fastify/swagger-ui's `staticCSP` (it overrides the app
 * header on its own routes only). Its bundle and initializer are external files, so scripts stay
 * 'self'; it needs inline styles and data:/blob: images (its SVG icons and downloads), and may be
 * framed by our own origin so the admin console can embed it.
 */
export const docsCspDirectives = {
  ...appCspDirectives,
  'frame-ancestors': ["'self'"],
} as const;

export function cspHeader(directives: Record<string, ReadonlyArray<string>>): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

const HSTS = 'max-age=31536000; includeSubDomains';

export async function registerSecurity(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: Object.fromEntries(Object.entries(appCspDirectives).map(([k, v]) => [k, [...v]])),
    },
    // Set per request below: only meaningful (and only honoured) over https.
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  // With trustProxy, request.protocol follows X-Forwarded-Proto from the TLS-terminating proxy.
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });
}
