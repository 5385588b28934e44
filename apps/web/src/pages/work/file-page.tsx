import { SaveOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Input, Result, Skeleton } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { type Chosen, type FlowDetail, flowsApi, newClientActionId } from '../../api/flows.ts';
import { ApiErrorBody, describeApiError } from '../../api/use-api-error-notice.tsx';
import { getSession } from '../../auth/session.ts';
import { initialValues, validateValues, valuesForSave } from '../../form-runtime/compute.ts';
import { FormView, todayContext, useClientForm } from '../../form-runtime/form-view.tsx';
import { type FormIssue, pathKey, pickLabel, type Values } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import { nodeAccess, PeopleSelect, serverIssues } from './work-shared.tsx';

export function defaultsForMe() {
  const session = getSession();
  const member = session.status === 'signedIn' ? session.member : undefined;
  return todayContext({ memberId: member?.id, departmentId: member?.mainDepartmentId });
}

/** `/work/file/:pack/:key`: the flow's form, empty, to save as a draft or submit. */
export function FilePage() {
  const { pack = '', key = '' } = useParams();
  const t = useT();
  // The flow comes with its form: filing needs the right to file, not rights on the form.
  const loaded = useLoad(() => flowsApi.get(pack, key), `${pack}/${key}`);
  if (loaded.error) {
    const description = describeApiError(loaded.error, t, t('work.file.loadFlowFailed'));
    return (
      <Result
        status="warning"
        title={description.title}
        subTitle={description.detail}
        extra={<Link to="/work/file">{t('work.file.backToCatalogue')}</Link>}
      />
    );
  }
  if (!loaded.data) return <Skeleton active />;
  return <FileEditor key={`${pack}/${key}`} flow={loaded.data} />;
}

function FileEditor({ flow }: { flow: FlowDetail }) {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const definition = flow.form.definition;
  const form = useClientForm(definition);
  const defaults = useMemo(defaultsForMe, []);
  const start = flow.definition.nodes.find((node) => node.kind === 'start');
  const access = useMemo(() => nodeAccess(definition, start?.fieldAccess, 'edit'), [definition, start]);
  const [chosen, setChosen] = useState<Chosen>({});
  const [values, setValues] = useState<Values>(() => initialValues(form, defaults));
  const [title, setTitle] = useState('');
  const [dirty, setDirty] = useState(false);
  const [issues, setIssues] = useState<FormIssue[]>([]);
  const [busy, setBusy] = useState<'draft' | 'submit'>();
  const [failure, setFailure] = useState<unknown>();
  const [leaveTo, setLeaveTo] = useState<string>();
  // Leave once the clean state is rendered, so the leave guard does not ask.
  useEffect(() => {
    if (leaveTo && !dirty) navigate(leaveTo);
  }, [leaveTo, dirty, navigate]);
  // One id per attempt: a retry after a lost answer replays the first result instead of filing twice.
  const attempt = useRef<string>(undefined);
  const flowTitle = pickLabel(flow.definition.name, locale);
  useDocumentTitle(t('work.file.pageTitle', { flow: flowTitle }));

  const onChange = useCallback(
    (next: Values) => {
      setValues(next);
      setDirty(true);
      attempt.current = undefined;
      setIssues((current) => {
        if (current.length === 0) return current;
        const still = new Set(validateValues(form, next, access).map((issue) => pathKey(issue.path)));
        const kept = current.filter((issue) => issue.code.startsWith('server:') || still.has(pathKey(issue.path)));
        return kept.length === current.length ? current : kept;
      });
    },
    [form, access],
  );

  const chooseName = (choice: FlowDetail['choose'][number]) =>
    choice.name ? pickLabel(choice.name, locale) : choice.nodeKey;

  async function send(draft: boolean) {
    if (!draft) {
      const found = validateValues(form, values, access);
      setIssues(found);
      if (found.length > 0) {
        message.error(t('work.fixErrors', { count: found.length }));
        document.querySelector<HTMLElement>('.form-cell-invalid input, .form-cell-invalid textarea')?.focus();
        return;
      }
      const missing = flow.choose.filter((choice) => (chosen[choice.nodeKey] ?? []).length === 0);
      if (missing.length > 0) {
        message.error(t('work.choose.missing', { node: missing.map((choice) => chooseName(choice)).join('、') }));
        return;
      }
    }
    attempt.current ??= newClientActionId();
    setBusy(draft ? 'draft' : 'submit');
    setFailure(undefined);
    try {
      const result = await flowsApi.file(flow.definition.pack, flow.definition.key, {
        values: valuesForSave(form, values, access),
        ...(title.trim() ? { title: title.trim() } : {}),
        draft,
        ...(flow.choose.length > 0 ? { chosen } : {}),
        clientActionId: attempt.current,
      });
      setDirty(false);
      message.success(draft ? t('work.file.draftSaved') : t('work.file.submitted'));
      setLeaveTo(draft ? `/work/instances/${result.instanceId}` : '/sent');
    } catch (error) {
      attempt.current = undefined;
      setIssues(serverIssues(error));
      setFailure(error);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <>
      <PageHeader
        title={t('work.file.pageTitle', { flow: flowTitle })}
        description={t('work.file.pageDescription')}
        extra={<Link to="/work/file">{t('work.file.backToCatalogue')}</Link>}
      />
      {failure !== undefined && (
        <Alert
          type="error"
          showIcon
          className="work-error"
          title={t('work.file.failed')}
          description={<ApiErrorBody description={describeApiError(failure, t, t('work.file.failed'))} t={t} />}
          closable
          onClose={() => setFailure(undefined)}
        />
      )}
      <Card className="work-form-card">
        <label className="work-title-field" htmlFor="work-title">
          <span>{t('work.file.titleLabel')}</span>
          <Input
            id="work-title"
            maxLength={200}
            value={title}
            placeholder={t('work.file.titlePlaceholder')}
            onChange={(event) => {
              setTitle(event.target.value);
              attempt.current = undefined;
            }}
          />
        </label>
        <FormView
          definition={definition}
          values={values}
          onChange={onChange}
          mode="edit"
          access={access}
          issues={issues}
          dirty={dirty}
          defaults={defaults}
        />
      </Card>
      {flow.choose.length > 0 && (
        <Card className="work-opinion-card" title={t('work.choose.title')}>
          {flow.choose.map((choice) => (
            <label key={choice.nodeKey} className="work-dialog-field" htmlFor={`work-choose-${choice.nodeKey}`}>
              <span>{t('work.choose.for', { node: chooseName(choice) })}</span>
              <PeopleSelect
                id={`work-choose-${choice.nodeKey}`}
                multiple
                value={chosen[choice.nodeKey] ?? []}
                onChange={(ids) => {
                  setChosen((current) => ({ ...current, [choice.nodeKey]: ids }));
                  attempt.current = undefined;
                }}
                t={t}
              />
            </label>
          ))}
        </Card>
      )}
      <Flex gap={8} justify="flex-end" wrap className="work-action-bar">
        <Button
          icon={<SaveOutlined aria-hidden />}
          loading={busy === 'draft'}
          disabled={busy === 'submit'}
          onClick={() => void send(true)}
        >
          {t('work.file.saveDraft')}
        </Button>
        <Button
          type="primary"
          icon={<SendOutlined aria-hidden />}
          loading={busy === 'submit'}
          disabled={busy === 'draft'}
          onClick={() => void send(false)}
        >
          {t('work.file.submit')}
        </Button>
      </Flex>
    </>
  );
}
