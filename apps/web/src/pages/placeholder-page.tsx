import { Card, Empty } from 'antd';
import type { ReactNode } from 'react';
import { useDocumentTitle } from '../hooks/use-document-title.ts';
import { useT } from '../i18n/index.ts';
import { PageHeader } from '../layout/page-header.tsx';

export type PlaceholderArea = 'workspace' | 'pending' | 'done' | 'sent' | 'tracked' | 'drafts' | 'admin';

/**
 * An area whose engine has not landed yet. It says so plainly instead of faking content,
 * and keeps the page's real title so navigation, titles and journeys already work.
 */
export function PlaceholderPage({ area, icon }: { area: PlaceholderArea; icon: ReactNode }) {
  const t = useT();
  const title = t(`nav.${area}` as const);
  useDocumentTitle(title);
  return (
    <>
      <PageHeader title={title} description={t(`page.${area}.description` as const)} />
      <Card variant="outlined" className="placeholder-card">
        <Empty
          image={<span className="placeholder-icon">{icon}</span>}
          description={
            <>
              <span className="placeholder-status">{t('placeholder.status')}</span>
              <span className="placeholder-text">{t(`page.${area}.placeholder` as const)}</span>
            </>
          }
        />
      </Card>
    </>
  );
}
