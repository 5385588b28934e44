import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useDocumentTitle } from '../hooks/use-document-title.ts';
import { useT } from '../i18n/index.ts';

export function NotFoundPage() {
  const t = useT();
  const navigate = useNavigate();
  useDocumentTitle(t('notFound.title'));
  return (
    <Result
      status="404"
      title={<h1 className="result-title">{t('notFound.title')}</h1>}
      subTitle={t('notFound.subtitle')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('common.backToWorkspace')}
        </Button>
      }
    />
  );
}
