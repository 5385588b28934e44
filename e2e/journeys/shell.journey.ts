// The web shell: sign-in required (as admin, changing the first-start password if no journey did
// yet), Chinese by default, English on request and remembered (in the browser, and on the member: a new
// browser adopts it at sign-in), the login page, the 404 page, and the same essentials on a phone where
// the side menu becomes a drawer.
import type { Page } from 'playwright-core';
import { readSession, signInAsAdmin } from '../lib/admin.ts';
import {
  expectHidden,
  expectHtmlLang,
  expectLocalStorage,
  expectNoHorizontalOverflow,
  expectNoOverlap,
  expectPath,
  expectTitleContains,
  expectVisible,
} from '../lib/expect.ts';
import { journey } from '../lib/journey.ts';
import type { PageGlobals } from '../lib/page-globals.ts';

const unknownPath = '/no-such-page-e2e';

function heading(page: Page, name: string) {
  return page.getByRole('heading', { level: 1, name, exact: true });
}

function menuItem(page: Page, name: string) {
  // An entry with work waiting carries its count, read as 待办 (1), when journeys before this one left
  // some; the animated badge digits beside it are hidden from screen readers.
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByRole('menuitem', { name: new RegExp(`^${escaped}(\\s*\\(\\d+\\))?$`) });
}

function languageOption(page: Page, name: '中文' | 'English') {
  return page.locator('.language-switch').getByText(name, { exact: true });
}

await journey('shell', async ({ open, step }) => {
  const desktop = await open('desktop');

  await step(desktop, 'desktop-sign-in-required', async () => {
    await desktop.goto('/pending');
    await expectPath(desktop, '/login');
    const next = new URL(desktop.url()).searchParams.get('next');
    if (next !== '/pending') throw new Error(`expected ?next=/pending, found ${next}`);
    await expectVisible(heading(desktop, '登录'));
  });

  await step(desktop, 'desktop-sign-in', async () => {
    const session = await signInAsAdmin(desktop);
    await expectPath(desktop, '/pending');
    await expectVisible(heading(desktop, '待办'));
    if (!session.permissions.includes('org.write')) throw new Error('admin lacks org.write');
    // The user menu names the member who is signed in.
    await expectVisible(desktop.getByRole('button', { name: `用户菜单: ${session.member.name}` }));
  });

  await step(desktop, 'desktop-profile', async () => {
    await desktop.getByRole('button', { name: /^用户菜单/ }).click();
    await desktop.getByRole('menuitem', { name: '个人资料' }).click();
    await expectPath(desktop, '/profile');
    await expectVisible(heading(desktop, '个人资料'));
    const details = desktop.locator('.profile-card').first();
    await expectVisible(details.getByText('admin', { exact: true }).first());
    await expectVisible(details.getByText(/^共 \d+ 项权限$/));
    await expectVisible(desktop.locator('.password-form'));
  });

  await step(desktop, 'desktop-default-chinese', async () => {
    await desktop.goto('/');
    await expectHtmlLang(desktop, 'zh-CN');
    await expectVisible(menuItem(desktop, '待办'));
    await expectVisible(menuItem(desktop, '管理'));
    await expectVisible(heading(desktop, '工作台'));
    // The workspace shows the member's numbers (the portal's announcements and reports come later).
    await expectVisible(desktop.locator('.work-home-tiles'));
    await expectTitleContains(desktop, '工作台');
    await expectVisible(desktop.locator('.health-badge[data-health="ready"]'));
    await expectVisible(desktop.getByRole('banner').getByText('接力', { exact: true }));
  });

  await step(desktop, 'desktop-menu-pending', async () => {
    await menuItem(desktop, '待办').click();
    await expectPath(desktop, '/pending');
    await expectVisible(heading(desktop, '待办'));
    await expectVisible(desktop.getByText('等待您审批或处理的事项', { exact: false }));
  });

  await step(desktop, 'desktop-menu-keyboard', async () => {
    // The menu must work without a mouse: Tab into it, arrow to an entry, Enter to open it.
    await desktop.getByRole('button', { name: /^用户菜单/ }).focus();
    await desktop.keyboard.press('Tab');
    const focusedText = () =>
      desktop.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.textContent ?? '');
    // Each press is judged only after focus has moved: under load antd moves it a frame later, and
    // reading too early made the loop press past 已办.
    for (let presses = 0; presses < 20 && (await focusedText()) !== '已办'; presses += 1) {
      const before = await focusedText();
      await desktop.keyboard.press('ArrowDown');
      for (let waited = 0; waited < 20 && (await focusedText()) === before; waited += 1) {
        await desktop.waitForTimeout(50);
      }
    }
    if ((await focusedText()) !== '已办') throw new Error('ArrowDown never reached the 已办 menu entry');
    await desktop.keyboard.press('Enter');
    await expectPath(desktop, '/done');
    await expectVisible(heading(desktop, '已办'));
  });

  await step(desktop, 'desktop-switch-to-english', async () => {
    // Signed in, the choice is also saved on the server (with the CSRF header every write carries).
    const [saved] = await Promise.all([
      desktop.waitForResponse(
        (response) => new URL(response.url()).pathname === '/api/auth/locale' && response.request().method() === 'PUT',
      ),
      languageOption(desktop, 'English').click(),
    ]);
    if (saved.status() !== 204) throw new Error(`PUT /api/auth/locale answered ${saved.status()}`);
    if (!saved.request().headers()['x-csrf-token']) throw new Error('PUT /api/auth/locale sent no X-CSRF-Token');
    await expectHtmlLang(desktop, 'en-US');
    await expectVisible(menuItem(desktop, 'Pending'));
    await expectVisible(menuItem(desktop, 'Administration'));
    await expectVisible(heading(desktop, 'Done'));
    await expectVisible(desktop.getByText('Items you have already handled', { exact: false }));
    await expectTitleContains(desktop, 'Done');
    await expectLocalStorage(desktop, 'baton.locale', 'en-US');
  });

  await step(desktop, 'desktop-english-after-reload', async () => {
    await desktop.reload();
    await expectHtmlLang(desktop, 'en-US');
    await expectVisible(menuItem(desktop, 'Workspace'));
    await expectVisible(heading(desktop, 'Done'));
    await expectHidden(menuItem(desktop, '待办'));
  });

  await step(desktop, 'desktop-sign-out', async () => {
    await desktop.getByRole('button', { name: /^User menu/ }).click();
    await expectVisible(desktop.getByRole('menuitem', { name: 'Profile' }));
    await desktop.getByRole('menuitem', { name: 'Sign out' }).click();
    await expectPath(desktop, '/login');
    if (await readSession(desktop)) throw new Error('still signed in after signing out');
  });

  await step(desktop, 'desktop-login-validation', async () => {
    await expectPath(desktop, '/login');
    await expectVisible(heading(desktop, 'Sign in'));
    await desktop.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(desktop.getByText('Please enter your login name'));
    await expectVisible(desktop.getByText('Please enter your password'));
  });

  await step(desktop, 'desktop-login-server-error', async () => {
    // A wrong login or password: the page shows the server's problem and stays on /login.
    await desktop.getByLabel('Login name').fill('e2e-nobody');
    await desktop.getByLabel('Password', { exact: true }).fill('e2e-wrong-password');
    const [request] = await Promise.all([
      desktop.waitForRequest((candidate) => new URL(candidate.url()).pathname === '/api/auth/login'),
      desktop.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    const language = request.headers()['accept-language'];
    if (language !== 'en-US') throw new Error(`login sent Accept-Language ${language}, expected en-US`);
    await expectVisible(desktop.locator('.login-alert'));
    await expectPath(desktop, '/login');
  });

  await step(desktop, 'desktop-sign-in-again', async () => {
    await signInAsAdmin(desktop);
    await expectPath(desktop, '/');
    await expectVisible(heading(desktop, 'Workspace'));
  });

  await step(desktop, 'desktop-not-found-english', async () => {
    await desktop.goto(unknownPath);
    await expectVisible(heading(desktop, 'Page not found'));
    await expectVisible(menuItem(desktop, 'Pending'));
  });

  await step(desktop, 'desktop-not-found-chinese', async () => {
    await languageOption(desktop, '中文').click();
    await expectHtmlLang(desktop, 'zh-CN');
    await expectVisible(heading(desktop, '页面不存在'));
    await expectVisible(menuItem(desktop, '待办'));
  });

  await step(desktop, 'desktop-back-to-workspace', async () => {
    await desktop.getByRole('button', { name: '返回工作台' }).click();
    await expectPath(desktop, '/');
    await expectVisible(heading(desktop, '工作台'));
  });

  // A new context: empty localStorage, and the language saved on admin is Chinese again (picked above), so the
  // phone starts in Chinese.
  const phone = await open('phone');

  await step(phone, 'phone-sign-in', async () => {
    await phone.goto('/');
    await expectPath(phone, '/login');
    await expectNoHorizontalOverflow(phone);
    await signInAsAdmin(phone);
    await expectPath(phone, '/');
  });

  await step(phone, 'phone-default-chinese', async () => {
    await phone.goto('/');
    await expectHtmlLang(phone, 'zh-CN');
    await expectVisible(heading(phone, '工作台'));
    await expectHidden(phone.locator('.app-sider'));
    await expectVisible(phone.getByRole('button', { name: '打开导航菜单' }));
    await expectNoHorizontalOverflow(phone);
    await expectNoOverlap(phone.locator('.app-header-start'), phone.locator('.app-header-end'));
  });

  await step(phone, 'phone-menu-drawer-open', async () => {
    await phone.getByRole('button', { name: '打开导航菜单' }).click();
    await expectVisible(phone.locator('.nav-drawer'));
    await expectVisible(menuItem(phone, '待办'));
    await expectVisible(menuItem(phone, '管理'));
  });

  await step(phone, 'phone-menu-drawer-navigate', async () => {
    await menuItem(phone, '待办').click();
    await expectPath(phone, '/pending');
    await expectHidden(phone.locator('.nav-drawer'));
    await expectVisible(heading(phone, '待办'));
    await expectNoHorizontalOverflow(phone);
  });

  await step(phone, 'phone-switch-to-english', async () => {
    await languageOption(phone, 'English').click();
    await expectHtmlLang(phone, 'en-US');
    await expectVisible(heading(phone, 'Pending'));
    await phone.getByRole('button', { name: 'Open navigation menu' }).click();
    await expectVisible(menuItem(phone, 'Tracked'));
    await phone.keyboard.press('Escape');
    await expectHidden(phone.locator('.nav-drawer'));
    await expectNoHorizontalOverflow(phone);
    await expectNoOverlap(phone.locator('.app-header-start'), phone.locator('.app-header-end'));
  });

  await step(phone, 'phone-login', async () => {
    await phone.goto('/login');
    await expectVisible(heading(phone, 'Sign in'));
    await expectVisible(phone.getByLabel('Login name'));
    await expectNoHorizontalOverflow(phone);
  });

  await step(phone, 'phone-not-found', async () => {
    await phone.goto(unknownPath);
    await expectHtmlLang(phone, 'en-US');
    await expectVisible(heading(phone, 'Page not found'));
    await expectNoHorizontalOverflow(phone);
  });

  // A browser the member never used (empty localStorage): the sign-in page is Chinese, and once he is signed in
  // the language saved on him (English, picked on the phone) wins over the default.
  const fresh = await open('desktop');

  await step(fresh, 'new-browser-adopts-saved-language', async () => {
    await fresh.goto('/');
    await expectPath(fresh, '/login');
    await expectHtmlLang(fresh, 'zh-CN');
    await expectVisible(heading(fresh, '登录'));
    await signInAsAdmin(fresh);
    await expectHtmlLang(fresh, 'en-US');
    await expectVisible(heading(fresh, 'Workspace'));
    await expectLocalStorage(fresh, 'baton.locale', 'en-US');
  });

  await step(fresh, 'back-to-chinese', async () => {
    // Saved on the member again: later journeys sign in as admin in new browsers and expect Chinese.
    const [saved] = await Promise.all([
      fresh.waitForResponse(
        (response) => new URL(response.url()).pathname === '/api/auth/locale' && response.request().method() === 'PUT',
      ),
      languageOption(fresh, '中文').click(),
    ]);
    if (saved.status() !== 204) throw new Error(`PUT /api/auth/locale answered ${saved.status()}`);
    await expectHtmlLang(fresh, 'zh-CN');
    await expectVisible(heading(fresh, '工作台'));
  });
});
