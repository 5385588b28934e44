import {
  asMember,
  buildDemoOrg,
  createResolver,
  exportPack,
  importPack,
  packFileText,
  packPlatformMigrations,
  previewImport,
  readPackFile,
} from '@baton/pack';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crm } from '../pack.ts';
import { openScenario, type Scenario } from './setup.ts';

// The CRM leaves one installation as a file and arrives in a fresh one: the diff shows every table to be
// created, the import installs it with its demo data, and a request is filed and approved there.

let s: Scenario;
let there: TestDatabase;
beforeAll(async () => {
  s = await openScenario();
  there = await createTestDatabase({ migrations: [...packPlatformMigrations] });
}, 120_000);
afterAll(async () => {
  await s?.database.cleanup();
  await there?.cleanup();
});

describe('CRM as a pack file into a fresh installation', () => {
  it('exports, previews, imports with its demo data, and a borrowing request is filed and approved there', async () => {
    const text = packFileText(await exportPack(s.ctx, { key: 'crm', includeDemo: true }));
    // The whole CRM with its demo data is a small file.
    expect(Buffer.byteLength(text)).toBeLessThan(200_000);

    const ctx = testCtx(there.db);
    ctx.clock.set('2026-12-01T02:00:00.000Z');
    await buildDemoOrg(ctx);
    const file = readPackFile(text);
    const preview = await previewImport(ctx, file, { demo: true });
    expect(preview.issues).toEqual([]);
    expect(preview.pack).toMatchObject({ key: 'crm', version: crm.version, hash: crm.hash });
    expect(preview.diff).toMatchObject({ step: 'install', installedVersion: null, ok: true, unchanged: false });
    expect(preview.diff?.forms.map((f) => [f.key, f.change, f.steps[0]?.action])).toEqual(
      crm.forms.map((f) => [f.key, 'added', 'createTable']),
    );
    // Roles the demo organisation already has are kept and given the pack's rights; the others are created.
    expect(preview.diff?.roles.map((r) => r.code)).toEqual(crm.roles.map((r) => r.code));
    expect(preview.diff?.roles.every((r) => r.change === (r.exists ? 'changed' : 'added') && r.grant.length > 0)).toBe(
      true,
    );
    expect(preview.diff?.demo).toMatchObject({ load: true, records: crm.demo.records?.length });

    const { report } = await importPack(ctx, file, { demo: true, expect: preview.diff?.fingerprint as string });
    expect(report).toMatchObject({ outcome: 'installed', version: crm.version });
    expect(report?.demo?.records).toBe(crm.demo.records?.length);

    const resolver = createResolver(ctx, 'crm');
    const director = asMember(ctx, 'crm', await resolver.member('head:华东销售部'));
    const admin = asMember(ctx, 'crm', await resolver.member('head:销售管理部'));
    const customer = report?.demo?.refs.c04 as string;
    const filed = await director.submit('customerArchiveGrant', { customerRef: customer, reason: '了解历史合作。' });
    const task = (await admin.pending()).find((t) => t.instanceId === filed.instanceId);
    expect((await admin.approve(task?.taskId as string, '同意')).state).toBe('approved');
    // The pack's rule came along: the approved request lent the customer to the director.
    expect((await director.get('customerArchive', customer)).values.companyName).toBe('天津滨海汽车销售有限公司');

    // Imported again, the same file changes nothing.
    const again = await importPack(ctx, readPackFile(text), { dryRun: true });
    expect(again.diff).toMatchObject({ step: 'same', unchanged: true });
  });
});
