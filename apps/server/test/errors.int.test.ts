import { describe, expect, it } from 'vitest';
import { build, capturingLogger, isId, SECRET } from './helpers.ts';

const EN = { 'accept-language': 'en-US,en;q=0.9' };

describe('problem+json', () => {
  it('maps a coded error in zh-CN by default, with the request id as instance', async () => {
    const app = await build();
    const res = await app.inject('/api/test/coded');
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['content-language']).toBe('zh-CN');
    const body = res.json();
    expect(body).toEqual({
      type: 'https://baton.dev/problems/test-server-quota-exceeded',
      title: 'Unprocessable Entity',
      status: 422,
      code: 'TEST_SERVER_QUOTA_EXCEEDED',
      detail: '申请金额 12,000.00 元超出剩余预算 8,000.00 元',
      instance: res.headers['x-request-id'],
    });
    expect(isId(body.instance)).toBe(true);
    await app.close();
  });

  it('answers in en-US when Accept-Language asks for it', async () => {
    const app = await build();
    const res = await app.inject({ url: '/api/test/coded', headers: EN });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().detail).toBe('Requested 12,000.00 exceeds the remaining budget of 8,000.00');
    expect(res.json().instance).toBe(res.headers['x-request-id']);
    await app.close();
  });

  it('localises the field issues of a coded error', async () => {
    const app = await build();
    const zh = (await app.inject('/api/test/fields')).json();
    expect(zh.code).toBe('CORE_VALIDATION_FAILED');
    expect(zh.fields).toEqual([
      { path: 'items.0.amount', code: 'required', message: '必填' },
      { path: 'title', code: 'title_taken', message: 'Title already used' },
    ]);
    const en = (await app.inject({ url: '/api/test/fields', headers: EN })).json();
    expect(en.fields[0]).toEqual({ path: 'items.0.amount', code: 'required', message: 'Required' });
    await app.close();
  });

  it('names every unknown key in its own field, nested ones included (mass assignment)', async () => {
    const app = await build();
    const payload = { title: 'ok', state: 'approved', __proto__x: 1, items: [{ amount: 1, version: 9 }] };
    const res = await app.inject({ method: 'POST', url: '/api/test/items', payload, headers: EN });
    expect(res.statusCode).toBe(400);
    const paths = res.json().fields.map((f: { path: string; code: string }) => `${f.code}:${f.path}`);
    expect(paths.sort()).toEqual([
      'unrecognized_key:__proto__x',
      'unrecognized_key:items.0.version',
      'unrecognized_key:state',
    ]);
  });

  it('turns zod body validation into CORE_VALIDATION_FAILED with nested field paths', async () => {
    const app = await build();
    const ok = await app.inject({
      method: 'POST',
      url: '/api/test/items',
      payload: { title: 'ok', items: [{ amount: 1 }, { amount: 2 }] },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ total: 3 });

    const payload = { title: 'far too long', items: [{ amount: 1 }, { amount: 2 }, { amount: 3 }, { amount: -5 }, {}] };
    const res = await app.inject({ method: 'POST', url: '/api/test/items', payload, headers: EN });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.code).toBe('CORE_VALIDATION_FAILED');
    expect(body.detail).toBe('The submitted data is invalid; check the marked fields');
    const byPath = Object.fromEntries(body.fields.map((f: { path: string }) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual(['items.3.amount', 'items.4.amount', 'title']);
    expect(byPath['items.3.amount'].code).toBe('too_small');
    expect(byPath['items.4.amount']).toEqual({ path: 'items.4.amount', code: 'required', message: 'Required' });
    expect(byPath.title.code).toBe('too_big');

    const zh = (await app.inject({ method: 'POST', url: '/api/test/items', payload })).json();
    expect(zh.detail).toBe('提交的数据有误，请检查标出的字段');
    const zhByPath = Object.fromEntries(zh.fields.map((f: { path: string; message: string }) => [f.path, f.message]));
    expect(zhByPath['items.4.amount']).toBe('必填');
    expect(zhByPath['items.3.amount']).toMatch(/数值过小/);
    await app.close();
  });

  it('names the wrong type it received, and prefixes query paths', async () => {
    const app = await build();
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/items',
      payload: { title: 'a', items: [{ amount: 'ten' }] },
    });
    expect(res.json().fields).toEqual([
      { path: 'items.0.amount', code: 'invalid_type', message: '无效输入：期望 数字，实际接收 字符串' },
    ]);
    const query = await app.inject({ url: '/api/test/list?limit=500', headers: EN });
    expect(query.statusCode).toBe(400);
    expect(query.json().fields).toEqual([
      { path: 'query.limit', code: 'too_big', message: expect.stringMatching(/100/) },
    ]);
    await app.close();
  });

  it('hides an unknown error behind CORE_INTERNAL without message or stack', async () => {
    const app = await build();
    const res = await app.inject({ url: '/api/test/boom', headers: EN });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.code).toBe('CORE_INTERNAL');
    expect(body.detail).toBe('Internal server error; please try again later');
    expect(body.instance).toBe(res.headers['x-request-id']);
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain('connect failed');
    expect(res.body).not.toMatch(/\bat /);
    expect(res.body).not.toContain('.ts:');
    expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'instance', 'status', 'title', 'type']);
    await app.close();
  });

  it('logs the unknown error in full, with the request id', async () => {
    const { logger, errors } = capturingLogger();
    const app = await build({ logger });
    const res = await app.inject('/api/test/boom');
    expect(errors).toHaveLength(1);
    const line = errors[0];
    if (!line) throw new Error('nothing logged');
    expect(line.bindings.reqId).toBe(res.json().instance);
    const { err } = line.obj as { err: Error };
    expect(err.message).toContain(SECRET);
    expect(err.stack).toContain('helpers.ts');
    await app.close();
  });

  it('treats a response that breaks its own schema as internal', async () => {
    const app = await build();
    const res = await app.inject('/api/test/bad-response');
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('CORE_INTERNAL');
    await app.close();
  });

  it('answers unknown API paths with CORE_NOT_FOUND', async () => {
    const app = await build();
    for (const headers of [{}, { accept: 'text/html,application/xhtml+xml' }]) {
      const res = await app.inject({ url: '/api/nope', headers });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'CORE_NOT_FOUND', status: 404, detail: '找不到请求的内容' });
    }
    const post = await app.inject({ method: 'POST', url: '/api/nope', payload: { a: 1 } });
    expect(post.json().code).toBe('CORE_NOT_FOUND');
    await app.close();
  });

  it('refuses a body over the limit with 413', async () => {
    const app = await build({ bodyLimit: 1024 });
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/items',
      headers: { 'content-type': 'application/json', ...EN },
      payload: JSON.stringify({ title: 'x'.repeat(2000), items: [] }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      code: 'HTTP_PAYLOAD_TOO_LARGE',
      detail: 'The request body is too large; the limit is 1024 bytes',
    });
    await app.close();
  });

  it('refuses malformed JSON with 400 HTTP_BAD_JSON', async () => {
    const app = await build();
    for (const payload of ['{"title": "a", "items": [', '', '{"__proto__": {"admin": true}}']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/test/items',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'HTTP_BAD_JSON', detail: '请求内容不是有效的 JSON' });
    }
    await app.close();
  });

  it('accepts only JSON under /api', async () => {
    const app = await build();
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/test/items',
        headers: { 'content-type': contentType },
        payload: 'title=a',
      });
      expect(res.statusCode).toBe(415);
      expect(res.json().code).toBe('HTTP_UNSUPPORTED_MEDIA_TYPE');
      expect(res.json().detail).toBe(`不支持的内容类型 ${contentType.split(';')[0]}，请使用 application/json`);
    }
    const charset = await app.inject({
      method: 'POST',
      url: '/api/test/items',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify({ title: 'a', items: [{ amount: 2 }] }),
    });
    expect(charset.statusCode).toBe(200);
    await app.close();
  });

  it('turns malformed URLs into a problem too', async () => {
    const app = await build();
    const res = await app.inject({ url: '/api/test/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().code).toBe('HTTP_BAD_REQUEST');
    await app.close();
  });
});
