// Signing in as the administrator. The first start generates admin's password (run.mjs reads it
// from the server log into E2E_ADMIN_PASSWORD) and marks it must-change; whichever journey signs
// in first changes it and leaves the new one in E2E_DATA_DIR for the others, so every journey
// works alone or after another against the same server.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expectVisible } from './expect.ts';

export const ADMIN_LOGIN = 'admin';
/** Meets the password policy: 10+ characters, three classes, not the login. */
const NEW_ADMIN_PASSWORD = 'Baton-E2e-Relay-2026!';

function sharedFile(): string | undefined {
  const dir = process.env.E2E_DATA_DIR;
  return dir ? path.join(dir, 'e2e-admin-password.txt') : undefined;
}

/** The administrator's password as it stands now: the changed one if a journey changed it. */
export function currentAdminPassword(): string {
  const file = sharedFile();
  if (file && existsSync(file)) return readFileSync(file, 'utf8').trim();
  const initial = process.env.E2E_ADMIN_PASSWORD;
  if (!initial) throw new Error('E2E_ADMIN_PASSWORD is not set (run.mjs reads it from the server log)');
  return initial;
}

export type SessionInfo = { member: { id: string; name: string }; permissions: string[]; mustChangePassword: boolean };

/** GET /api/auth/session with the page's cookies. */
export async function readSession(page: Page): Promise<SessionInfo | undefined> {
  const response = await page.request.get('/api/auth/session');
  return response.ok() ? ((await response.json()) as SessionInfo) : undefined;
}

/** Fills and submits the login form (in whatever language it shows) and waits to leave /login. */
export async function submitLogin(page: Page, login: string, password: string): Promise<SessionInfo> {
  // A protected page sends an anonymous visitor to /login?next=… once its session check answers;
  // wait for that rather than lose `next` by opening /login directly.
  const redirected = await page
    .waitForURL((url) => url.pathname === '/login', { timeout: 5_000, waitUntil: 'commit' })
    .then(() => true)
    .catch(() => false);
  if (!redirected) await page.goto('/login');
  await page.locator('input[autocomplete="username"]').fill(login);
  await page.locator('input[autocomplete="current-password"]').fill(password);
  await page.locator('.login-card button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 10_000, waitUntil: 'commit' });
  const session = await readSession(page);
  if (!session) throw new Error(`signed in as ${login}, but /api/auth/session has no session`);
  return session;
}

/** On the change-password page: a weak new password must come back as inline field issues. */
export async function tryWeakPassword(page: Page): Promise<void> {
  await expectVisible(page.locator('.password-form'));
  await page.locator('#oldPassword').fill(currentAdminPassword());
  await page.locator('#newPassword').fill('weakpassword1');
  await page.locator('#confirm').fill('weakpassword1');
  await page.locator('.password-form button[type="submit"]').click();
  // ACCESS_WEAK_PASSWORD names the broken rule under the new-password field.
  await expectVisible(page.locator('.ant-form-item:has(#newPassword) .ant-form-item-explain-error').first());
}

/**
 * On the change-password page: old, new, confirm, submit; waits to leave it and records the new
 * password for later journeys.
 */
export async function changeAdminPassword(page: Page): Promise<void> {
  await expectVisible(page.locator('.password-form'));
  await page.locator('#oldPassword').fill(currentAdminPassword());
  await page.locator('#newPassword').fill(NEW_ADMIN_PASSWORD);
  await page.locator('#confirm').fill(NEW_ADMIN_PASSWORD);
  await page.locator('.password-form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname !== '/change-password', { timeout: 10_000, waitUntil: 'commit' });
  const file = sharedFile();
  if (file) writeFileSync(file, NEW_ADMIN_PASSWORD, { mode: 0o600 });
  else process.env.E2E_ADMIN_PASSWORD = NEW_ADMIN_PASSWORD;
}

/** Signs in as admin, changing the first-start password if the server still asks for it. */
export async function signInAsAdmin(page: Page): Promise<SessionInfo> {
  const session = await submitLogin(page, ADMIN_LOGIN, currentAdminPassword());
  if (session.mustChangePassword) {
    if (new URL(page.url()).pathname !== '/change-password') {
      throw new Error(`mustChangePassword is set but the app went to ${page.url()}, not /change-password`);
    }
    await tryWeakPassword(page);
    await changeAdminPassword(page);
    const after = await readSession(page);
    if (!after || after.mustChangePassword) throw new Error('still mustChangePassword after changing it');
    return after;
  }
  return session;
}
