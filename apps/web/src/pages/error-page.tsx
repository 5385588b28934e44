import { Button, Result } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { useDocumentTitle } from '../hooks/use-document-title.ts';
import { useT } from '../i18n/index.ts';
import { NotFoundPage } from './not-found-page.tsx';

function errorText(error: unknown): string {
  if (isRouteErrorResponse(error)) return `${error.status} ${error.statusText}`;
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * What the user sees when rendering failed. The links are plain hrefs on purpose: after an
 * unknown failure a full reload is the most reliable way back, and this view may render
 * outside the router.
 */
export function ErrorView({ error, fullPage = false }: { error: unknown; fullPage?: boolean }) {
  const t = useT();
  useDocumentTitle(t('error.title'));
  return (
    <div className={fullPage ? 'full-page-center' : undefined} role="alert">
      <Result
        status="500"
        title={<h1 className="result-title">{t('error.title')}</h1>}
        subTitle={t('error.subtitle')}
        extra={[
          <Button key="reload" type="primary" onClick={() => window.location.reload()}>
            {t('error.reload')}
          </Button>,
          <Button key="home" href="/">
            {t('common.backToWorkspace')}
          </Button>,
        ]}
      >
        <details className="error-details">
          <summary>{t('error.details')}</summary>
          <pre>{errorText(error)}</pre>
        </details>
      </Result>
    </div>
  );
}

/** `errorElement` of the routes: a thrown 404 response looks like the 404 page, anything else like an error. */
export function RouteErrorPage({ fullPage = false }: { fullPage?: boolean }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return <ErrorView error={error} fullPage={fullPage} />;
}

type BoundaryState = { error: unknown; failed: boolean };

/** Catches what fails outside the router (providers, the router itself). */
export class RootErrorBoundary extends Component<{ children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: undefined, failed: false };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Baton web shell crashed', error, info.componentStack);
  }

  override render() {
    return this.state.failed ? <ErrorView error={this.state.error} fullPage /> : this.props.children;
  }
}
