import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger, systemActor, systemClock } from '@baton/core';
import { listRecords } from '@baton/form';
import { asMember, createResolver, defaultDeclarer, exportPack, importPack, listInstalledPacks } from '@baton/pack';
import { createTestDatabase, type TestDatabase } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { type FirstStartReport, firstStart } from '../src/first-start.ts';
import { createPlatformServer, platformMigrations } from '../src/platform.ts';

// The first start with the demo organisation installs every shipped pack with its demo data; a restart changes
// nothing. Over the composed platform, the forms API shows each member exactly the CRM records the pack kernel's
// member view computes, so pack scenario tests speak for the real API. On SQLite and PostgreSQL.

let database: TestDatabase;
let server: Awaited<ReturnType<typeof createPlatformServer>>;
let report: FirstStartReport;
let dataDir: string;
const passwords = new Map<string, string>();
const ctx = () => ({ db: database.db, actor: systemActor('test'), clock: systemClock, log: silentLogger() });

beforeAll(async () => {
  database = await createTestDatabase({ migrations: [...platformMigrations] });
  dataDir = mkdtempSync(path.join(tmpdir(), 'baton-packs-'));
  report = await firstStart(database, silentLogger(), { demo: true, dataDir });
  for (const line of readFileSync(path.join(dataDir, 'demo-credentials.txt'), 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [login, , password] = line.split('\t');
    if (login && password) passwords.set(login, password);
  }
  const config = loadConfig({ env: { BATON_WEB_ROOT: mkdtempSync(path.join(tmpdir(), 'baton-web-')) }, cwd: tmpdir() });
  server = await createPlatformServer({ config, database, log: silentLogger() });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.cleanup();
});

async function counts() {
  const db = database.db;
  const rows = async (key: string) => (await listRecords(ctx(), { pack: 'crm', key, limit: 200 })).records.length;
  return {
    customers: await rows('customerArchive'),
    opportunities: await rows('opportunity'),
    instances: (await db.selectFrom('baton_flow_instance').select('id').execute()).length,
    audit: Number((await db.selectFrom('baton_access_audit_head').select('seq').executeTakeFirst())?.seq ?? 0),
  };
}

describe('packs at start', () => {
  it('the first start installs the CRM and contracts packs with their demo data; a restart is a no-op', async () => {
    expect(report.packs?.[0]).toBe('crm 1.3.0 (演示数据 demo data)');
    expect(report.packs?.[1]).toMatch(/^contracts 1\.0\.0/);
    expect((await listInstalledPacks(ctx())).map((p) => p.key).sort()).toEqual(['contracts', 'crm']);
    const before = await counts();
    expect(before).toMatchObject({ customers: 12, opportunities: 8 });
    const again = await firstStart(database, silentLogger(), { demo: true, dataDir });
    expect(again.packs).toBeUndefined();
    expect(again.demo).toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it('the platform runs the pack’s rules: the demo’s approved borrowing request lent 北京星辰 to the 华东 director', async () => {
    const director = await createResolver(ctx(), 'crm').member('head:华东销售部');
    const grants = await database.db
      .selectFrom('baton_access_grant')
      .select(['resource', 'access'])
      .where('memberId', '=', director)
      .execute();
    expect(grants).toEqual([{ resource: 'crm.customerArchive', access: 'read' }]);
  });

  it('declares form permissions with the labels the server uses (the installer’s default declarer agrees)', () => {
    // Throws "defined twice" if the labels of kernel/pack's default declarer drifted from apps/server's.
    expect(() => defaultDeclarer.form('crm', 'customerArchive')).not.toThrow();
    expect(() => defaultDeclarer.flow('crm', 'customerArchiveGrant')).not.toThrow();
  });
});

type Session = { cookie: string; csrf: string; memberId: string };

async function signIn(memberId: string): Promise<Session> {
  const member = await database.db
    .selectFrom('baton_org_member')
    .select('login')
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow();
  const res = await server.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: member.login, password: passwords.get(member.login) },
  });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'baton_session')?.value;
  const csrf = res.cookies.find((c) => c.name === 'baton_csrf')?.value;
  return { cookie: `baton_session=${cookie}`, csrf: String(csrf), memberId };
}

describe('the forms API agrees with the pack kernel’s member view', () => {
  const members = [
    'staff:北京销售一组:0',
    'head:华北销售部',
    'head:华东销售部',
    'head:销售中心',
    'staff:销售管理部:0',
    'staff:档案室:0',
    'staff:研发一部:0',
  ];
  it.each(members)('%s sees the same customers, opportunities and borrowing requests', async (selector) => {
    const memberId = await createResolver(ctx(), 'crm').member(selector);
    const session = await signIn(memberId);
    for (const form of ['customerArchive', 'opportunity', 'customerArchiveGrant']) {
      const res = await server.inject({
        method: 'POST',
        url: `/api/forms/crm/${form}/records/query`,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
        payload: { limit: 200 },
      });
      const api = res.statusCode === 404 ? [] : (res.json().records as { id: string }[]).map((r) => r.id).sort();
      if (res.statusCode !== 404) expect(res.statusCode, res.body).toBe(200);
      const kernel = (await asMember(ctx(), 'crm', memberId).list(form)).map((r) => r.id).sort();
      expect(api, `${selector} on ${form}`).toEqual(kernel);
    }
  });
});

describe('a newer version imported by an administrator', () => {
  it('stays installed: the start skips the older shipped pack instead of failing', async () => {
    const document = { ...(await exportPack(ctx(), { key: 'crm' })), version: '9.0.0' };
    expect((await importPack(ctx(), document)).report?.outcome).toBe('upgraded');
    await firstStart(database, silentLogger(), { demo: true, dataDir });
    expect((await listInstalledPacks(ctx())).find((p) => p.key === 'crm')?.version).toBe('9.0.0');
  });
});
