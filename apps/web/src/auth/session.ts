import { useEffect, useSyncExternalStore } from 'react';
import { api, isApiError } from '../api/client.ts';

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

/** Takes a session description the server sent (sign-in answers with one) as the current state. */
export function acceptSession(body: SessionBody): void {
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
