import { useEffect, useSyncExternalStore } from 'react';
import { api, isApiError } from '../api/client.ts';
import { getLocale, isLocale, type Locale, setLocale } from '../i18n/index.ts';
import { memberLocale } from '../i18n/member-locale.ts';

/**
 * THE switch for sign-in. While true the shell requires a session: every page but /login
 * asks the server who is signed in (GET /api/auth/session) and sends anonymous visitors to
 * /login?next=….
 */
export const SIGN_IN_REQUIRED = true;

/** Answers 200 with the signed-in member, or 401 when there is no session. */
export const SESSION_PATH = '/api/auth/session';
export const LOGIN_PATH = '/api/auth/login';
export const LOGOUT_PATH = '/api/auth/logout';
export const PASSWORD_PATH = '/api/auth/password';
export const LOCALE_PATH = '/api/auth/locale';

export type SessionMember = {
  id: string;
  code: string;
  name: string;
  login: string;
  email: string | null;
  locale: string | null;
  mainDepartmentId: string;
};

export type SessionBody = { member: SessionMember; permissions: string[]; mustChangePassword: boolean };

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'signedIn'; member: SessionMember; permissions: ReadonlyArray<string>; mustChangePassword: boolean }
  | { status: 'error'; error: unknown };

let state: SessionState = SIGN_IN_REQUIRED ? { status: 'loading' } : { status: 'anonymous' };
let inFlight: Promise<void> | undefined;
const listeners = new Set<() => void>();

function setState(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getSession(): SessionState {
  return state;
}

/** A language was picked in this tab since it loaded or since the last sign-out (see memberLocale). */
let pickedHere = false;

function saveLocale(locale: Locale): void {
  // Best effort: the page already speaks the language; a failed save only affects other devices.
  api(LOCALE_PATH, { method: 'PUT', body: { locale } }).catch(() => undefined);
}

/** The language switch: applies at once; a signed-in member's choice is also saved on him (mails, other devices). */
export function chooseLocale(locale: Locale): void {
  setLocale(locale);
  pickedHere = true;
  if (state.status === 'signedIn') saveLocale(locale);
}

/** The member's saved language against this tab's, by the rule of memberLocale. */
function followMemberLocale(saved: string | null): void {
  const current = getLocale();
  const decision = memberLocale({ saved: isLocale(saved) ? saved : null, current, pickedHere });
  if (decision.locale !== current) setLocale(decision.locale);
  if (decision.save) saveLocale(decision.locale);
}

/** Takes a session description the server sent (sign-in answers with one) as the current state. */
export function acceptSession(body: SessionBody): void {
  // Before the signed-in state is published, so the first page the member sees is already in his language.
  followMemberLocale(body.member.locale);
  setState({
    status: 'signedIn',
    member: body.member,
    permissions: body.permissions,
    mustChangePassword: body.mustChangePassword,
  });
}

/** Asks the server who is signed in; concurrent callers share one request. */
export function refreshSession(): Promise<void> {
  if (!SIGN_IN_REQUIRED) return Promise.resolve();
  inFlight ??= api<SessionBody>(SESSION_PATH)
    .then(acceptSession, (error: unknown) => {
      if (isApiError(error) && error.status === 401) setState({ status: 'anonymous' });
      else setState({ status: 'error', error });
    })
    .finally(() => {
      inFlight = undefined;
    });
  return inFlight;
}

export async function signOut(): Promise<void> {
  await api(LOGOUT_PATH, { method: 'POST' });
  // The next member to sign in here must not have the previous one's pick saved on him.
  pickedHere = false;
  setState({ status: 'anonymous' });
}

export function hasPermission(session: SessionState, permission: string): boolean {
  return session.status === 'signedIn' && session.permissions.includes(permission);
}

export function useSession(): SessionState {
  const current = useSyncExternalStore(subscribe, () => state);
  useEffect(() => {
    if (current.status === 'loading') void refreshSession();
  }, [current.status]);
  return current;
}
