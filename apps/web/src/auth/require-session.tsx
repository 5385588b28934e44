import { Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ErrorView } from '../pages/error-page.tsx';
import { type SessionState, SIGN_IN_REQUIRED, useSession } from './session.ts';

export type SessionGuard =
  | { verdict: 'allow'; session: SessionState }
  | { verdict: 'wait' }
  | { verdict: 'redirect'; to: string }
  | { verdict: 'fail'; error: unknown };

/** Decides whether the current route may render, given SIGN_IN_REQUIRED and the session. */
export function useSessionGuard(passwordPage = false): SessionGuard {
  const session = useSession();
  const location = useLocation();
  const next = `${location.pathname}${location.search}${location.hash}`;
  if (!SIGN_IN_REQUIRED) return { verdict: 'allow', session };
  if (session.status === 'signedIn') {
    // A member with a first or reset password may do nothing else until they choose their own.
    if (session.mustChangePassword && !passwordPage) {
      return { verdict: 'redirect', to: `${CHANGE_PASSWORD_ROUTE}?next=${encodeURIComponent(next)}` };
    }
    return { verdict: 'allow', session };
  }
  if (session.status === 'loading') return { verdict: 'wait' };
  if (session.status === 'error') return { verdict: 'fail', error: session.error };
  return { verdict: 'redirect', to: `/login?next=${encodeURIComponent(passwordPage ? '/' : next)}` };
}

/** Where a member who must change their password is sent first. */
export const CHANGE_PASSWORD_ROUTE = '/change-password';

export function RequireSession({ children, passwordPage = false }: { children: ReactNode; passwordPage?: boolean }) {
  const guard = useSessionGuard(passwordPage);
  switch (guard.verdict) {
    case 'allow':
      return children;
    case 'wait':
      return (
        <div className="full-page-center">
          <Spin size="large" />
        </div>
      );
    case 'redirect':
      return <Navigate to={guard.to} replace />;
    case 'fail':
      return <ErrorView error={guard.error} fullPage />;
  }
}

/** Only follows same-app paths, so `?next=` cannot send a user to another site after sign-in. */
export function safeNextPath(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
