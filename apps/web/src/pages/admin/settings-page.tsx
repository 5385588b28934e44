import { ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Flex, Form, InputNumber, Result, Skeleton, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { adminApi, type SettingsChanges, type SystemSettings } from '../../api/admin.ts';
import { isApiError } from '../../api/client.ts';
import { describeApiError, useApiErrorNotice } from '../../api/use-api-error-notice.tsx';
import { MemberNames } from '../../field-types/member/picker.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type MessageKey, type Translate, useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import './admin-pages.css';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type Section = 'access' | 'upload';

/**
 * One input of the page: the server's setting (`section.key`, in its own unit: milliseconds, a count, MB) shown
 * in a unit people type (minutes, hours). Bounds mirror the server's, which still decides.
 */
type SettingField = {
  name: string;
  section: Section;
  key: string;
  unit: number;
  min: number;
  max: (settings: SystemSettings) => number;
  label: MessageKey;
  help: MessageKey;
  suffix: MessageKey;
};

const settingFields: SettingField[] = [
  {
    name: 'sessionIdle',
    section: 'access',
    key: 'sessionIdleMs',
    unit: MINUTE,
    min: 5,
    max: () => 24 * 60,
    label: 'settings.sessionIdle',
    help: 'settings.sessionIdleHelp',
    suffix: 'settings.minutes',
  },
  {
    name: 'sessionAbsolute',
    section: 'access',
    key: 'sessionAbsoluteMs',
    unit: HOUR,
    min: 1,
    max: () => 30 * 24,
    label: 'settings.sessionAbsolute',
    help: 'settings.sessionAbsoluteHelp',
    suffix: 'settings.hours',
  },
  {
    name: 'loginMaxFailures',
    section: 'access',
    key: 'loginMaxFailures',
    unit: 1,
    min: 3,
    max: () => 20,
    label: 'settings.loginMaxFailures',
    help: 'settings.loginMaxFailuresHelp',
    suffix: 'settings.times',
  },
  {
    name: 'lock',
    section: 'access',
    key: 'lockMs',
    unit: MINUTE,
    min: 1,
    max: () => 24 * 60,
    label: 'settings.lock',
    help: 'settings.lockHelp',
    suffix: 'settings.minutes',
  },
  {
    name: 'ipMaxFailures',
    section: 'access',
    key: 'ipMaxFailures',
    unit: 1,
    min: 5,
    max: () => 100_000,
    label: 'settings.ipMaxFailures',
    help: 'settings.ipMaxFailuresHelp',
    suffix: 'settings.times',
  },
  {
    name: 'maxFileMb',
    section: 'upload',
    key: 'maxFileMb',
    unit: 1,
    min: 1,
    max: (settings) => settings.upload.ceilingMb,
    label: 'settings.maxFileMb',
    help: 'settings.maxFileMbHelp',
    suffix: 'settings.mb',
  },
];

type FormValues = Record<string, number | null>;

function stored(settings: SystemSettings, field: SettingField): number {
  const values = settings[field.section].values as Record<string, number>;
  return values[field.key] as number;
}

function formValuesOf(settings: SystemSettings): FormValues {
  return Object.fromEntries(settingFields.map((field) => [field.name, stored(settings, field) / field.unit]));
}

function defaultText(settings: SystemSettings, field: SettingField, t: Translate): string {
  const defaults = settings[field.section].defaults as Record<string, number>;
  return t('settings.default', { value: (defaults[field.key] as number) / field.unit, unit: t(field.suffix) });
}

/**
 * 系统设置: the settings the server reads at run time — session lengths and sign-in lockout (every sign-in) and the
 * per-file upload ceiling (every upload) — changed together (the server refuses every bad value at once, nothing
 * half-applied, and audits the change), and what the deployment fixed in its configuration, read only.
 */
export function SettingsPage() {
  const t = useT();
  useDocumentTitle(t('settings.title'));
  const loaded = useLoad(() => adminApi.settings(), 'settings');
  return (
    <>
      <PageHeader
        title={t('settings.title')}
        description={t('settings.description')}
        extra={
          <Button icon={<ReloadOutlined aria-hidden />} onClick={loaded.reload}>
            {t('records.refresh')}
          </Button>
        }
      />
      {loaded.error ? (
        <Result status="warning" title={describeApiError(loaded.error, t).detail} />
      ) : loaded.data ? (
        <SettingsForm settings={loaded.data} />
      ) : (
        <Skeleton active />
      )}
    </>
  );
}

function SettingsForm({ settings: initial }: { settings: SystemSettings }) {
  const t = useT();
  const locale = useLocale();
  const { message } = App.useApp();
  const notify = useApiErrorNotice();
  const [settings, setSettings] = useState(initial);
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);
  useEffect(() => form.setFieldsValue(formValuesOf(settings)), [form, settings]);

  const bySection = useMemo(
    () => ({
      access: settingFields.filter((field) => field.section === 'access'),
      upload: settingFields.filter((field) => field.section === 'upload'),
    }),
    [],
  );

  async function save(values: FormValues) {
    const changes: SettingsChanges = {};
    for (const field of settingFields) {
      const value = values[field.name];
      if (value === null || value === undefined) continue;
      const next = Math.round(value * field.unit);
      if (next === stored(settings, field)) continue;
      if (field.section === 'upload') changes.upload = { maxFileMb: next };
      else changes.access = { ...changes.access, [field.key]: next };
    }
    if (!changes.access && !changes.upload) {
      message.info(t('settings.unchanged'));
      return;
    }
    setSaving(true);
    try {
      const next = await adminApi.updateSettings(changes);
      setSettings(next);
      setDirty(false);
      message.success(t('settings.saved'));
    } catch (error) {
      if (isApiError(error) && error.fields.length > 0) {
        // The server names each refused value by its section and key; show it under that input.
        form.setFields(
          error.fields.flatMap((issue) => {
            const field = settingFields.find((f) => f.section === issue.path[0] && f.key === issue.path[1]);
            if (!field) return [];
            const text =
              issue.code === 'idle_longer_than_session'
                ? t('settings.idleLongerThanSession')
                : t('settings.range', { min: field.min, max: field.max(settings), unit: t(field.suffix) });
            return [{ name: field.name, errors: [text] }];
          }),
        );
      }
      notify(error);
    } finally {
      setSaving(false);
    }
  }

  const input = (field: SettingField) => (
    <Form.Item
      key={field.name}
      name={field.name}
      label={t(field.label)}
      extra={`${t(field.help)} ${defaultText(settings, field, t)}`}
      rules={[
        { required: true, message: t('settings.required') },
        {
          type: 'number',
          min: field.min,
          max: field.max(settings),
          message: t('settings.range', { min: field.min, max: field.max(settings), unit: t(field.suffix) }),
        },
      ]}
    >
      <InputNumber
        className="settings-input"
        min={field.min}
        max={field.max(settings)}
        precision={0}
        suffix={t(field.suffix)}
      />
    </Form.Item>
  );

  const changed = (section: Section) => {
    const { updatedAt, updatedBy } = settings[section];
    if (!updatedAt) return <span className="text-muted">{t('settings.neverChanged')}</span>;
    return (
      <span className="text-muted settings-changed">
        {t('settings.changedAt', { at: formatInstant(updatedAt, locale) })}{' '}
        {updatedBy && <MemberNames value={[updatedBy]} />}
      </span>
    );
  };

  const deployment = settings.deployment;
  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      className="settings-form"
      onFinish={(values) => void save(values)}
      onValuesChange={() => setDirty(true)}
      requiredMark={false}
    >
      <Flex vertical gap={16}>
        <Alert type="info" showIcon title={t('settings.appliesFromNow')} />
        <Card title={t('settings.sectionSession')} extra={changed('access')} className="settings-card">
          <div className="settings-grid">{bySection.access.map(input)}</div>
        </Card>
        <Card title={t('settings.sectionUpload')} extra={changed('upload')} className="settings-card">
          <div className="settings-grid">{bySection.upload.map(input)}</div>
        </Card>
        <Flex gap={8} justify="flex-end" className="settings-actions">
          <Button
            onClick={() => {
              form.resetFields();
              form.setFieldsValue(formValuesOf(settings));
              setDirty(false);
            }}
            disabled={!dirty || saving}
          >
            {t('settings.reset')}
          </Button>
          <Button
            type="primary"
            htmlType="submit"
            icon={<SaveOutlined aria-hidden />}
            loading={saving}
            className="settings-save"
          >
            {t('settings.save')}
          </Button>
        </Flex>
        {deployment && (
          <Card title={t('settings.sectionDeployment')} className="settings-card settings-deployment">
            <p className="text-muted">{t('settings.deploymentHelp')}</p>
            <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
              <Descriptions.Item label={t('settings.database')}>
                {deployment.database === 'postgres' ? 'PostgreSQL' : t('settings.sqlite')}
              </Descriptions.Item>
              <Descriptions.Item label={t('settings.publicUrl')}>
                {deployment.publicUrl ?? <span className="text-muted">{t('settings.notSet')}</span>}
              </Descriptions.Item>
              <Descriptions.Item label={t('settings.mail')}>
                {deployment.mail.configured ? (
                  <span>
                    <Tag color="green">{t('settings.mailOn')}</Tag>
                    {deployment.mail.host} · {deployment.mail.from}
                  </span>
                ) : (
                  <Tag>{t('settings.mailOff')}</Tag>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('settings.redis')}>
                {deployment.redis ? t('settings.redisOn') : t('settings.redisOff')}
              </Descriptions.Item>
              <Descriptions.Item label={t('settings.bodyLimit')}>
                {`${Math.round((deployment.bodyLimit / 1024 / 1024) * 100) / 100} MB`}
              </Descriptions.Item>
              <Descriptions.Item
                label={t('settings.uploadCeiling')}
              >{`${settings.upload.ceilingMb} MB`}</Descriptions.Item>
            </Descriptions>
          </Card>
        )}
      </Flex>
    </Form>
  );
}
