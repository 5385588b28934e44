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
export function useSessionGuard(): SessionGuard {
  const session = useSession();
  const location = useLocation();
  if (!SIGN_IN_REQUIRED || session.status === 'signedIn') return { verdict: 'allow', session };
  if (session.status === 'loading') return { verdict: 'wait' };
  if (session.status === 'error') return { verdict: 'fail', error: session.error };
  const next = `${location.pathname}${location.search}${location.hash}`;
  return { verdict: 'redirect', to: `/login?next=${encodeURIComponent(next)}` };
}

export function RequireSession({ children }: { children: ReactNode }) {
  const guard = useSessionGuard();
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
