import { EditOutlined, PrinterOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Result, Skeleton } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { ApiErrorBody, describeApiError } from '../../api/use-api-error-notice.tsx';
import { getSession } from '../../auth/session.ts';
import { formsApi } from '../../form-runtime/api.ts';
import { initialValues, validateValues, valuesForSave } from '../../form-runtime/compute.ts';
import { FormView, todayContext, useClientForm } from '../../form-runtime/form-view.tsx';
import {
  type FieldAccessMap,
  type FormDefinition,
  type FormIssue,
  type FormRecord,
  pathKey,
  pickLabel,
  type Values,
} from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useFormDefinition } from './use-form-definition.ts';

/** The server's field errors as form issues: its message is already in the member's language. */
function serverIssues(error: unknown): FormIssue[] {
  if (!isApiError(error)) return [];
  return error.fields.map((field) => ({
    path: [...field.path],
    code: `server:${field.code ?? ''}`,
    message: { zh: field.message, en: field.message },
  }));
}

function defaultsForMe() {
  const session = getSession();
  const member = session.status === 'signedIn' ? session.member : undefined;
  return todayContext({ memberId: member?.id, departmentId: member?.mainDepartmentId });
}

/** `/records/:pack/:key/new` and `/records/:pack/:key/:id`: one record, read, then edited in place. */
export function RecordPage() {
  const { pack = '', key = '', id } = useParams();
  const creating = id === undefined || id === 'new';
  const published = useFormDefinition(pack, key);
  const t = useT();
  if (published.error) {
    const description = describeApiError(published.error, t, t('records.loadFormFailed'));
    return (
      <Result
        status="warning"
        title={description.title}
        subTitle={description.detail}
        extra={<Link to="/records">{t('records.backToForms')}</Link>}
      />
    );
  }
  if (!published.data) return <Skeleton active />;
  return (
    <RecordEditor
      key={`${pack}/${key}/${id ?? 'new'}`}
      definition={published.data.definition}
      access={published.data.fieldAccess}
      pack={pack}
      formKey={key}
      recordId={creating ? undefined : id}
    />
  );
}

function RecordEditor({
  definition,
  access,
  pack,
  formKey,
  recordId,
}: {
  definition: FormDefinition;
  /** The member's access per field (the form's field permissions): hidden fields are not drawn, read-only ones not sent. */
  access: FieldAccessMap | undefined;
  pack: string;
  formKey: string;
  recordId: string | undefined;
}) {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const form = useClientForm(definition);
  const defaults = useMemo(defaultsForMe, []);
  const [record, setRecord] = useState<FormRecord>();
  const [values, setValues] = useState<Values>(() => (recordId ? {} : initialValues(form, defaults)));
  const [editing, setEditing] = useState(recordId === undefined);
  const [dirty, setDirty] = useState(false);
  const [issues, setIssues] = useState<FormIssue[]>([]);
  const [saving, setSaving] = useState(false);
  const [loadError, setLoadError] = useState<unknown>();
  const [saveError, setSaveError] = useState<unknown>();
  const [createdId, setCreatedId] = useState<string>();
  useEffect(() => {
    if (createdId && !dirty) navigate(`/records/${pack}/${formKey}/${createdId}`, { replace: true });
  }, [createdId, dirty, navigate, pack, formKey]);
  const formName = pickLabel(definition.label, locale);
  useDocumentTitle(recordId ? formName : t('records.newTitle', { form: formName }));

  const loadRecord = useCallback(async () => {
    if (!recordId) return;
    setLoadError(undefined);
    try {
      const loaded = await formsApi.record(pack, formKey, recordId);
      setRecord(loaded);
      setValues(loaded.values);
      setDirty(false);
      setIssues([]);
      setSaveError(undefined);
    } catch (error) {
      setLoadError(error);
    }
  }, [pack, formKey, recordId]);

  useEffect(() => {
    void loadRecord();
  }, [loadRecord]);

  const onChange = useCallback(
    (next: Values) => {
      setValues(next);
      setDirty(true);
      // An error goes away as soon as it is fixed; new ones wait for the next save, not for every keystroke.
      setIssues((current) => {
        if (current.length === 0) return current;
        const still = new Set(validateValues(form, next, access).map((issue) => pathKey(issue.path)));
        const kept = current.filter((issue) => issue.code.startsWith('server:') || still.has(pathKey(issue.path)));
        return kept.length === current.length ? current : kept;
      });
    },
    [form, access],
  );

  const save = async () => {
    const found = validateValues(form, values, access);
    setIssues(found);
    if (found.length > 0) {
      message.error(t('records.fixErrors', { count: found.length }));
      document.querySelector<HTMLElement>('.form-cell-invalid input, .form-cell-invalid textarea')?.focus();
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      const body = valuesForSave(form, values, access);
      const saved = record
        ? await formsApi.update(pack, formKey, record.id, record.version, body)
        : await formsApi.create(pack, formKey, body);
      setDirty(false);
      // A write answers without `writable`: whoever just saved the record may change it again.
      setRecord({ ...saved, writable: true });
      setValues(saved.values);
      setEditing(false);
      message.success(t('records.saved'));
      // The new record's own address, once the clean state is rendered (the leave guard must see it).
      if (!record) setCreatedId(saved.id);
    } catch (error) {
      if (isApiError(error) && (error.code === 'DB_VERSION_CONFLICT' || error.status === 409)) {
        modal.confirm({
          title: t('records.conflictTitle'),
          content: t('records.conflictBody'),
          okText: t('records.conflictReload'),
          cancelText: t('records.conflictKeep'),
          onOk: async () => {
            await loadRecord();
            setEditing(false);
          },
        });
      } else {
        setIssues(serverIssues(error));
        setSaveError(error);
      }
    } finally {
      setSaving(false);
    }
  };

  if (loadError) {
    const description = describeApiError(loadError, t, t('records.loadRecordFailed'));
    return (
      <Result
        status={isApiError(loadError) && loadError.status === 404 ? '404' : 'warning'}
        title={description.title}
        subTitle={description.detail}
        extra={
          <Flex gap={8} justify="center">
            <Button onClick={() => void loadRecord()}>{t('records.retry')}</Button>
            <Link to={`/records/${pack}/${formKey}`}>{t('records.backToList')}</Link>
          </Flex>
        }
      />
    );
  }
  if (recordId && !record) return <Skeleton active />;
  // 编辑 only where the server would accept the change: its write scopes reach the record (`writable`) and the
  // form's field permissions leave the member at least one field to edit.
  const mayEdit =
    record?.writable === true &&
    !record.voidedAt &&
    (access === undefined || Object.values(access).some((level) => level === 'edit' || level === 'required'));

  return (
    <>
      <PageHeader
        title={record ? formName : t('records.newTitle', { form: formName })}
        description={record ? t('records.recordMeta', { version: record.version }) : t('records.newDescription')}
        extra={
          <Flex gap={8} wrap align="center">
            <Link to={`/records/${pack}/${formKey}`}>{t('records.backToList')}</Link>
            {record && (
              <Button
                icon={<PrinterOutlined aria-hidden />}
                href={`/print/records/${encodeURIComponent(pack)}/${encodeURIComponent(formKey)}/${encodeURIComponent(record.id)}`}
                target="_blank"
                rel="noopener"
                className="record-print"
              >
                {t('print.button')}
              </Button>
            )}
            {mayEdit && !editing && (
              <Button type="primary" icon={<EditOutlined aria-hidden />} onClick={() => setEditing(true)}>
                {t('records.edit')}
              </Button>
            )}
          </Flex>
        }
      />
      {saveError !== undefined && (
        <Alert
          type="error"
          showIcon
          className="record-save-error"
          title={t('records.saveFailed')}
          description={<ApiErrorBody description={describeApiError(saveError, t, t('records.saveFailed'))} t={t} />}
          closable
          onClose={() => setSaveError(undefined)}
        />
      )}
      <Card className="record-card-form">
        <FormView
          definition={definition}
          values={values}
          onChange={onChange}
          mode={editing ? 'edit' : 'read'}
          access={access}
          issues={issues}
          dirty={dirty}
          defaults={defaults}
        />
      </Card>
      {editing && (
        <Flex gap={8} justify="flex-end" className="record-actions">
          {record && (
            <Button
              icon={<ReloadOutlined aria-hidden />}
              onClick={() => {
                setValues(record.values);
                setDirty(false);
                setIssues([]);
                setEditing(false);
              }}
            >
              {t('common.cancel')}
            </Button>
          )}
          <Button type="primary" icon={<SaveOutlined aria-hidden />} loading={saving} onClick={() => void save()}>
            {t('common.save')}
          </Button>
        </Flex>
      )}
    </>
  );
}
