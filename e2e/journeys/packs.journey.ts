// 应用包 as the administrator on a desktop: the installed CRM is exported as a file from the packs page; its next
// version (one more opportunity field) is imported again through the dialog — upload with progress, the diff
// against what is installed (the new column on opportunity, everything else unchanged, upgrade 1.2.0 → 1.2.1),
// confirmed and applied in place; the page then lists 1.2.1 and the new field is on the form. A damaged file is
// refused with its problems at their paths, and the same file a second time has nothing to import.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { signInAsAdmin } from '../lib/admin.ts';
import { expectPath, expectVisible } from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';

type PackFile = {
  format: string;
  key: string;
  version: string;
  forms: { key: string; fields: { key: string }[] }[];
  menus: { items: Record<string, unknown>[] }[];
};

const folder = await mkdtemp(path.join(tmpdir(), 'baton-e2e-packs-'));

async function chooseFile(page: Page, file: string): Promise<void> {
  await page.locator('.ant-modal .packs-dragger input[type="file"]').setInputFiles(file);
  await expectVisible(page.locator('.ant-modal .ant-upload-list-item', { hasText: path.basename(file) }));
}

async function uploadAndCheck(page: Page): Promise<void> {
  await page.locator('.ant-modal .packs-check').click();
  await expectVisible(page.locator('.ant-modal .packs-report'));
}

await journey('packs', async ({ open, step }) => {
  const desktop = await open('desktop');
  let exported: PackFile | undefined;
  let installedVersion = '';

  await step(desktop, 'sign-in-and-open-packs', async () => {
    await desktop.goto('/');
    await signInAsAdmin(desktop);
    await desktop.goto('/');
    // 管理 › 应用包 in the side menu.
    await desktop.getByRole('menuitem', { name: '管理' }).click();
    await desktop.getByRole('menuitem', { name: '应用包' }).click();
    await expectPath(desktop, '/admin/packs');
    await expectVisible(desktop.getByRole('heading', { level: 1, name: '应用包' }));
    const row = desktop.locator('.packs-table tr[data-pack="crm"]');
    await expectVisible(row);
    installedVersion = (await row.getAttribute('data-version')) ?? '';
    if (!/^\d+\.\d+\.\d+$/.test(installedVersion)) throw new Error(`crm row shows version "${installedVersion}"`);
  });

  await step(desktop, 'export-crm', async () => {
    const download = desktop.waitForEvent('download');
    await desktop.locator('.packs-table tr[data-pack="crm"] .packs-export').click();
    const file = await download;
    if (file.suggestedFilename() !== `crm-${installedVersion}.baton-pack.json`) {
      throw new Error(`export saved as ${file.suggestedFilename()}`);
    }
    const saved = path.join(folder, 'crm.json');
    await file.saveAs(saved);
    exported = JSON.parse(await readFile(saved, 'utf8')) as PackFile;
    if (exported.format !== 'baton.pack/1' || exported.key !== 'crm' || exported.version !== installedVersion) {
      throw new Error(`exported ${exported.format} ${exported.key} ${exported.version}`);
    }
  });

  // The next version, as another installation would hand it over: a patch release with one more field.
  const [major, minor, patch] = installedVersion.split('.').map(Number) as [number, number, number];
  const nextVersion = `${major}.${minor}.${patch + 1}`;
  const next = path.join(folder, `crm-${nextVersion}.json`);

  await step(desktop, 'preview-next-version', async () => {
    const document = structuredClone(exported) as PackFile;
    document.version = nextVersion;
    const opportunity = document.forms.find((form) => form.key === 'opportunity');
    if (!opportunity) throw new Error('the export has no opportunity form');
    opportunity.fields.push({ key: 'competitor', label: { zh: '竞争对手', en: 'Competitor' }, type: 'text' } as never);
    await writeFile(next, JSON.stringify(document, null, 2));

    await desktop.locator('.packs-import').click();
    await expectVisible(desktop.locator('.ant-modal', { hasText: '导入应用包' }));
    await chooseFile(desktop, next);
    await uploadAndCheck(desktop);
    const diff = desktop.locator('.ant-modal .packs-diff');
    await expectVisible(diff);
    if ((await diff.getAttribute('data-step')) !== 'upgrade') throw new Error('the diff is not an upgrade');
    await expectVisible(diff.getByText(`由 ${installedVersion} 升级到 ${nextVersion}`));
    const changed = diff.locator('[data-diff="forms"] tr[data-key="opportunity"]');
    await expectVisible(changed);
    if ((await changed.getAttribute('data-change')) !== 'changed') throw new Error('opportunity is not changed');
    await expectVisible(changed.getByText('新增列：competitor'));
    const unchanged = diff.locator('[data-diff="forms"] tr[data-key="customerArchive"]');
    if ((await unchanged.getAttribute('data-change')) !== 'unchanged') throw new Error('customerArchive changed');
  });

  await step(desktop, 'confirm-import', async () => {
    await desktop.locator('.ant-modal .packs-confirm').click();
    await expectVisible(desktop.locator('.ant-modal .packs-result', { hasText: nextVersion }));
    await desktop.locator('.ant-modal .ant-modal-footer button').click();
    const row = desktop.locator(`.packs-table tr[data-pack="crm"][data-version="${nextVersion}"]`);
    await expectVisible(row);
    // The new field is on the published form, and the records are still there.
    const form = await desktop.request.get('/api/forms/crm/opportunity');
    const fields = ((await form.json()) as { definition: { fields: { key: string }[] } }).definition.fields;
    if (!fields.some((field) => field.key === 'competitor')) throw new Error('competitor is not on the form');
    const records = await desktop.request.post('/api/forms/crm/opportunity/records/query', {
      data: { limit: 5 },
      headers: { 'x-csrf-token': await csrf(desktop) },
    });
    if (((await records.json()) as { records: unknown[] }).records.length === 0) throw new Error('records are gone');
  });

  await step(desktop, 'damaged-file-refused', async () => {
    const damaged = structuredClone(exported) as PackFile;
    damaged.version = `${major}.${minor}.${patch + 2}`;
    (damaged.menus[0] as PackFile['menus'][number]).items[0] = {
      key: 'ghost',
      label: { zh: '幽灵', en: 'Ghost' },
      form: 'ghost',
    };
    const file = path.join(folder, 'damaged.json');
    await writeFile(file, JSON.stringify(damaged));
    await desktop.locator('.packs-import').click();
    await chooseFile(desktop, file);
    await uploadAndCheck(desktop);
    const issues = desktop.locator('.ant-modal .packs-issues');
    await expectVisible(issues.getByText('menus.0.items.0.form'));
    if (await desktop.locator('.ant-modal .packs-confirm').isEnabled())
      throw new Error('a damaged file can be imported');
  });

  await step(desktop, 'same-file-again-nothing-to-import', async () => {
    await chooseFile(desktop, next);
    await uploadAndCheck(desktop);
    await expectVisible(desktop.locator('.ant-modal .packs-diff[data-step="same"]'));
    await expectVisible(desktop.locator('.ant-modal').getByText(`与已安装的版本 ${nextVersion} 完全相同，无需导入`));
    if (await desktop.locator('.ant-modal .packs-confirm').isEnabled())
      throw new Error('nothing to import, yet enabled');
  });
});

async function csrf(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  return cookies.find((cookie) => cookie.name === 'baton_csrf')?.value ?? '';
}
