// A stand-in for `baton start` while the real server cannot serve the journeys (E2E_STATIC=1):
// the web build with SPA fallback, a /readyz that is always ready, and an /api that answers
// every call the way the real server answers an unknown route, as problem+json.
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const root = path.resolve(process.env.BATON_WEB_ROOT ?? path.join(import.meta.dirname, '../../apps/web/dist'));
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

function log(msg, extra = {}) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), source: 'e2e-static', msg, ...extra })}\n`);
}

function sendJson(res, status, body, type = 'application/json; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendFile(res, file) {
  const type = types[path.extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, { 'content-type': type });
  createReadStream(file).pipe(res);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/readyz') {
    return sendJson(res, 200, { status: 'ready', checks: { static: { ok: true } } });
  }
  if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
    const zh = !/^\s*en/i.test(req.headers['accept-language'] ?? '');
    return sendJson(
      res,
      404,
      {
        // Same shape as apps/server: title is the HTTP reason phrase, detail the localised message.
        type: 'https://baton.dev/problems/core-not-found',
        title: 'Not Found',
        status: 404,
        code: 'CORE_NOT_FOUND',
        detail: zh ? '找不到请求的内容' : 'The requested item was not found',
        instance: `e2e-static-${Date.now()}`,
      },
      'application/problem+json; charset=utf-8',
    );
  }
  const file = path.join(root, decodeURIComponent(url.pathname));
  if (file.startsWith(root + path.sep) && existsSync(file) && statSync(file).isFile()) return sendFile(res, file);
  // Any other path is a client-side route: the SPA decides whether it is a page or a 404.
  return sendFile(res, path.join(root, 'index.html'));
});

server.listen(port, host, () => log('static server listening', { url: `http://${host}:${port}`, root }));
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => server.close(() => process.exit(0)));
