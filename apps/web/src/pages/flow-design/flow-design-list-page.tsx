import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Result, Skeleton, Table } from 'antd';
import { Link, useNavigate } from 'react-router';
import { flowsApi } from '../../api/flows.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { MemberNames } from '../../field-types/member/picker.tsx';
import { pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import { flowDesignApi } from './flow-design-api.ts';

/** Every published version of one flow, newest first: when, by whom, on which form version, its hash. */
function FlowVersions({ pack, flowKey, latest }: { pack: string; flowKey: string; latest: number }) {
  const t = useT();
  const locale = useLocale();
  const versions = useLoad(() => flowDesignApi.versions(pack, flowKey), `${pack}.${flowKey}@${latest}`);
  if (versions.error) return <span className="text-muted">{describeApiError(versions.error, t).detail}</span>;
  if (!versions.data) return <Skeleton active paragraph={{ rows: 1 }} />;
  return (
    <Table
      size="small"
      className="flow-design-versions"
      rowKey="version"
      pagination={false}
      dataSource={versions.data}
      title={() => <strong>{t('flowDesign.versions')}</strong>}
      columns={[
        { key: 'version', title: t('flowDesign.version'), render: (_, v) => `v${v.version}`, width: 90 },
        { key: 'at', title: t('flowDesign.publishedAt'), render: (_, v) => formatInstant(v.publishedAt, locale) },
        { key: 'by', title: t('flowDesign.publishedBy'), render: (_, v) => <MemberNames value={[v.publishedBy]} /> },
        { key: 'form', title: t('flowDesign.formVersion'), render: (_, v) => `v${v.formVersion}` },
        { key: 'hash', title: t('design.list.hash'), render: (_, v) => <code>{v.hash.slice(0, 12)}</code> },
      ]}
    />
  );
}

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
          expandable={{
            expandedRowRender: (f) => <FlowVersions pack={f.pack} flowKey={f.key} latest={f.version} />,
          }}
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
