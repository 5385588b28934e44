import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// The import upload bypasses the JSON client, so its CSRF echo, query and error reading are checked here.
// The module reads the browser's locale and cookies: a minimal window and document stand in for them.
type Module = typeof import('./org-admin.ts');
let orgAdmin: Module;

function stubBrowser() {
  vi.stubGlobal('window', {
    localStorage: { getItem: () => null, setItem: () => undefined },
    addEventListener: () => undefined,
  });
  vi.stubGlobal('document', { documentElement: {}, cookie: 'other=1; baton_csrf=tok%2Ben' });
}

beforeAll(async () => {
  stubBrowser();
  orgAdmin = await import('./org-admin.ts');
});

// Each test stubs its own fetch; the browser stand-ins come back after the reset.
afterEach(() => {
  vi.unstubAllGlobals();
  stubBrowser();
});

function respond(status: number, body: unknown, contentType = 'application/json') {
  return vi.fn(async (_input: string, _init?: RequestInit) =>
    Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } })),
  );
}

const report = { ok: true, dryRun: true, applied: { created: 2, updated: 1 }, errors: [] };

describe('importOrg', () => {
  it('posts every file as multipart `file` parts with the CSRF echo and the dry-run flag', async () => {
    const fetch = respond(200, report);
    vi.stubGlobal('fetch', fetch);
    const files = [new File(['a'], 'departments.csv'), new File(['b'], 'members.csv')];
    const result = await orgAdmin.importOrg(files, true);
    expect(result).toEqual(report);
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/org/import?dryRun=true');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok+en');
    expect((init.headers as Record<string, string>)['Content-Type']).toBeUndefined();
    const form = init.body as FormData;
    expect(form.getAll('file').map((part) => (part as File).name)).toEqual(['departments.csv', 'members.csv']);
  });

  it('applies with dryRun=false and returns a refused report as it is', async () => {
    const refused = {
      ...report,
      ok: false,
      errors: [{ sheet: '人员', row: 3, column: '登录名', code: 'x', message: { zh: '重复', en: 'Duplicate' } }],
    };
    const fetch = respond(200, refused);
    vi.stubGlobal('fetch', fetch);
    expect(await orgAdmin.importOrg([new File(['a'], 'org.xlsx')], false)).toEqual(refused);
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/org/import?dryRun=false');
  });

  it('turns a missing endpoint into an ApiError with status 404', async () => {
    vi.stubGlobal('fetch', respond(404, { message: 'Route not found' }));
    await expect(orgAdmin.importOrg([new File(['a'], 'org.csv')], true)).rejects.toMatchObject({
      name: 'ApiError',
      kind: 'http',
      status: 404,
    });
  });

  it('reads a problem+json refusal with its code and detail', async () => {
    const problem = {
      type: 'about:blank',
      title: 'Payload Too Large',
      status: 413,
      code: 'SHEET_TOO_LARGE',
      detail: '文件过大',
    };
    vi.stubGlobal('fetch', respond(413, problem, 'application/problem+json'));
    await expect(orgAdmin.importOrg([new File(['a'], 'org.csv')], true)).rejects.toMatchObject({
      kind: 'problem',
      status: 413,
      code: 'SHEET_TOO_LARGE',
      detail: '文件过大',
    });
  });

  it('reports no answer at all as a network error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('offline'))),
    );
    await expect(orgAdmin.importOrg([new File(['a'], 'org.csv')], true)).rejects.toMatchObject({ kind: 'network' });
  });
});
