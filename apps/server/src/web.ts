import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Revalidate every time: index.html names the current hashed bundles, so it must never go stale. */
const REVALIDATE = 'no-cache';

/** Paths the SPA never owns: their misses stay problem+json 404s. */
const SERVER_PATHS = ['/api', '/healthz', '/readyz'];

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

export function isServerPath(pathname: string): boolean {
  return SERVER_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/** The absolute web root when it holds a built index.html, else undefined (the web build is missing). */
export function resolveWebRoot(webRoot: string | undefined): string | undefined {
  if (!webRoot) return undefined;
  const root = path.resolve(webRoot);
  const index = path.join(root, 'index.html');
  return existsSync(index) && statSync(index).isFile() ? root : undefined;
}

/** A GET a browser makes when navigating to a client-side route (`/flow/tasks/123`). */
export function wantsSpa(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const pathname = pathOf(request.url);
  if (isServerPath(pathname) || pathname.startsWith('/assets/')) return false;
  return String(request.headers.accept ?? '').includes('text/html');
}

export function sendIndex(reply: FastifyReply): FastifyReply {
  return reply.sendFile('index.html');
}

const missingNote = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>Baton</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.6}</style>
</head>
<body>
<h1>Baton 接力</h1>
<p>服务已启动，但尚未构建网页端。请运行 <code>npm run build</code> 后重启。</p>
<p>The server is running but the web app has not been built. Run <code>npm run build</code> and restart.</p>
<p><a href="/api/docs">API docs</a></p>
</body>
</html>
`;

/**
 * Serves apps/web/dist: hashed files under /assets cached for a year, everything else (index.html
 * first) revalidated. Dotfiles are ignored (a plain 404, no hint they exist) and directories never listed.
 * Without a build, `/` explains how to make one.
 */
export async function registerWeb(app: FastifyInstance, webRoot: string | undefined): Promise<void> {
  if (webRoot) {
    const assets = path.join(webRoot, 'assets') + path.sep;
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: true,
      index: false,
      list: false,
      redirect: false,
      dotfiles: 'ignore',
      cacheControl: false,
      etag: true,
      lastModified: true,
      // A trailing slash asks for a directory: never listed, never an index, just a miss.
      allowedPath: (pathname) => !isServerPath(pathname) && !pathname.endsWith('/'),
      setHeaders: (res, filePath) => {
        res.setHeader('cache-control', filePath.startsWith(assets) ? IMMUTABLE : REVALIDATE);
      },
    });
  }

  app.get('/', { config: { policy: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (webRoot) return sendIndex(reply);
    reply.header('cache-control', 'no-store');
    if (String(request.headers.accept ?? '').includes('text/html')) {
      return reply.type('text/html; charset=utf-8').send(missingNote);
    }
    return reply.send({
      name: 'Baton',
      web: 'missing',
      hint: 'Build the web app with `npm run build`; the API is under /api (docs at /api/docs).',
    });
  });
}
