import { DatabaseOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Result, Skeleton, Table, Tag } from 'antd';
import { Link, useNavigate } from 'react-router';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { MemberNames } from '../../field-types/member/picker.tsx';
import { type FormSummary, formsApi } from '../../form-runtime/api.ts';
import { pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import { designApi } from './design-api.ts';

function Versions({ form }: { form: FormSummary }) {
  const t = useT();
  const locale = useLocale();
  const versions = useLoad(() => designApi.versions(form.pack, form.key), `${form.pack}.${form.key}@${form.version}`);
  if (versions.error) return <span className="text-muted">{describeApiError(versions.error, t).detail}</span>;
  if (!versions.data) return <Skeleton active paragraph={{ rows: 1 }} />;
  return (
    <Table
      size="small"
      className="design-versions"
      rowKey="version"
      pagination={false}
      dataSource={versions.data}
      columns={[
        { key: 'version', title: t('design.list.version'), render: (_, v) => `v${v.version}`, width: 90 },
        { key: 'at', title: t('design.list.publishedAt'), render: (_, v) => formatInstant(v.publishedAt, locale) },
        { key: 'by', title: t('design.list.publishedBy'), render: (_, v) => <MemberNames value={[v.publishedBy]} /> },
        { key: 'hash', title: t('design.list.hash'), render: (_, v) => <code>{v.hash.slice(0, 12)}</code> },
      ]}
    />
  );
}

/** 表单设计: every published form with its versions, for members holding form.design; 新建表单 opens a blank one. */
export function DesignFormsPage() {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  useDocumentTitle(t('design.list.title'));
  const forms = useLoad(() => formsApi.list(), 'design-forms');
  const sorted = [...(forms.data ?? [])].sort(
    (a, b) =>
      a.pack.localeCompare(b.pack) || pickLabel(a.name, locale).localeCompare(pickLabel(b.name, locale), locale),
  );
  return (
    <>
      <PageHeader
        title={t('design.list.title')}
        description={t('design.list.description')}
        extra={
          <Flex gap={8}>
            <Button icon={<ReloadOutlined aria-hidden />} onClick={forms.reload}>
              {t('records.refresh')}
            </Button>
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => navigate('/admin/forms/new')}>
              {t('design.list.new')}
            </Button>
          </Flex>
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
          <Empty description={t('design.list.empty')} />
        ) : (
          <Table<FormSummary>
            className="design-form-table"
            rowKey={(form) => `${form.pack}.${form.key}`}
            dataSource={sorted}
            pagination={false}
            expandable={{ expandedRowRender: (form) => <Versions form={form} /> }}
            onRow={(form) => ({ 'data-form': `${form.pack}.${form.key}` }) as never}
            columns={[
              {
                key: 'name',
                title: t('design.list.name'),
                render: (_, form) => (
                  <Link to={`/admin/forms/${form.pack}/${form.key}`}>{pickLabel(form.name, locale)}</Link>
                ),
              },
              { key: 'id', title: t('design.list.id'), render: (_, form) => <code>{`${form.pack}.${form.key}`}</code> },
              {
                key: 'kind',
                title: t('design.prop.kind'),
                render: (_, form) => (
                  <Tag color={form.kind === 'archive' ? 'blue' : 'purple'}>
                    {t(form.kind === 'archive' ? 'records.kindArchive' : 'records.kindFlow')}
                  </Tag>
                ),
              },
              { key: 'version', title: t('design.list.latest'), render: (_, form) => `v${form.version}` },
              {
                key: 'actions',
                title: t('design.list.actions'),
                render: (_, form) => (
                  <Flex gap={8} wrap>
                    <Link to={`/admin/forms/${form.pack}/${form.key}`}>
                      <EditOutlined aria-hidden /> {t('design.list.design')}
                    </Link>
                    <Link to={`/records/${form.pack}/${form.key}`}>
                      <DatabaseOutlined aria-hidden /> {t('design.list.records')}
                    </Link>
                  </Flex>
                ),
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
