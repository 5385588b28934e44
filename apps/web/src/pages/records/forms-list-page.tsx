import { DatabaseOutlined, FileTextOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, List, Result, Skeleton, Tag } from 'antd';
import { Link } from 'react-router';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { formsApi } from '../../form-runtime/api.ts';
import { pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from './use-form-definition.ts';

/** 数据中心: every published form whose records the member can browse, archives first. */
export function FormsListPage() {
  const t = useT();
  const locale = useLocale();
  useDocumentTitle(t('records.title'));
  const forms = useLoad(() => formsApi.list(), 'forms');
  const sorted = [...(forms.data ?? [])].sort(
    (a, b) =>
      (a.kind === b.kind ? 0 : a.kind === 'archive' ? -1 : 1) ||
      pickLabel(a.name, locale).localeCompare(pickLabel(b.name, locale), locale),
  );
  return (
    <>
      <PageHeader
        title={t('records.title')}
        description={t('records.description')}
        extra={
          <Button icon={<ReloadOutlined aria-hidden />} onClick={forms.reload}>
            {t('records.refresh')}
          </Button>
        }
      />
      <Card>
        {forms.error ? (
          <Result
            status="warning"
            title={describeApiError(forms.error, t, t('records.loadFormsFailed')).title}
            subTitle={describeApiError(forms.error, t).detail}
            extra={<Button onClick={forms.reload}>{t('records.retry')}</Button>}
          />
        ) : forms.loading && !forms.data ? (
          <Skeleton active />
        ) : sorted.length === 0 ? (
          <Empty description={t('records.noForms')} />
        ) : (
          <List
            className="records-form-list"
            dataSource={sorted}
            renderItem={(form) => (
              <List.Item
                key={`${form.pack}.${form.key}`}
                actions={[
                  <Link key="open" to={`/records/${form.pack}/${form.key}`}>
                    {t('records.open')}
                  </Link>,
                  <Link key="new" to={`/records/${form.pack}/${form.key}/new`}>
                    {t('records.new')}
                  </Link>,
                ]}
              >
                <List.Item.Meta
                  avatar={form.kind === 'archive' ? <DatabaseOutlined aria-hidden /> : <FileTextOutlined aria-hidden />}
                  title={<Link to={`/records/${form.pack}/${form.key}`}>{pickLabel(form.name, locale)}</Link>}
                  description={
                    <Flex gap={8} wrap>
                      <Tag color={form.kind === 'archive' ? 'blue' : 'purple'}>
                        {t(form.kind === 'archive' ? 'records.kindArchive' : 'records.kindFlow')}
                      </Tag>
                      <span className="text-muted">
                        {form.pack}.{form.key} · v{form.version}
                      </span>
                    </Flex>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Card>
    </>
  );
}
