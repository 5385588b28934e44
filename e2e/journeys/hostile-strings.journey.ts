// Stored XSS through administrator-defined strings: a form whose title, field labels, option labels and a
// record's values carry markup and script. Every page that shows them (data centre, record list, record page,
// its print view, the phone layout) must show the text as text: no dialog opens, and no element with an inline
// event handler or an inline script reaches the DOM.
import type { APIResponse, Page } from 'playwright-core';
import { signInAsAdmin } from '../lib/admin.ts';
import { expectVisible } from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';

const PACK = 'e2eHostile';
const KEY = 'probe';
const label = (zh: string, en: string) => ({ zh, en });
const IMG = '<img src=x onerror="alert(\'label\')">';
const SVG = '"><svg onload=alert(1)>';

const definition = {
  pack: PACK,
  key: KEY,
  kind: 'archive',
  label: label(`探针表${SVG}`, `Probe${SVG}`),
  fields: [
    { key: 'title', label: label(`标题${IMG}`, `Title${IMG}`), type: 'text', required: true },
    {
      key: 'kind',
      label: label('类别', 'Kind'),
      type: 'select',
      options: [{ code: 'a', label: label('<b onmouseover=alert(2)>甲</b>', '<b onmouseover=alert(2)>A</b>') }],
    },
    { key: 'body', label: label('正文', 'Body'), type: 'richtext' },
  ],
};

const TITLE = '<script>alert("value")</script>合同';

async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === 'baton_csrf')?.value;
  return csrf ? { 'X-CSRF-Token': decodeURIComponent(csrf) } : {};
}

async function ok(response: APIResponse, what: string): Promise<{ id?: string }> {
  if (!response.ok()) throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as { id?: string };
}

/** Fails if a dialog opened or markup from the data became live DOM. */
async function expectInert(page: Page, dialogs: string[]): Promise<void> {
  await page.waitForLoadState('networkidle');
  if (dialogs.length) throw new Error(`a dialog opened: ${dialogs.join(', ')}`);
  const live = await page.locator('[onerror], [onload], [onmouseover], script:not([src]), svg[onload]').count();
  if (live > 0) throw new Error(`${live} element(s) with inline handlers or scripts reached the page`);
}

await journey('hostile-strings', async ({ open, step }) => {
  const desktop = await open('desktop');
  const dialogs: string[] = [];
  desktop.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  let recordId = '';

  await step(desktop, 'publish-hostile-form', async () => {
    await signInAsAdmin(desktop);
    const existing = await desktop.request.get(`/api/forms/${PACK}/${KEY}`);
    if (existing.status() === 404) {
      await ok(
        await desktop.request.post('/api/forms', { data: definition, headers: await csrfHeaders(desktop) }),
        'publish',
      );
    }
    const created = await ok(
      await desktop.request.post(`/api/forms/${PACK}/${KEY}/records`, {
        data: {
          values: {
            title: TITLE,
            kind: 'a',
            body: '<p>正文<img src=x onerror="alert(3)"><script>alert(4)</script><a href="javascript:alert(5)">链接</a></p>',
          },
        },
        headers: await csrfHeaders(desktop),
      }),
      'create record',
    );
    recordId = String(created.id);
  });

  await step(desktop, 'data-centre-shows-title-as-text', async () => {
    await desktop.goto('/records');
    await expectVisible(desktop.getByText(`探针表${SVG}`).first());
    await expectInert(desktop, dialogs);
  });

  await step(desktop, 'record-list-shows-values-as-text', async () => {
    await desktop.goto(`/records/${PACK}/${KEY}`);
    await expectVisible(desktop.getByText(TITLE).first());
    await expectInert(desktop, dialogs);
  });

  await step(desktop, 'record-page-shows-labels-and-values-as-text', async () => {
    await desktop.goto(`/records/${PACK}/${KEY}/${recordId}`);
    await expectVisible(desktop.getByText(`标题${IMG}`).first());
    await expectVisible(desktop.getByText(TITLE).first());
    // The rich text keeps its text and its harmless markup, loses the script, the handler and the javascript: link.
    await expectVisible(desktop.getByText('正文').first());
    const hrefs = await desktop.locator('a[href^="javascript:"]').count();
    if (hrefs > 0) throw new Error('a javascript: link reached the page');
    await expectInert(desktop, dialogs);
  });

  await step(desktop, 'print-view-shows-labels-and-values-as-text', async () => {
    const href = await desktop.locator('.record-print').getAttribute('href');
    if (href !== `/print/records/${PACK}/${KEY}/${recordId}`) throw new Error(`打印 links to ${href}`);
    await desktop.goto(href);
    await expectVisible(desktop.locator('.print-sheet h1').getByText(`探针表${SVG}`));
    await expectVisible(desktop.getByText(`标题${IMG}`).first());
    await expectVisible(desktop.getByText(TITLE).first());
    const hrefs = await desktop.locator('a[href^="javascript:"]').count();
    if (hrefs > 0) throw new Error('a javascript: link reached the print view');
    await expectInert(desktop, dialogs);
  });

  const phone = await open('phone');
  const phoneDialogs: string[] = [];
  phone.on('dialog', (dialog) => {
    phoneDialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await step(phone, 'phone-record-page', async () => {
    await signInAsAdmin(phone);
    await phone.goto(`/records/${PACK}/${KEY}/${recordId}`);
    await expectVisible(phone.getByText(TITLE).first());
    await expectInert(phone, phoneDialogs);
  });
});
