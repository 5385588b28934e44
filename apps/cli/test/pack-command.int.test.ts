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
    expect(all.stdout).toContain('crm 1.2.0: ok (4 forms, 2 flows, 5 roles, 2 menus)');
    expect(all.code).toBe(0);
    const folder = await runBaton(['pack', 'validate', path.join(repo, 'packs/crm')], env);
    expect(folder.stdout).toContain('crm 1.2.0: ok');
    expect(folder.code).toBe(0);
  });

  it('validate a broken pack folder: exit 1, every problem with its path', async () => {
    const result = await runBaton(
      ['pack', 'validate', path.join(import.meta.dirname, 'fixtures/broken-pack')],
      newInstallation().env,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('invalid');
    expect(result.stdout).toContain('menus.0.items.0.form: no form "nowhere" in this pack [unknown_form]');
    expect(result.stdout).toContain('roles.0.permissions.0.form: no form "ghost" in this pack [unknown_form]');
  });

  it('export an installed pack, validate the document, and refuse one that is not installed', async () => {
    const installation = newInstallation();
    installations.push(installation);
    const migrate = await runBaton(['migrate'], installation.env);
    expect(migrate.code, migrate.stderr).toBe(0);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'baton-pack-')), 'crm.json');
    const exported = await runBaton(['pack', 'export', 'crm', '--out', file], installation.env);
    expect(exported.stdout).toContain(`exported crm 1.2.0 (4 forms, 2 flows) to ${file}`);
    const document = JSON.parse(readFileSync(file, 'utf8'));
    expect(document).toMatchObject({ format: 'baton.pack/1', key: 'crm', demo: {} });
    expect((await runBaton(['pack', 'validate', file], installation.env)).stdout).toContain('crm 1.2.0: ok');

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
  }, 60_000);
});
