import { useEffect } from 'react';
import { useT } from '../i18n/index.ts';

/** Names the browser tab after the page, in the current language. */
export function useDocumentTitle(page: string): void {
  const t = useT();
  useEffect(() => {
    document.title = t('app.documentTitle', { page });
  }, [page, t]);
}
