import { AppstoreAddOutlined, DownloadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Progress,
  Result,
  Space,
  Steps,
  Table,
  type TableColumnsType,
  Tag,
  Upload,
} from 'antd';
import { useRef, useState } from 'react';
import { isApiError } from '../../api/client.ts';
import {
  type DiffChange,
  exportPackFile,
  type FormDiff,
  importPackFile,
  type Label,
  PACK_FILE_MAX_BYTES,
  type PackDiff,
  type PackImport,
  type PackIssue,
  type PackListItem,
  type PackPreview,
  type PlanStep,
  packsApi,
  previewPack,
} from '../../api/packs.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { hasPermission, useSession } from '../../auth/session.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useIsNarrow } from '../../hooks/use-media-query.ts';
import { type Locale, type Translate, useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import './packs-page.css';

const pick = (label: Label | null | undefined, locale: Locale, fallback = '') =>
  label ? (locale === 'en-US' ? label.en : label.zh) || label.zh : fallback;

const changeColors: Record<DiffChange, string> = {
  added: 'green',
  changed: 'blue',
  removed: 'default',
  unchanged: 'default',
};

function ChangeTag({ change }: { change: DiffChange }) {
  const t = useT();
  return (
    <Tag color={changeColors[change]} data-change={change}>
      {t(`packs.change.${change}`)}
    </Tag>
  );
}

type Line = { text: string; bad?: boolean };

/** What publishing a form does to its tables, in words: columns added, kept, hidden, converted, refused. */
function formSteps(form: FormDiff, t: Translate): Line[] {
  const of = (action: PlanStep['action']) => form.steps.filter((step) => step.action === action);
  const lines: Line[] = [];
  const add = (text: string, bad?: boolean) => lines.push(bad ? { text, bad } : { text });
  const list = (steps: PlanStep[]) => steps.map((s) => s.path).join(', ');
  if (of('createTable').length > 0) add(t('packs.steps.createTable', { count: of('createTable').length }));
  if (of('add').length > 0) add(t('packs.steps.add', { columns: list(of('add')) }));
  if (form.change === 'changed' && of('keep').length > 0) add(t('packs.steps.keep', { count: of('keep').length }));
  if (of('hidden').length > 0) add(t('packs.steps.hidden', { columns: list(of('hidden')) }));
  for (const step of of('convert')) {
    add(t('packs.steps.convert', { column: step.path, from: step.from ?? '', to: step.to ?? '' }));
  }
  for (const step of of('refused')) {
    const params = { column: step.path, from: step.from ?? '', to: step.to ?? '', rows: step.rows?.length ?? 0 };
    add(t('packs.steps.refused', params), true);
  }
  return lines;
}

type DiffRow = { id: string; key: string; label: string; change: DiffChange; detail: Line[] };

/** The diff against what is installed, one table per kind of definition. */
export function PackDiffView({ diff }: { diff: PackDiff }) {
  const t = useT();
  const locale = useLocale();
  const version =
    diff.step === 'install'
      ? t('packs.step.install', { version: diff.version })
      : diff.step === 'upgrade'
        ? t('packs.step.upgrade', { from: diff.installedVersion ?? '', to: diff.version })
        : diff.step === 'same'
          ? t(diff.unchanged ? 'packs.step.sameUnchanged' : 'packs.step.same', { version: diff.version })
          : t('packs.step.downgrade', { installed: diff.installedVersion ?? '', version: diff.version });
  const sections: { kind: string; title: string; rows: DiffRow[] }[] = [
    {
      kind: 'forms',
      title: t('packs.kind.forms'),
      rows: diff.forms.map((form) => ({
        id: form.key,
        key: form.key,
        label: pick(form.label, locale, form.key),
        change: form.change,
        detail: form.change === 'removed' ? [{ text: t('packs.removedKept') }] : formSteps(form, t),
      })),
    },
    ...(['flows', 'rules', 'reports'] as const).map((kind) => ({
      kind,
      title: t(`packs.kind.${kind}`),
      rows: diff[kind].map((entry) => ({
        id: entry.key,
        key: entry.key,
        label: pick(entry.label, locale, entry.key),
        change: entry.change,
        detail:
          entry.change === 'removed'
            ? [{ text: t('packs.removedKept') }]
            : entry.reason === 'form'
              ? [{ text: t('packs.republished') }]
              : [],
      })),
    })),
    {
      kind: 'menus',
      title: t('packs.kind.menus'),
      rows: diff.menus.map((menu) => ({
        id: menu.key,
        key: menu.key,
        label: pick(menu.label, locale, menu.key),
        change: menu.change,
        detail: [],
      })),
    },
    {
      kind: 'roles',
      title: t('packs.kind.roles'),
      rows: diff.roles.map((role) => ({
        id: role.code,
        key: role.code,
        label: pick(role.name, locale, role.code),
        change: role.change,
        detail: [
          ...(role.change === 'added' ? [{ text: t('packs.roleCreated') }] : []),
          ...(role.grant.length > 0 ? [{ text: t('packs.grant', { count: role.grant.length }) }] : []),
          ...(role.revoke.length > 0 ? [{ text: t('packs.revoke', { count: role.revoke.length }) }] : []),
        ],
      })),
    },
  ];
  const columns: TableColumnsType<DiffRow> = [
    {
      key: 'name',
      title: t('packs.col.name'),
      render: (_, row) => (
        <Space orientation="vertical" size={0}>
          <span>{row.label}</span>
          <code className="text-muted">{row.key}</code>
        </Space>
      ),
    },
    { key: 'change', title: t('packs.col.change'), width: 130, render: (_, row) => <ChangeTag change={row.change} /> },
    {
      key: 'detail',
      title: t('packs.col.detail'),
      render: (_, row) =>
        row.detail.map((line) => (
          <div key={line.text} className={line.bad ? 'packs-bad' : undefined}>
            {line.text}
          </div>
        )),
    },
  ];
  return (
    <div className="packs-diff" data-step={diff.step}>
      <Alert
        className="packs-block"
        type={diff.step === 'downgrade' || !diff.ok ? 'error' : diff.unchanged ? 'info' : 'success'}
        showIcon
        title={`${pick(diff.name, locale, diff.key)} · ${version}`}
        description={
          !diff.ok && diff.step !== 'downgrade'
            ? t('packs.refusedConversion')
            : diff.demo.load
              ? t('packs.demoLoads', { records: diff.demo.records, filings: diff.demo.filings })
              : undefined
        }
      />
      {sections
        .filter((section) => section.rows.length > 0)
        .map((section) => (
          <div key={section.kind} className="packs-block" data-diff={section.kind}>
            <h3 className="packs-section-title">{section.title}</h3>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              columns={columns}
              dataSource={section.rows}
              onRow={(row) => ({ 'data-key': row.key, 'data-change': row.change }) as never}
              scroll={{ x: 'max-content' }}
            />
          </div>
        ))}
    </div>
  );
}

function IssuesTable({ issues }: { issues: PackIssue[] }) {
  const t = useT();
  const rows = issues.map((issue, index) => ({ ...issue, id: String(index), where: issue.path.join('.') }));
  return (
    <>
      <Alert
        className="packs-block"
        type="error"
        showIcon
        title={t('packs.issuesTitle', { count: issues.length })}
        description={t('packs.issuesHint')}
      />
      <Table
        className="packs-issues"
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'path', title: t('packs.col.path'), render: (_, row) => <code>{row.where || '—'}</code> },
          { key: 'message', title: t('packs.col.problem'), dataIndex: 'message' },
          { key: 'code', title: t('packs.col.code'), render: (_, row) => <code>{row.code}</code>, responsive: ['md'] },
        ]}
      />
    </>
  );
}

type Phase = 'pick' | 'checking' | 'checked' | 'importing' | 'done';

/** 导入应用包: choose a file → upload with progress → validation report and diff → confirm → result. */
function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const t = useT();
  const locale = useLocale();
  const narrow = useIsNarrow();
  const { message } = App.useApp();
  const [file, setFile] = useState<File>();
  const [demo, setDemo] = useState(false);
  const [phase, setPhase] = useState<Phase>('pick');
  const [progress, setProgress] = useState(0);
  const [preview, setPreview] = useState<PackPreview>();
  const [result, setResult] = useState<PackImport>();
  const [failure, setFailure] = useState<unknown>();
  const abort = useRef<() => void>(undefined);

  function reset(next?: File) {
    abort.current?.();
    setFile(next);
    setPhase('pick');
    setPreview(undefined);
    setResult(undefined);
    setFailure(undefined);
    setProgress(0);
  }

  async function check() {
    if (!file) return;
    setPhase('checking');
    setFailure(undefined);
    setProgress(0);
    const upload = previewPack(file, { demo }, setProgress);
    abort.current = upload.abort;
    try {
      setPreview(await upload.promise);
      setPhase('checked');
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      setFailure(error);
      setPhase('pick');
    }
  }

  async function confirm() {
    if (!file || !preview?.diff) return;
    setPhase('importing');
    setFailure(undefined);
    setProgress(0);
    const upload = importPackFile(file, { demo, expect: preview.diff.fingerprint }, setProgress);
    abort.current = upload.abort;
    try {
      const done = await upload.promise;
      setResult(done);
      setPhase('done');
      message.success(t('packs.importedToast', { name: pick(done.diff.name, locale, done.diff.key) }));
      onImported();
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      setFailure(error);
      // What is installed moved since the preview: show the new diff before anything is applied.
      if (isApiError(error) && error.code === 'PACK_DIFF_CHANGED') {
        setPhase('checking');
        const again = previewPack(file, { demo }, setProgress);
        abort.current = again.abort;
        try {
          setPreview(await again.promise);
        } catch (next) {
          setFailure(next);
        }
      }
      setPhase('checked');
    }
  }

  const current = phase === 'pick' ? 0 : phase === 'checking' ? 1 : phase === 'checked' ? 2 : 3;
  const diff = preview?.diff;
  const canConfirm = phase === 'checked' && diff !== null && diff !== undefined && diff.ok && !diff.unchanged;
  const problem = failure ? describeApiError(failure, t) : undefined;

  return (
    <Modal
      open
      width={narrow ? '100%' : 960}
      title={t('packs.importTitle')}
      onCancel={() => {
        abort.current?.();
        onClose();
      }}
      destroyOnHidden
      footer={
        phase === 'done' ? (
          <Button type="primary" onClick={onClose}>
            {t('packs.close')}
          </Button>
        ) : (
          <Flex wrap gap={8} justify="end">
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              className="packs-check"
              disabled={!file || phase === 'checking' || phase === 'importing'}
              loading={phase === 'checking'}
              onClick={check}
            >
              {t('packs.check')}
            </Button>
            <Button
              type="primary"
              className="packs-confirm"
              disabled={!canConfirm}
              loading={phase === 'importing'}
              onClick={confirm}
            >
              {t('packs.confirm')}
            </Button>
          </Flex>
        )
      }
    >
      <Steps
        className="packs-block"
        size="small"
        current={current}
        orientation={narrow ? 'vertical' : 'horizontal'}
        items={[
          { title: t('packs.stepChoose') },
          { title: t('packs.stepUpload') },
          { title: t('packs.stepReview') },
          { title: t('packs.stepResult') },
        ]}
      />
      {phase === 'done' && result ? (
        <Result
          status="success"
          className="packs-result"
          title={t(`packs.outcome.${result.report.outcome}`, {
            name: pick(result.diff.name, locale, result.diff.key),
            version: result.report.version,
          })}
          subTitle={t('packs.outcomeSummary', {
            forms: result.report.forms.filter((f) => !f.unchanged).length,
            flows: result.report.flows.filter((f) => !f.unchanged).length,
            rules: result.report.rules.filter((f) => !f.unchanged).length,
            reports: result.report.reports.filter((f) => !f.unchanged).length,
            roles: result.report.rolesCreated.length,
          })}
        />
      ) : (
        <>
          <Upload.Dragger
            className="packs-dragger packs-block"
            accept=".json,application/json"
            maxCount={1}
            fileList={file ? [{ uid: 'pack', name: file.name, status: 'done', size: file.size }] : []}
            beforeUpload={(picked) => {
              if (!picked.name.toLowerCase().endsWith('.json')) {
                message.error(t('packs.wrongType'));
                return Upload.LIST_IGNORE;
              }
              if (picked.size > PACK_FILE_MAX_BYTES) {
                message.error(t('packs.tooLarge', { mb: PACK_FILE_MAX_BYTES / 1024 / 1024 }));
                return Upload.LIST_IGNORE;
              }
              reset(picked);
              // Kept in the dialog; nothing is sent until 上传并校验.
              return false;
            }}
            onRemove={() => reset()}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined aria-hidden />
            </p>
            <p className="ant-upload-text">{t('packs.drop')}</p>
            <p className="ant-upload-hint">{t('packs.dropHint', { mb: PACK_FILE_MAX_BYTES / 1024 / 1024 })}</p>
          </Upload.Dragger>
          <Checkbox
            className="packs-block"
            checked={demo}
            disabled={phase === 'checking' || phase === 'importing'}
            onChange={(event) => {
              setDemo(event.target.checked);
              if (phase === 'checked') setPhase('pick');
            }}
          >
            {t('packs.withDemo')}
          </Checkbox>
          {(phase === 'checking' || phase === 'importing') && (
            <Progress className="packs-progress packs-block" percent={progress} status="active" />
          )}
          {problem && (
            <Alert
              className="packs-block packs-failure"
              type="error"
              showIcon
              title={problem.detail}
              description={
                problem.fields.length > 0 ? (
                  <ul className="packs-fields">
                    {problem.fields.map((field) => (
                      <li key={`${field.label}:${field.message}`}>
                        <code>{field.label}</code> {field.message}
                      </li>
                    ))}
                  </ul>
                ) : (
                  problem.code && <code>{problem.code}</code>
                )
              }
            />
          )}
          {preview && phase !== 'checking' && (
            <div className="packs-report">
              <Descriptions
                className="packs-block"
                size="small"
                column={narrow ? 1 : 3}
                items={[
                  { key: 'file', label: t('packs.file'), children: preview.file.name },
                  {
                    key: 'pack',
                    label: t('packs.pack'),
                    children: `${pick(preview.pack.name, locale, preview.pack.key ?? '?')} ${preview.pack.version ?? ''}`,
                  },
                  {
                    key: 'size',
                    label: t('packs.size'),
                    children: `${Math.max(1, Math.round(preview.file.bytes / 1024))} KB`,
                  },
                ]}
              />
              {preview.issues.length > 0 ? (
                <IssuesTable issues={preview.issues} />
              ) : (
                diff && <PackDiffView diff={diff} />
              )}
            </div>
          )}
        </>
      )}
    </Modal>
  );
}

/** Export of an app assembled in the designers: it needs a name and a version to travel as a pack. */
function ExportAppDialog({ pack, onClose }: { pack: PackListItem; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ nameZh: string; nameEn: string; version: string }>();
  const [busy, setBusy] = useState(false);
  async function submit(values: { nameZh: string; nameEn: string; version: string }) {
    setBusy(true);
    try {
      await exportPackFile(pack.key, values);
      onClose();
    } catch (error) {
      message.error(describeApiError(error, t).detail);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      open
      title={t('packs.exportAppTitle', { key: pack.key })}
      okText={t('packs.export')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <p className="text-muted">{t('packs.exportAppHint')}</p>
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        initialValues={{ nameZh: pack.key, nameEn: pack.key, version: '1.0.0' }}
        className="packs-export-form"
      >
        <Form.Item name="nameZh" label={t('packs.nameZh')} rules={[{ required: true, max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="nameEn" label={t('packs.nameEn')} rules={[{ required: true, max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="version"
          label={t('packs.version')}
          rules={[{ required: true, pattern: /^\d{1,6}\.\d{1,6}\.\d{1,6}$/, message: t('packs.versionHint') }]}
        >
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 应用包: the installed packs with their versions and the apps assembled in the designers, each exportable as
 * one file (pack.export); 导入应用包 (pack.install) uploads a file, shows its validation report and the diff
 * against what is installed, and installs or upgrades it in place once confirmed.
 */
export function PacksPage() {
  const t = useT();
  const locale = useLocale();
  const session = useSession();
  const { message } = App.useApp();
  const canInstall = hasPermission(session, 'pack.install');
  const canExport = hasPermission(session, 'pack.export');
  useDocumentTitle(t('packs.title'));
  const packs = useLoad(() => (canExport ? packsApi.list() : Promise.resolve([])), `packs:${canExport}`);
  const [importing, setImporting] = useState(false);
  const [exportingApp, setExportingApp] = useState<PackListItem>();
  const [busy, setBusy] = useState<string>();

  async function download(pack: PackListItem, demo: boolean) {
    setBusy(`${pack.key}:${demo}`);
    try {
      await exportPackFile(pack.key, { demo });
    } catch (error) {
      message.error(describeApiError(error, t).detail);
    } finally {
      setBusy(undefined);
    }
  }

  const columns: TableColumnsType<PackListItem> = [
    {
      key: 'name',
      title: t('packs.col.pack'),
      render: (_, pack) => (
        <Space orientation="vertical" size={0}>
          <span>{pick(pack.name, locale, pack.key)}</span>
          <code className="text-muted">{pack.key}</code>
        </Space>
      ),
    },
    {
      key: 'version',
      title: t('packs.col.version'),
      render: (_, pack) =>
        pack.installed ? <Tag color="blue">v{pack.version}</Tag> : <Tag>{t('packs.designerApp')}</Tag>,
    },
    {
      key: 'content',
      title: t('packs.col.content'),
      responsive: ['md'],
      render: (_, pack) => t('packs.counts', { ...pack.counts }),
    },
    {
      key: 'updated',
      title: t('packs.col.updated'),
      responsive: ['lg'],
      render: (_, pack) => (pack.updatedAt ? formatInstant(pack.updatedAt, locale) : '—'),
    },
    {
      key: 'actions',
      title: t('packs.col.actions'),
      render: (_, pack) =>
        pack.installed ? (
          <Flex wrap gap={8}>
            <Button
              size="small"
              icon={<DownloadOutlined aria-hidden />}
              className="packs-export"
              loading={busy === `${pack.key}:false`}
              onClick={() => download(pack, false)}
            >
              {t('packs.export')}
            </Button>
            {pack.demoLoadedAt && (
              <Button size="small" loading={busy === `${pack.key}:true`} onClick={() => download(pack, true)}>
                {t('packs.exportWithDemo')}
              </Button>
            )}
          </Flex>
        ) : (
          <Button
            size="small"
            icon={<DownloadOutlined aria-hidden />}
            className="packs-export"
            onClick={() => setExportingApp(pack)}
          >
            {t('packs.export')}
          </Button>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('packs.title')}
        description={t('packs.description')}
        extra={
          <Flex wrap gap={8}>
            <Button icon={<ReloadOutlined aria-hidden />} onClick={packs.reload}>
              {t('packs.reload')}
            </Button>
            {canInstall && (
              <Button
                type="primary"
                className="packs-import"
                icon={<AppstoreAddOutlined aria-hidden />}
                onClick={() => setImporting(true)}
              >
                {t('packs.import')}
              </Button>
            )}
          </Flex>
        }
      />
      <Card>
        {!canExport ? (
          <Alert type="info" showIcon title={t('packs.noPermission')} />
        ) : packs.error ? (
          <Alert type="error" showIcon title={describeApiError(packs.error, t).detail} />
        ) : (
          <Table
            className="packs-table"
            rowKey="key"
            loading={packs.loading}
            dataSource={packs.data ?? []}
            columns={columns}
            pagination={false}
            locale={{ emptyText: <Empty description={t('packs.empty')} /> }}
            onRow={(pack) => ({ 'data-pack': pack.key, 'data-version': pack.version ?? '' }) as never}
            scroll={{ x: 'max-content' }}
          />
        )}
      </Card>
      {importing && <ImportDialog onClose={() => setImporting(false)} onImported={packs.reload} />}
      {exportingApp && <ExportAppDialog pack={exportingApp} onClose={() => setExportingApp(undefined)} />}
    </>
  );
}
