import { CheckCircleOutlined, DownloadOutlined, FileSearchOutlined, InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Result,
  Steps,
  Table,
  type TableColumnsType,
  Upload,
  type UploadFile,
} from 'antd';
import { useState } from 'react';
import { isApiError } from '../../api/client.ts';
import {
  type ExportFormat,
  type ExportSheet,
  exportOrg,
  type ImportError,
  type ImportResult,
  importOrg,
} from '../../api/org-admin.ts';
import { hasPermission, useSession } from '../../auth/session.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useIsNarrow } from '../../hooks/use-media-query.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { errorText } from './org-pickers.tsx';
import './org-admin-pages.css';

const ACCEPT = '.xlsx,.csv';
const MAX_BYTES = 20 * 1024 * 1024;
/** A workbook, or one CSV per sheet (departments and members), as the server takes them. */
const MAX_FILES = 4;

type ExportChoice = { format: ExportFormat; sheet?: ExportSheet; key: string };
const exportChoices: ExportChoice[] = [
  { format: 'xlsx', key: 'xlsx' },
  { format: 'csv', sheet: 'members', key: 'csv-members' },
  { format: 'csv', sheet: 'departments', key: 'csv-departments' },
];

/** A 404 means this server has no import/export yet: say so instead of showing a raw error. */
const missing = (error: unknown) => isApiError(error) && (error.status === 404 || error.status === 405);

type Phase = 'pick' | 'checked' | 'applied';

/**
 * 组织导入: upload a workbook, dry-run it (every bad row with its column and reason, nothing changed), and
 * apply only a file whose dry run was clean. Export gives the current organisation in the same shape.
 */
export function OrgImportPage() {
  const t = useT();
  const locale = useLocale();
  const narrow = useIsNarrow();
  const session = useSession();
  const { message } = App.useApp();
  const canWrite = hasPermission(session, 'org.write');
  const canExport = hasPermission(session, 'org.read');
  useDocumentTitle(t('orgImport.title'));
  const [files, setFiles] = useState<File[]>([]);
  const [fileList, setFileList] = useState<UploadFile[]>([]);
  const [phase, setPhase] = useState<Phase>('pick');
  const [dryRun, setDryRun] = useState<ImportResult>();
  const [applied, setApplied] = useState<ImportResult>();
  const [busy, setBusy] = useState<string>();
  const [unavailable, setUnavailable] = useState(false);
  const [includeLeft, setIncludeLeft] = useState(false);
  const file = files.length > 0;

  function reset() {
    setPhase('pick');
    setDryRun(undefined);
    setApplied(undefined);
  }

  async function check() {
    if (!file) return;
    setBusy('check');
    try {
      const result = await importOrg(files, true);
      setDryRun(result);
      setPhase('checked');
      setUnavailable(false);
    } catch (error) {
      if (missing(error)) setUnavailable(true);
      else message.error(errorText(error, t));
    } finally {
      setBusy(undefined);
    }
  }

  async function apply() {
    if (!file || !dryRun?.ok) return;
    setBusy('apply');
    try {
      const result = await importOrg(files, false);
      if (result.ok) {
        setApplied(result);
        setPhase('applied');
        message.success(t('orgImport.appliedDone'));
      } else {
        // The organisation changed since the dry run: show the new report, apply stays off.
        setDryRun(result);
        setPhase('checked');
      }
    } catch (error) {
      if (missing(error)) setUnavailable(true);
      else message.error(errorText(error, t));
    } finally {
      setBusy(undefined);
    }
  }

  async function download(choice: ExportChoice) {
    setBusy(choice.key);
    try {
      await exportOrg(choice.format, { sheet: choice.sheet, includeLeft });
    } catch (error) {
      if (missing(error)) setUnavailable(true);
      else message.error(errorText(error, t));
    } finally {
      setBusy(undefined);
    }
  }

  const columns: TableColumnsType<ImportError & { key: string }> = [
    { key: 'sheet', dataIndex: 'sheet', title: t('orgImport.sheet'), responsive: ['sm'] },
    { key: 'row', dataIndex: 'row', title: t('orgImport.row'), width: 70 },
    { key: 'column', dataIndex: 'column', title: t('orgImport.column'), width: 110 },
    {
      key: 'reason',
      title: t('orgImport.reason'),
      render: (_, error) => (locale === 'en-US' ? error.message.en : error.message.zh) || error.code,
    },
  ];
  const errors = (dryRun?.errors ?? []).map((error, index) => ({ ...error, key: String(index) }));
  // Applied: every step is done.
  const current = phase === 'pick' ? 0 : phase === 'checked' ? 1 : 3;

  return (
    <>
      <PageHeader
        title={t('orgImport.title')}
        description={t('orgImport.description')}
        extra={
          canExport && (
            <Flex wrap gap={8} align="center" className="import-export">
              {exportChoices.map((choice) => (
                <Button
                  key={choice.key}
                  icon={<DownloadOutlined aria-hidden />}
                  loading={busy === choice.key}
                  onClick={() => download(choice)}
                >
                  {t(
                    choice.format === 'xlsx'
                      ? 'orgImport.exportXlsx'
                      : choice.sheet === 'departments'
                        ? 'orgImport.exportCsvDepartments'
                        : 'orgImport.exportCsvMembers',
                  )}
                </Button>
              ))}
              <Checkbox checked={includeLeft} onChange={(event) => setIncludeLeft(event.target.checked)}>
                {t('orgImport.includeLeft')}
              </Checkbox>
            </Flex>
          )
        }
      />
      {unavailable && <Alert className="orgx-block" type="warning" showIcon title={t('orgImport.unavailable')} />}
      <Card>
        <Steps
          className="orgx-block import-steps"
          current={current}
          size="small"
          orientation={narrow ? 'vertical' : 'horizontal'}
          items={[
            { title: t('orgImport.stepUpload') },
            { title: t('orgImport.stepCheck') },
            { title: t('orgImport.stepApply') },
          ]}
        />
        {!canWrite ? (
          <Alert type="info" showIcon title={t('orgImport.noPermission')} />
        ) : phase === 'applied' && applied ? (
          <Result
            status="success"
            title={t('orgImport.appliedTitle')}
            subTitle={t('orgImport.appliedSummary', {
              created: applied.applied.created,
              updated: applied.applied.updated,
            })}
            extra={
              <Button
                type="primary"
                onClick={() => {
                  reset();
                  setFiles([]);
                  setFileList([]);
                }}
              >
                {t('orgImport.again')}
              </Button>
            }
          />
        ) : (
          <>
            <Upload.Dragger
              className="import-dragger"
              accept={ACCEPT}
              multiple
              maxCount={MAX_FILES}
              fileList={fileList}
              beforeUpload={(picked) => {
                const name = picked.name.toLowerCase();
                if (!name.endsWith('.xlsx') && !name.endsWith('.csv')) {
                  message.error(t('orgImport.wrongType'));
                  return Upload.LIST_IGNORE;
                }
                if (picked.size > MAX_BYTES) {
                  message.error(t('orgImport.tooLarge'));
                  return Upload.LIST_IGNORE;
                }
                setFiles((list) => [...list.filter((f) => f.name !== picked.name), picked].slice(-MAX_FILES));
                setFileList((list) =>
                  [
                    ...list.filter((f) => f.name !== picked.name),
                    { uid: picked.uid, name: picked.name, status: 'done' as const, size: picked.size },
                  ].slice(-MAX_FILES),
                );
                reset();
                // Kept in the page; nothing is sent until the dry run.
                return false;
              }}
              onRemove={(removed) => {
                setFiles((list) => list.filter((f) => f.name !== removed.name));
                setFileList((list) => list.filter((f) => f.uid !== removed.uid));
                reset();
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined aria-hidden />
              </p>
              <p className="ant-upload-text">{t('orgImport.drop')}</p>
              <p className="ant-upload-hint">{t('orgImport.dropHint')}</p>
            </Upload.Dragger>
            <Flex wrap gap={8} className="orgx-actions import-actions">
              <Button
                icon={<FileSearchOutlined aria-hidden />}
                disabled={!file}
                loading={busy === 'check'}
                onClick={check}
              >
                {t('orgImport.check')}
              </Button>
              <Button
                type="primary"
                icon={<CheckCircleOutlined aria-hidden />}
                disabled={!file || !dryRun?.ok || phase !== 'checked'}
                loading={busy === 'apply'}
                onClick={apply}
              >
                {t('orgImport.apply')}
              </Button>
            </Flex>
            {phase === 'checked' && dryRun && (
              <div className="import-report">
                {dryRun.ok ? (
                  <Alert
                    type="success"
                    showIcon
                    title={t('orgImport.clean')}
                    description={t('orgImport.cleanSummary', {
                      created: dryRun.applied.created,
                      updated: dryRun.applied.updated,
                    })}
                  />
                ) : (
                  <>
                    <Alert
                      className="orgx-block"
                      type="error"
                      showIcon
                      title={t('orgImport.errorsTitle', { count: dryRun.errors.length })}
                      description={t('orgImport.errorsHint')}
                    />
                    <Table
                      className="import-errors-table"
                      size="small"
                      columns={columns}
                      dataSource={errors}
                      pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
                      scroll={{ x: 'max-content' }}
                    />
                  </>
                )}
              </div>
            )}
          </>
        )}
      </Card>
    </>
  );
}
