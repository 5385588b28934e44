import { BarChartOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Result, Table } from 'antd';
import { Link, useNavigate } from 'react-router';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import { reportDesignApi } from './report-design-api.ts';
import './report-design.css';

/** 报表设计: every published report (whoever may run it), to open in the editor or as members see it. */
export function ReportDesignListPage() {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  useDocumentTitle(t('reportDesign.title'));
  const reports = useLoad(() => reportDesignApi.list(), 'report-design-list');
  const seg = encodeURIComponent;
  return (
    <>
      <PageHeader
        title={t('reportDesign.title')}
        description={t('reportDesign.description')}
        extra={
          <Flex gap={8}>
            <Button icon={<ReloadOutlined aria-hidden />} onClick={reports.reload}>
              {t('records.refresh')}
            </Button>
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => navigate('/admin/reports/new')}>
              {t('reportDesign.new')}
            </Button>
          </Flex>
        }
      />
      {reports.error ? (
        <Result status="warning" title={describeApiError(reports.error, t).detail} />
      ) : (
        <Table
          rowKey={(r) => `${r.pack}.${r.key}`}
          loading={reports.loading}
          dataSource={reports.data ?? []}
          pagination={false}
          scroll={{ x: true }}
          className="report-design-list"
          onRow={(r) => ({ 'data-report': `${r.pack}.${r.key}` }) as never}
          columns={[
            {
              key: 'label',
              title: t('reportDesign.name'),
              render: (_, r) => (
                <Link to={`/admin/reports/${seg(r.pack)}/${seg(r.key)}`}>{pickLabel(r.label, locale)}</Link>
              ),
            },
            { key: 'id', title: t('reportDesign.key'), render: (_, r) => <code>{`${r.pack}.${r.key}`}</code> },
            { key: 'form', title: t('reportDesign.form'), render: (_, r) => <code>{r.form}</code> },
            { key: 'v', title: t('reportDesign.version'), render: (_, r) => `v${r.version}` },
            {
              key: 'at',
              title: t('reportDesign.publishedAt'),
              render: (_, r) => formatInstant(r.publishedAt, locale),
            },
            {
              key: 'open',
              title: '',
              render: (_, r) => (
                <Flex gap={8}>
                  <Button
                    size="small"
                    icon={<EditOutlined aria-hidden />}
                    onClick={() => navigate(`/admin/reports/${seg(r.pack)}/${seg(r.key)}`)}
                  >
                    {t('reportDesign.edit')}
                  </Button>
                  <Button
                    size="small"
                    icon={<BarChartOutlined aria-hidden />}
                    onClick={() => navigate(`/reports/${seg(r.pack)}/${seg(r.key)}`)}
                  >
                    {t('reportDesign.openReport')}
                  </Button>
                </Flex>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
