import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Installation, newInstallation, runBaton } from './support.ts';

const repo = path.resolve(import.meta.dirname, '../../..');
const installations: Installation[] = [];
afterAll(() => {
  for (const installation of installations) installation.drop();
});

describe('baton pack', () => {
  it('validate all / a pack folder: every shipped pack is valid', async () => {
    const env = newInstallation().env;
    const all = await runBaton(['pack', 'validate', 'all'], env);
    expect(all.stdout).toContain('crm 1.3.0: ok (4 forms, 2 flows, 5 roles, 2 menus)');
    expect(all.code).toBe(0);
    const folder = await runBaton(['pack', 'validate', path.join(repo, 'packs/crm')], env);
    expect(folder.stdout).toContain('crm 1.3.0: ok');
    expect(folder.code).toBe(0);
  });

  it('validate a broken pack folder: exit 1, every problem with its path', async () => {
    const result = await runBaton(
      ['pack', 'validate', path.join(import.meta.dirname, 'fixtures/broken-pack')],
      newInstallation().env,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('invalid');
    expect(result.stdout).toContain('menus.0.items.0.form: No form "nowhere" in this pack [unknown_form]');
    expect(result.stdout).toContain('roles.0.permissions.0.form: No form "ghost" in this pack [unknown_form]');
  });

  it('export an installed pack, validate the document, and refuse one that is not installed', async () => {
    const installation = newInstallation();
    installations.push(installation);
    const migrate = await runBaton(['migrate'], installation.env);
    expect(migrate.code, migrate.stderr).toBe(0);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'baton-pack-')), 'crm.json');
    const exported = await runBaton(['pack', 'export', 'crm', '--out', file], installation.env);
    expect(exported.stdout).toContain(`exported crm 1.3.0 (4 forms, 2 flows) to ${file}`);
    const document = JSON.parse(readFileSync(file, 'utf8'));
    expect(document).toMatchObject({ format: 'baton.pack/1', key: 'crm', demo: {} });
    expect((await runBaton(['pack', 'validate', file], installation.env)).stdout).toContain('crm 1.3.0: ok');

    // The same document, damaged: a menu opens a form the pack lacks.
    document.menus[0].items[0].form = 'nowhere';
    writeFileSync(file, JSON.stringify(document));
    const damaged = await runBaton(['pack', 'validate', file], installation.env);
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toContain('menus.0.items.0.form');

    const toStdout = await runBaton(['pack', 'export', 'crm', '--with-demo'], installation.env);
    expect(JSON.parse(toStdout.stdout).demo.records).toHaveLength(20);
    const missing = await runBaton(['pack', 'export', 'nothing'], installation.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Pack nothing is not installed');
  }, 120_000);

  it('import: a dry run prints the diff and changes nothing; the import upgrades; a bad file changes nothing', async () => {
    const installation = newInstallation();
    installations.push(installation);
    expect((await runBaton(['migrate'], installation.env)).code).toBe(0);
    const folder = mkdtempSync(path.join(tmpdir(), 'baton-pack-'));
    const file = path.join(folder, 'crm.json');
    expect((await runBaton(['pack', 'export', 'crm', '--out', file], installation.env)).code).toBe(0);

    // The next version of the CRM, as another installation would hand it over: one more opportunity field.
    const document = JSON.parse(readFileSync(file, 'utf8'));
    document.version = '1.4.0';
    const opportunity = document.forms.find((form: { key: string }) => form.key === 'opportunity');
    opportunity.fields.push({ key: 'competitor', label: { zh: '竞争对手', en: 'Competitor' }, type: 'text' });
    const next = path.join(folder, 'crm-1.4.0.json');
    writeFileSync(next, JSON.stringify(document));

    const dry = await runBaton(['pack', 'import', next, '--dry-run'], installation.env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('crm 1.4.0 (Customer relationship management): upgrade from 1.3.0');
    expect(dry.stdout).toContain('~ opportunity: changed — add competitor');
    expect(dry.stdout).toContain('= customerArchive: unchanged');
    expect(dry.stdout).toContain('dry run: nothing changed');

    // The dry run wrote nothing: the import still finds 1.3.0 installed.
    const applied = await runBaton(['pack', 'import', next], installation.env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('upgrade from 1.3.0');
    expect(applied.stdout).toContain('upgraded crm 1.4.0');
    const same = await runBaton(['pack', 'import', next, '--dry-run'], installation.env);
    expect(same.stdout).toContain('same version as installed, nothing to change');

    // A hostile file: a form key written to reach SQL, a field carrying code; every problem with its path.
    opportunity.key = 'x; drop table baton_pack_install';
    opportunity.fields[0].onChange = 'require("child_process")';
    writeFileSync(next, JSON.stringify(document));
    const hostile = await runBaton(['pack', 'import', next], installation.env);
    expect(hostile.code).toBe(1);
    expect(hostile.stdout).toContain('invalid');
    expect(hostile.stdout).toMatch(/forms\.2\.key: .*\[/);
    expect(hostile.stdout).toContain('forms.2.fields.0');
    expect(hostile.stdout).toContain('nothing changed');
    writeFileSync(next, 'module.exports = { key: "crm" }');
    const code = await runBaton(['pack', 'import', next], installation.env);
    expect(code.code).toBe(1);
    expect(code.stderr).toContain('The pack file cannot be read: not JSON');
  }, 180_000);
});
