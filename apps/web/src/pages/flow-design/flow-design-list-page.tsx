import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Result, Table } from 'antd';
import { Link, useNavigate } from 'react-router';
import { flowsApi } from '../../api/flows.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';

/** 流程设计: every published flow (flow.design may file any, so the list has them all); 新建流程 starts one. */
export function FlowDesignListPage() {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  useDocumentTitle(t('flowDesign.title'));
  const flows = useLoad(() => flowsApi.list(), 'flow-design-list');
  return (
    <>
      <PageHeader
        title={t('flowDesign.title')}
        description={t('flowDesign.description')}
        extra={
          <Flex gap={8}>
            <Button icon={<ReloadOutlined aria-hidden />} onClick={flows.reload}>
              {t('records.refresh')}
            </Button>
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => navigate('/admin/flows/new')}>
              {t('flowDesign.new')}
            </Button>
          </Flex>
        }
      />
      {flows.error ? (
        <Result status="warning" title={describeApiError(flows.error, t).detail} />
      ) : (
        <Table
          rowKey={(f) => `${f.pack}.${f.key}`}
          loading={flows.loading}
          dataSource={flows.data ?? []}
          pagination={false}
          columns={[
            {
              key: 'name',
              title: t('flowDesign.name'),
              render: (_, f) => (
                <Link to={`/admin/flows/${encodeURIComponent(f.pack)}/${encodeURIComponent(f.key)}`}>
                  {pickLabel(f.name, locale)}
                </Link>
              ),
            },
            { key: 'id', title: t('flowDesign.key'), render: (_, f) => <code>{`${f.pack}.${f.key}`}</code> },
            {
              key: 'form',
              title: t('flowDesign.form'),
              render: (_, f) => <code>{`${f.form.pack}.${f.form.key}`}</code>,
            },
            { key: 'v', title: t('flowDesign.version'), render: (_, f) => `v${f.version}` },
            {
              key: 'edit',
              title: '',
              render: (_, f) => (
                <Button
                  size="small"
                  icon={<EditOutlined aria-hidden />}
                  onClick={() => navigate(`/admin/flows/${encodeURIComponent(f.pack)}/${encodeURIComponent(f.key)}`)}
                >
                  {t('flowDesign.edit')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
