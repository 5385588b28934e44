import type { Locale } from './locale-store.ts';

export type MemberLocaleInput = {
  /** The language saved on the member (PUT /api/auth/locale), null when he never chose one while signed in. */
  saved: Locale | null;
  /** What this tab speaks now: this browser's remembered choice, else zh-CN. */
  current: Locale;
  /** A language was picked in this tab since it loaded or since the last sign-out (e.g. on the sign-in page). */
  pickedHere: boolean;
};

/**
 * Which language a signed-in member's pages speak, decided each time the server describes the session (sign-in,
 * page load, after a password change), and whether that language must be saved on the member:
 * 1. A language picked in this tab just now — on the sign-in page before signing in, or since — is his newest
 *    explicit choice: it stays, and is saved on the member when it differs from what is saved.
 * 2. Otherwise the saved language wins, over the zh-CN default and over what this browser remembers (another
 *    person's choice on a shared computer, or his own older one): an explicit choice follows the member to every
 *    device and browser.
 * 3. A member who never chose keeps this browser's language (its remembered choice, else zh-CN); nothing is saved
 *    for him, so the default stays a default.
 */
export function memberLocale({ saved, current, pickedHere }: MemberLocaleInput): { locale: Locale; save: boolean } {
  if (pickedHere) return { locale: current, save: current !== saved };
  return { locale: saved ?? current, save: false };
}
