// The web shell: Chinese by default, English on request and remembered, the login page, the
// 404 page, and the same essentials on a phone where the side menu becomes a drawer.
import type { Page } from 'playwright-core';
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
  return page.getByRole('menuitem', { name, exact: true });
}

function languageOption(page: Page, name: '中文' | 'English') {
  return page.locator('.language-switch').getByText(name, { exact: true });
}

await journey('shell', async ({ open, step }) => {
  const desktop = await open('desktop');

  await step(desktop, 'desktop-default-chinese', async () => {
    await desktop.goto('/');
    await expectHtmlLang(desktop, 'zh-CN');
    await expectVisible(menuItem(desktop, '待办'));
    await expectVisible(menuItem(desktop, '管理'));
    await expectVisible(heading(desktop, '工作台'));
    await expectVisible(desktop.getByText('工作台将随门户引擎上线', { exact: false }));
    await expectTitleContains(desktop, '工作台');
    await expectVisible(desktop.locator('.health-badge[data-health="ready"]'));
    await expectVisible(desktop.getByRole('banner').getByText('接力', { exact: true }));
  });

  await step(desktop, 'desktop-menu-pending', async () => {
    await menuItem(desktop, '待办').click();
    await expectPath(desktop, '/pending');
    await expectVisible(heading(desktop, '待办'));
    await expectVisible(desktop.getByText('待办将随流程引擎上线', { exact: false }));
  });

  await step(desktop, 'desktop-menu-keyboard', async () => {
    // The menu must work without a mouse: Tab into it, arrow to an entry, Enter to open it.
    await desktop.getByRole('button', { name: /^用户菜单/ }).focus();
    await desktop.keyboard.press('Tab');
    const focusedText = () =>
      desktop.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.textContent ?? '');
    for (let presses = 0; presses < 8 && (await focusedText()) !== '已办'; presses += 1) {
      await desktop.keyboard.press('ArrowDown');
    }
    if ((await focusedText()) !== '已办') throw new Error('ArrowDown never reached the 已办 menu entry');
    await desktop.keyboard.press('Enter');
    await expectPath(desktop, '/done');
    await expectVisible(heading(desktop, '已办'));
  });

  await step(desktop, 'desktop-switch-to-english', async () => {
    await languageOption(desktop, 'English').click();
    await expectHtmlLang(desktop, 'en-US');
    await expectVisible(menuItem(desktop, 'Pending'));
    await expectVisible(menuItem(desktop, 'Administration'));
    await expectVisible(heading(desktop, 'Done'));
    await expectVisible(desktop.getByText('Done arrives with the flow engine', { exact: false }));
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

  await step(desktop, 'desktop-login-validation', async () => {
    await desktop.getByRole('button', { name: /^User menu/ }).click();
    await desktop.getByRole('menuitem', { name: 'Sign in' }).click();
    await expectPath(desktop, '/login');
    await expectVisible(heading(desktop, 'Sign in'));
    await desktop.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(desktop.getByText('Please enter your login name'));
    await expectVisible(desktop.getByText('Please enter your password'));
  });

  await step(desktop, 'desktop-login-server-error', async () => {
    // Whatever the identity engine answers to a wrong password (today: no such endpoint),
    // the page must show the server's problem and stay on /login.
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

  // A new context: empty localStorage, so the phone must start in Chinese again.
  const phone = await open('phone');

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
});
