import { grantPermissions } from '@baton/access';
import { createFakeClock, type FakeClock, isBatonError } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { publishFlow } from '@baton/flow';
import { listRecords, publishForm } from '@baton/form';
import { assignRole, createRole } from '@baton/org';
import {
  asMember,
  buildDemoOrg,
  createResolver,
  defaultDeclarer,
  definePack,
  diffPack,
  exportPack,
  importPack,
  installPack,
  listPackCandidates,
  PackFileLimits,
  type PackInput,
  packFileText,
  packPlatformMigrations,
  previewImport,
  readPackFile,
  wireRules,
} from '@baton/pack';
import { publishReport } from '@baton/report';
import { publishRule } from '@baton/rule';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPack } from './fixtures.ts';

// Import of pack files: the diff against what is installed, upgrade in place, refusals that leave nothing
// behind, and the export of an app assembled in the designers into a second, fresh installation.

let here: TestDatabase;
let there: TestDatabase;
let ctx: DbCtx & { clock: FakeClock };
let fresh: DbCtx & { clock: FakeClock };
const unwire = wireRules();

beforeAll(async () => {
  here = await createTestDatabase({ migrations: [...packPlatformMigrations] });
  there = await createTestDatabase({ migrations: [...packPlatformMigrations] });
  ctx = testCtx(here.db, { clock: createFakeClock('2026-11-30T02:00:00.000Z') });
  fresh = testCtx(there.db, { clock: createFakeClock('2026-12-01T02:00:00.000Z') });
  await buildDemoOrg(ctx);
  await buildDemoOrg(fresh);
  await installPack(ctx, definePack(tinyPack()), { demo: true });
}, 120_000);
afterAll(async () => {
  unwire();
  await here?.cleanup();
  await there?.cleanup();
});

async function caught(promise: Promise<unknown> | (() => unknown)): Promise<{ code: string; fields: string[] }> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (isBatonError(error)) return { code: error.code, fields: error.fields.map((f) => f.path.join('.')) };
    throw error;
  }
  throw new Error('expected an error');
}

/** Everything an import can touch, counted: a refused import leaves every figure as it was. */
async function footprint(c: DbCtx) {
  const count = async (
    table: 'baton_form_definition' | 'baton_flow_definition' | 'baton_rule_definition' | 'baton_report_definition',
  ) => (await c.db.selectFrom(table).select('key').execute()).length;
  const tables = await c.db.introspection.getTables();
  return {
    forms: await count('baton_form_definition'),
    flows: await count('baton_flow_definition'),
    rules: await count('baton_rule_definition'),
    reports: await count('baton_report_definition'),
    tables: tables.filter((t) => t.name.startsWith('f_')).length,
    installs: (await c.db.selectFrom('baton_pack_install').select(['key', 'hash', 'version']).execute()).map(
      (row) => `${row.key}@${row.version}:${row.hash.slice(0, 8)}`,
    ),
    permissions: (await c.db.selectFrom('baton_access_role_permission').select('permission').execute()).length,
    audit: Number((await c.db.selectFrom('baton_access_audit_head').select('seq').executeTakeFirst())?.seq ?? 0),
  };
}

/** The tiny pack as a file, through text and back, as an upload would carry it. */
const asFile = (input: PackInput) => readPackFile(packFileText({ format: 'baton.pack/1', ...input }));

const v1 = tinyPack();
const [ledger, request] = v1.forms as [PackInput['forms'][number], PackInput['forms'][number]];

describe('diffPack', () => {
  it('the installed pack against itself: same version, nothing to do', async () => {
    const diff = await diffPack(ctx, definePack(tinyPack()));
    expect(diff).toMatchObject({ step: 'same', installedVersion: '1.0.0', unchanged: true, ok: true });
    for (const list of [diff.forms, diff.flows, diff.rules, diff.reports, diff.menus, diff.roles]) {
      expect(list.map((entry) => entry.change)).toEqual(list.map(() => 'unchanged'));
    }
    expect(diff.forms.map((f) => [f.key, f.installedVersion])).toEqual([
      ['ledger', 1],
      ['request', 1],
    ]);
    expect(diff.demo).toEqual({ assignments: 2, records: 2, filings: 2, load: false });
  });

  it('a new version: columns added and kept, a flow following its form, removals kept, grants and revokes', async () => {
    const v2 = definePack({
      ...v1,
      version: '1.1.0',
      forms: [
        {
          ...ledger,
          fields: [...ledger.fields, { key: 'category', label: { zh: '类别', en: 'Category' }, type: 'text' }],
        },
        request,
      ],
      reports: [],
      menus: [{ ...(v1.menus[0] as PackInput['menus'][number]), items: v1.menus[0]?.items.slice(0, 2) ?? [] }],
      roles: v1.roles.map((role) =>
        role.code === 'tinyReviewer' ? { ...role, permissions: [{ form: 'ledger', read: ['all'] }] } : role,
      ),
    });
    const diff = await diffPack(ctx, v2);
    expect(diff).toMatchObject({ step: 'upgrade', installedVersion: '1.0.0', unchanged: false, ok: true });
    const ledgerDiff = diff.forms.find((f) => f.key === 'ledger');
    expect(ledgerDiff).toMatchObject({ change: 'changed', installedVersion: 1, ok: true });
    expect(ledgerDiff?.steps.filter((s) => s.action === 'add').map((s) => s.column)).toEqual(['category']);
    expect(ledgerDiff?.steps.filter((s) => s.action === 'keep').map((s) => s.path)).toContain('amount');
    expect(diff.forms.find((f) => f.key === 'request')?.change).toBe('unchanged');
    expect(diff.reports).toEqual([
      {
        key: 'ledgerByKeeper',
        label: { zh: '台账按经办人', en: 'Ledgers by keeper' },
        change: 'removed',
        installedVersion: 1,
      },
    ]);
    // The rule grants on the ledger, whose form changes: it is published again against the new version.
    expect(diff.rules).toMatchObject([{ key: 'lendLedger', change: 'changed', reason: 'form' }]);
    expect(diff.flows).toMatchObject([{ key: 'requestApproval', change: 'unchanged' }]);
    expect(diff.menus).toMatchObject([{ key: 'tiny', change: 'changed' }]);
    expect(diff.roles.find((r) => r.code === 'tinyReviewer')).toMatchObject({
      change: 'changed',
      exists: true,
      grant: [],
      revoke: ['form.tiny.request.read.all'],
    });
    // Nothing was written by diffing.
    expect(await diffPack(ctx, definePack(tinyPack()))).toMatchObject({ unchanged: true });
  });

  it('a type change some stored values cannot take: refused in the diff, and the import changes nothing', async () => {
    const broken = {
      ...v1,
      version: '1.2.0',
      // "title" holds 北京台账 / 华东台账: neither is a number.
      forms: [
        { ...ledger, fields: ledger.fields.map((f) => (f.key === 'title' ? { ...f, type: 'number' } : f)) },
        request,
      ],
    } as PackInput;
    const preview = await previewImport(ctx, asFile(broken));
    expect(preview.issues).toEqual([]);
    const title = preview.diff?.forms[0]?.steps.find((s) => s.path === 'title');
    expect(title).toMatchObject({ action: 'refused', from: 'text', to: 'number' });
    expect(title?.rows).toHaveLength(2);
    expect(preview.diff?.ok).toBe(false);
    const before = await footprint(ctx);
    expect((await caught(importPack(ctx, asFile(broken)))).code).toBe('FORM_MIGRATION_UNSAFE');
    expect(await footprint(ctx)).toEqual(before);
  });

  it('an older version: the diff says downgrade and the import is refused', async () => {
    const older = await previewImport(ctx, asFile({ ...v1, version: '0.9.0' }));
    expect(older.diff).toMatchObject({ step: 'downgrade', ok: false, installedVersion: '1.0.0' });
    const before = await footprint(ctx);
    expect((await caught(importPack(ctx, asFile({ ...v1, version: '0.9.0' })))).code).toBe('PACK_DOWNGRADE');
    expect(await footprint(ctx)).toEqual(before);
  });
});

describe('importPack', () => {
  it('upgrades in place: data kept, the confirmed diff applied, then a dry run of the same file is a no-op', async () => {
    const v2: PackInput = {
      ...v1,
      version: '1.1.0',
      forms: [
        {
          ...ledger,
          fields: [...ledger.fields, { key: 'category', label: { zh: '类别', en: 'Category' }, type: 'text' }],
        },
        request,
      ],
    };
    const file = asFile(v2);
    const preview = await previewImport(ctx, file);
    const before = await listRecords(ctx, { pack: 'tiny', key: 'ledger' });
    const dry = await importPack(ctx, file, { dryRun: true });
    expect(dry.report).toBeNull();
    expect(dry.diff.fingerprint).toBe(preview.diff?.fingerprint);
    const result = await importPack(ctx, file, { expect: preview.diff?.fingerprint as string });
    expect(result.report).toMatchObject({ outcome: 'upgraded', previousVersion: '1.0.0', version: '1.1.0' });
    expect(result.report?.forms).toContainEqual({ key: 'ledger', version: 2, unchanged: false });
    const after = await listRecords(ctx, { pack: 'tiny', key: 'ledger' });
    expect(after.records.map((r) => [r.id, r.values.title, r.values.category])).toEqual(
      before.records.map((r) => [r.id, r.values.title, null]),
    );
    const again = await importPack(ctx, file, { dryRun: true });
    expect(again.diff).toMatchObject({ step: 'same', unchanged: true });
    expect((await importPack(ctx, file)).report?.outcome).toBe('unchanged');
  });

  it('a confirmed diff that no longer holds (a designer published since): PACK_DIFF_CHANGED, nothing changed', async () => {
    const v3: PackInput = { ...v1, version: '1.2.0' };
    const preview = await previewImport(ctx, asFile(v3));
    const exported = await exportPack(ctx, { key: 'tiny' });
    const current = exported.forms.find((f) => f.key === 'request');
    const { hash: _hash, ...edited } = current as NonNullable<typeof current>;
    await publishForm(ctx, {
      ...edited,
      fields: [...edited.fields, { key: 'note', label: { zh: '备注', en: 'Note' }, type: 'text' }],
    } as never);
    const before = await footprint(ctx);
    expect((await caught(importPack(ctx, asFile(v3), { expect: preview.diff?.fingerprint as string }))).code).toBe(
      'PACK_DIFF_CHANGED',
    );
    expect(await footprint(ctx)).toEqual(before);
    // The same document again puts the pack's definition back: the designer's version is superseded, not lost.
    const diff = (await previewImport(ctx, asFile(v3))).diff;
    expect(diff?.forms.find((f) => f.key === 'request')).toMatchObject({ change: 'changed', installedVersion: 2 });
    expect(diff?.forms.find((f) => f.key === 'request')?.steps).toContainEqual(
      expect.objectContaining({ action: 'hidden', path: 'note' }),
    );
    expect(diff?.flows).toMatchObject([{ key: 'requestApproval', change: 'changed', reason: 'form' }]);
    const result = await importPack(ctx, asFile(v3));
    expect(result.report?.forms).toContainEqual({ key: 'request', version: 3, unchanged: false });
  });

  it('the same content as installed after a designer changed a form: reapplied, not skipped', async () => {
    const v3: PackInput = { ...v1, version: '1.2.0' };
    const exported = await exportPack(ctx, { key: 'tiny' });
    const { hash: _hash, ...edited } = exported.forms.find((f) => f.key === 'ledger') as NonNullable<
      (typeof exported.forms)[number]
    >;
    await publishForm(ctx, {
      ...edited,
      fields: [...edited.fields, { key: 'remark', label: { zh: '备注', en: 'Remark' }, type: 'text' }],
    } as never);
    const diff = (await importPack(ctx, asFile(v3), { dryRun: true })).diff;
    expect(diff).toMatchObject({ step: 'same', unchanged: false });
    expect(diff.forms.find((f) => f.key === 'ledger')?.change).toBe('changed');
    const result = await importPack(ctx, asFile(v3));
    expect(result.report?.outcome).toBe('upgraded');
    expect((await importPack(ctx, asFile(v3), { dryRun: true })).diff.unchanged).toBe(true);
  });
});

describe('hostile pack files', () => {
  const valid = () => JSON.parse(packFileText({ format: 'baton.pack/1', ...tinyPack({ version: '9.0.0' }) }));

  it('are refused with a coded error and change nothing', async () => {
    const before = await footprint(ctx);
    const cases: [string, () => unknown, string][] = [
      ['not JSON (a module)', () => readPackFile('export default definePack({ key: "x" })'), 'PACK_FILE_INVALID'],
      ['empty', () => readPackFile(''), 'PACK_FILE_INVALID'],
      ['not UTF-8', () => readPackFile(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 'PACK_FILE_INVALID'],
      ['an array', () => readPackFile('[]'), 'PACK_FILE_INVALID'],
      ['no format', () => readPackFile(JSON.stringify({ ...valid(), format: undefined })), 'PACK_FILE_INVALID'],
      [
        'a future format',
        () => readPackFile(JSON.stringify({ ...valid(), format: 'baton.pack/2' })),
        'PACK_FORMAT_UNSUPPORTED',
      ],
      [
        'too large',
        () => readPackFile(`{"format":"baton.pack/1","pad":"${'x'.repeat(PackFileLimits.bytes)}"}`),
        'PACK_FILE_TOO_LARGE',
      ],
      [
        'too deep',
        () => readPackFile(`{"format":"baton.pack/1","x":${'['.repeat(5000)}${']'.repeat(5000)}}`),
        'PACK_FILE_INVALID',
      ],
      [
        'a prototype key',
        () => readPackFile(JSON.stringify(valid()).replace('"key":"tiny"', '"__proto__":{"admin":true},"key":"tiny"')),
        'PACK_FILE_INVALID',
      ],
      ['a NUL', () => readPackFile(JSON.stringify({ ...valid(), key: 'ti\u0000ny' })), 'PACK_FILE_INVALID'],
      ['a function', () => importPack(ctx, { ...valid(), menus: () => [] }), 'PACK_FILE_INVALID'],
    ];
    for (const [what, run, code] of cases) expect([what, (await caught(run)).code]).toEqual([what, code]);

    // Definitions that would reach SQL with a hostile name, or carry code: PACK_INVALID, each at its path.
    const hostile = valid();
    hostile.key = "tiny'; drop table baton_pack_install; --";
    const badKey = await caught(importPack(ctx, hostile));
    expect(badKey).toMatchObject({ code: 'PACK_INVALID' });
    expect(badKey.fields).toContain('key');
    const badForm = valid();
    badForm.forms[0].key = 'ledger"; drop table x';
    badForm.forms[0].fields[0].key = 'title) --';
    badForm.forms[1].fields.push({ key: 'x', label: { zh: 'x', en: 'x' }, type: 'text', onChange: 'fetch("//evil")' });
    badForm.rules[0].actions[0].script = 'process.exit()';
    const refused = await caught(importPack(ctx, badForm));
    expect(refused.code).toBe('PACK_INVALID');
    expect(refused.fields).toEqual(expect.arrayContaining(['forms.0.key', 'forms.0.fields.0.key', 'forms.1.fields.4']));
    expect(refused.fields.some((path) => path.startsWith('rules.0'))).toBe(true);
    const preview = await previewImport(ctx, badForm);
    expect(preview.diff).toBeNull();
    expect(preview.pack).toMatchObject({ key: 'tiny', version: '9.0.0' });
    expect(preview.issues.length).toBeGreaterThan(3);
    expect(await footprint(ctx)).toEqual(before);
  });
});

describe('an app assembled in the designers, exported and imported into a fresh installation', () => {
  const l = (zh: string, en: string) => ({ zh, en });

  it('travels with its forms, flow, rule, report, a generated menu and the roles as granted', async () => {
    // What an administrator does in the browser: publish under the key `meeting`, grant roles on it.
    await createRole(ctx, {
      code: 'meetingAdmin',
      name: '会议室管理员',
      nameEn: 'Meeting room admin',
      kind: 'business',
    });
    await createRole(ctx, { code: 'meetingBooker', name: '预订人', kind: 'business' });
    await publishForm(ctx, {
      pack: 'meeting',
      key: 'archive',
      kind: 'archive',
      label: l('预订台账', 'Booking archive'),
      fields: [
        { key: 'room', label: l('会议室', 'Room'), type: 'text', required: true },
        { key: 'attendees', label: l('人数', 'Attendees'), type: 'number', scale: 0 },
      ],
    });
    await publishForm(ctx, {
      pack: 'meeting',
      key: 'booking',
      kind: 'flow',
      label: l('会议室预订', 'Room booking'),
      fields: [
        {
          key: 'room',
          label: l('会议室', 'Room'),
          type: 'select',
          options: [
            { code: 'a', label: l('一号', 'Room A') },
            { code: 'b', label: l('二号', 'Room B') },
          ],
          required: true,
        },
        { key: 'attendees', label: l('人数', 'Attendees'), type: 'number', scale: 0, required: true },
      ],
    });
    await publishFlow(ctx, {
      pack: 'meeting',
      key: 'bookingApproval',
      name: l('预订审批', 'Booking approval'),
      form: { pack: 'meeting', key: 'booking' },
      nodes: [
        { key: 'start', kind: 'start' },
        { key: 'admin', kind: 'approval', mode: 'anySign', assignees: [{ source: 'role', role: 'meetingAdmin' }] },
        { key: 'end', kind: 'end' },
      ],
      edges: [
        { from: 'start', to: 'admin' },
        { from: 'admin', to: 'end' },
      ],
    });
    await publishRule(ctx, {
      pack: 'meeting',
      key: 'archiveApproved',
      name: l('批准后入台账', 'Archive approved bookings'),
      on: { flow: 'meeting.bookingApproval', events: ['approved'] },
      actions: [
        { kind: 'writeBack', form: 'meeting.archive', mode: 'insert', set: { room: 'room', attendees: 'attendees' } },
      ],
    });
    await publishReport(ctx, {
      pack: 'meeting',
      key: 'byRoom',
      label: l('按会议室', 'By room'),
      form: { pack: 'meeting', key: 'archive' },
      rows: [{ field: 'room' }],
      measures: [{ key: 'bookings', agg: 'count' }],
    });
    // The forms and flows APIs declare the per-form and per-flow permissions of what they publish.
    for (const form of ['archive', 'booking']) defaultDeclarer.form('meeting', form);
    defaultDeclarer.flow('meeting', 'bookingApproval');
    await grantPermissions(ctx, { role: 'meetingAdmin', permissions: ['form.meeting.archive.read.all'] });
    await grantPermissions(ctx, {
      role: 'meetingBooker',
      permissions: ['flow.meeting.bookingApproval.start', 'form.meeting.booking.create'],
    });

    expect((await listPackCandidates(ctx)).find((c) => c.key === 'meeting')).toEqual({
      key: 'meeting',
      counts: { forms: 2, flows: 1, rules: 1, reports: 1 },
    });
    const document = await exportPack(ctx, { key: 'meeting', version: '1.0.0', name: l('会议室', 'Meeting rooms') });
    expect(document.menus).toEqual([
      {
        key: 'meeting',
        label: l('会议室', 'Meeting rooms'),
        items: [
          { key: 'archive', label: l('预订台账', 'Booking archive'), form: 'archive' },
          { key: 'bookingApproval', label: l('预订审批', 'Booking approval'), flow: 'bookingApproval' },
          { key: 'byRoom', label: l('按会议室', 'By room'), report: 'byRoom' },
        ],
      },
    ]);
    expect(document.roles).toEqual([
      {
        code: 'meetingAdmin',
        name: l('会议室管理员', 'Meeting room admin'),
        permissions: [{ form: 'archive', read: ['all'] }],
      },
      {
        code: 'meetingBooker',
        name: l('预订人', '预订人'),
        permissions: [
          { form: 'booking', create: true },
          { flow: 'bookingApproval', start: true },
        ],
      },
    ]);

    // The other installation knows nothing of it.
    const file = readPackFile(packFileText(document));
    const preview = await previewImport(fresh, file);
    expect(preview.issues).toEqual([]);
    expect(preview.diff).toMatchObject({ step: 'install', installedVersion: null, ok: true });
    expect(preview.diff?.forms.map((f) => [f.key, f.change, f.steps[0]?.action])).toEqual([
      ['archive', 'added', 'createTable'],
      ['booking', 'added', 'createTable'],
    ]);
    expect(preview.diff?.roles.map((r) => [r.code, r.change, r.grant.length])).toEqual([
      ['meetingAdmin', 'added', 1],
      ['meetingBooker', 'added', 2],
    ]);
    const imported = await importPack(fresh, file);
    expect(imported.report).toMatchObject({ outcome: 'installed', rolesCreated: ['meetingAdmin', 'meetingBooker'] });

    // A member files a booking there, the administrator approves, the rule archives it.
    const resolver = createResolver(fresh, 'meeting');
    const booker = await resolver.member('staff:北京销售一组:0');
    const admin = await resolver.member('head:行政部');
    await assignRole(fresh, { role: 'meetingAdmin', memberId: admin });
    await assignRole(fresh, { role: 'meetingBooker', memberId: booker });
    const filed = await asMember(fresh, 'meeting', booker).submit('bookingApproval', { room: 'a', attendees: 12 });
    const task = (await asMember(fresh, 'meeting', admin).pending()).find((t) => t.instanceId === filed.instanceId);
    expect((await asMember(fresh, 'meeting', admin).approve(task?.taskId as string, '同意')).state).toBe('approved');
    const archived = await asMember(fresh, 'meeting', admin).list('archive');
    expect(archived.map((r) => [r.values.room, r.values.attendees])).toEqual([['a', 12]]);
  });
});
