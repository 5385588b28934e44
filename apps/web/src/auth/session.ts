import { useEffect, useSyncExternalStore } from 'react';
import { api, isApiError } from '../api/client.ts';

/**
 * THE switch for sign-in. While false the shell is reachable without a session and nothing
 * asks the server who is signed in, because the identity engine (sessions, /api/auth/*) has not
 * landed yet. Flip to true in the change that adds the session endpoint below.
 */
export const SIGN_IN_REQUIRED = false;

/** Answers 200 with the signed-in member, or 401 when there is no session. */
export const SESSION_PATH = '/api/auth/session';
export const LOGIN_PATH = '/api/auth/login';
export const LOGOUT_PATH = '/api/auth/logout';

export type SessionMember = { id: string; loginName: string; name: string };

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'signedIn'; member: SessionMember }
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

/** Asks the server who is signed in; concurrent callers share one request. */
export function refreshSession(): Promise<void> {
  if (!SIGN_IN_REQUIRED) return Promise.resolve();
  inFlight ??= api<{ member: SessionMember }>(SESSION_PATH)
    .then(
      (body) => setState({ status: 'signedIn', member: body.member }),
      (error: unknown) => {
        if (isApiError(error) && error.status === 401) setState({ status: 'anonymous' });
        else setState({ status: 'error', error });
      },
    )
    .finally(() => {
      inFlight = undefined;
    });
  return inFlight;
}

export async function signOut(): Promise<void> {
  await api(LOGOUT_PATH, { method: 'POST' });
  setState({ status: 'anonymous' });
}

export function useSession(): SessionState {
  const current = useSyncExternalStore(subscribe, () => state);
  useEffect(() => {
    if (current.status === 'loading') void refreshSession();
  }, [current.status]);
  return current;
}
