import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Flex, Result, Spin } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { flowsApi, type InstanceDetail } from '../../api/flows.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { useSession } from '../../auth/session.ts';
import { useMemberNames } from '../../field-types/shared.tsx';
import { formsApi } from '../../form-runtime/api.ts';
import { FormView } from '../../form-runtime/form-view.tsx';
import { type FormDefinition, type FormRecord, pickLabel, type Values } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type Translate, useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { useLoad } from '../records/use-form-definition.ts';
import { kindLabel } from '../work/flow-graph.tsx';
import { actionLabel, InstanceStateTag } from '../work/work-shared.tsx';
import './print.css';

// 打印: a request or a record laid out like its paper form — title, number, the form's fields in their grid as
// read-only widgets, the approval history with each opinion, actor and time — outside the app shell, with a
// print stylesheet (A4, black on white, no menus). Every text defined by an administrator or typed by a member is
// rendered as text by React and the read-only widgets (rich text through the same sanitiser as everywhere).

/** The value of the form's first serial-number field (流水号), the number the paper form carries. */
function serialOf(definition: FormDefinition, values: Values): string | undefined {
  const field = definition.fields.find((f) => f.type === 'serial');
  const value = field ? values[field.key] : undefined;
  return typeof value === 'string' && value ? value : undefined;
}

function Toolbar({ back, t }: { back: string; t: Translate }) {
  return (
    <Flex gap={8} wrap align="center" className="print-toolbar" role="toolbar" aria-label={t('print.toolbar')}>
      <Button
        type="primary"
        icon={<PrinterOutlined aria-hidden />}
        onClick={() => window.print()}
        className="print-now"
      >
        {t('print.button')}
      </Button>
      <Link to={back} className="print-back">
        <ArrowLeftOutlined aria-hidden /> {t('print.close')}
      </Link>
      <span className="print-hint">{t('print.hint')}</span>
    </Flex>
  );
}

function Failure({ error, back, t }: { error: unknown; back: string; t: Translate }) {
  const description = describeApiError(error, t, t('print.loadFailed'));
  return (
    <Result
      status={isApiError(error) && error.status === 404 ? '404' : 'warning'}
      title={description.title}
      subTitle={description.detail}
      extra={<Link to={back}>{t('print.close')}</Link>}
    />
  );
}

/** The approval history as the paper form's table: step, who, what, opinion, when. */
function History({ detail, t }: { detail: InstanceDetail; t: Translate }) {
  const locale = useLocale();
  const actions = detail.history.actions.filter((action) => action.action !== 'saveDraft');
  const names = useMemberNames([...new Set(actions.map((action) => action.actorId))]);
  const nodeName = (key: string | null) => {
    if (!key) return '';
    const node = detail.graph.nodes.find((each) => each.key === key);
    if (node?.name) return pickLabel(node.name, locale);
    return node ? kindLabel(node.kind, t) : key;
  };
  return (
    <section className="print-history" aria-labelledby="print-history-title">
      <h2 id="print-history-title">{t('print.history')}</h2>
      {actions.length === 0 ? (
        <p>{t('print.history.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('print.history.node')}</th>
              <th scope="col">{t('print.history.actor')}</th>
              <th scope="col">{t('print.history.action')}</th>
              <th scope="col">{t('print.history.opinion')}</th>
              <th scope="col">{t('print.history.at')}</th>
            </tr>
          </thead>
          <tbody>
            {actions.map((action) => (
              <tr
                key={`${action.at}:${action.actorId}:${action.action}:${action.taskId ?? ''}`}
                data-action={action.action}
              >
                <td>{nodeName(action.nodeKey)}</td>
                <td>
                  {action.actorId.startsWith('system:') ? t('work.history.system') : (names[action.actorId] ?? '…')}
                </td>
                <td>{actionLabel(action.action, t)}</td>
                <td className="print-opinion">{action.opinion ?? ''}</td>
                <td className="print-time">{formatInstant(action.at, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Sheet({
  definition,
  values,
  meta,
  subtitle,
  history,
}: {
  definition: FormDefinition;
  values: Values;
  meta: { label: string; value: ReactNode }[];
  subtitle?: string;
  history?: ReactNode;
}) {
  const t = useT();
  const locale = useLocale();
  const session = useSession();
  const printer = session.status === 'signedIn' ? session.member.name : '';
  const title = pickLabel(definition.label, locale);
  useDocumentTitle(t('print.title', { title }));
  return (
    <article className="print-sheet" data-form={`${definition.pack}.${definition.key}`}>
      <header className="print-head">
        <h1>{title}</h1>
        {subtitle && <p className="print-subtitle">{subtitle}</p>}
        <dl className="print-meta">
          {meta
            .filter((item) => item.value !== undefined && item.value !== '')
            .map((item) => (
              <div key={item.label}>
                <dt>{item.label}</dt>
                <dd>{item.value}</dd>
              </div>
            ))}
        </dl>
      </header>
      <div className="print-form">
        <FormView definition={definition} values={values} onChange={() => undefined} mode="read" />
      </div>
      {history}
      <footer className="print-foot">
        {t('print.printedBy', { name: printer, time: formatInstant(new Date().toISOString(), locale) })}
      </footer>
    </article>
  );
}

function usePrintMode() {
  // The page is its own document: no shell background, white paper on grey on screen.
  useEffect(() => {
    document.body.classList.add('print-body');
    return () => document.body.classList.remove('print-body');
  }, []);
}

/** `/print/instances/:id`: a request (申请单) with its approval history. */
export function PrintInstancePage() {
  const { id = '' } = useParams();
  const t = useT();
  const locale = useLocale();
  usePrintMode();
  const loaded = useLoad(() => flowsApi.instance(id), id);
  const back = `/work/instances/${encodeURIComponent(id)}`;
  const detail = loaded.data;
  const initiator = useMemberNames(detail ? [detail.instance.initiatorId] : []);
  if (loaded.error) return <Failure error={loaded.error} back={back} t={t} />;
  if (!detail) {
    return (
      <div className="full-page-center">
        <Spin size="large" />
      </div>
    );
  }
  const definition = detail.form.definition;
  const values = detail.record.values;
  return (
    <div className="print-page">
      <Toolbar back={back} t={t} />
      <Sheet
        definition={definition}
        values={values}
        subtitle={detail.instance.title || undefined}
        meta={[
          { label: t('print.serial'), value: serialOf(definition, values) },
          { label: t('print.flow'), value: pickLabel(detail.graph.flow.name, locale) },
          { label: t('print.initiator'), value: initiator[detail.instance.initiatorId] ?? '…' },
          {
            label: t('print.submittedAt'),
            value: formatInstant(detail.instance.submittedAt ?? detail.instance.createdAt, locale),
          },
          { label: t('print.state'), value: <InstanceStateTag state={detail.instance.state} t={t} /> },
        ]}
        history={<History detail={detail} t={t} />}
      />
    </div>
  );
}

/** `/print/records/:pack/:key/:id`: an archive record, with the history of the request it came from, if any. */
export function PrintRecordPage() {
  const { pack = '', key = '', id = '' } = useParams();
  const t = useT();
  const locale = useLocale();
  usePrintMode();
  const loaded = useLoad(async () => {
    const [published, record] = await Promise.all([formsApi.get(pack, key), formsApi.record(pack, key, id)]);
    // A record filed through a flow prints its approvals too; a reader who may not open the request still
    // prints the record.
    const detail: InstanceDetail | undefined = record.flowInstanceId
      ? await flowsApi.instance(record.flowInstanceId).catch(() => undefined)
      : undefined;
    return { definition: published.definition, record, detail };
  }, `${pack}/${key}/${id}`);
  const back = `/records/${encodeURIComponent(pack)}/${encodeURIComponent(key)}/${encodeURIComponent(id)}`;
  const data = loaded.data;
  const record: FormRecord | undefined = data?.record;
  const creator = useMemberNames(record?.createdBy ? [record.createdBy] : []);
  if (loaded.error) return <Failure error={loaded.error} back={back} t={t} />;
  if (!data || !record) {
    return (
      <div className="full-page-center">
        <Spin size="large" />
      </div>
    );
  }
  return (
    <div className="print-page">
      <Toolbar back={back} t={t} />
      <Sheet
        definition={data.definition}
        values={record.values}
        meta={[
          { label: t('print.serial'), value: serialOf(data.definition, record.values) },
          { label: t('print.initiator'), value: record.createdBy ? (creator[record.createdBy] ?? '…') : undefined },
          { label: t('print.createdAt'), value: formatInstant(record.createdAt, locale) },
          {
            label: t('print.updatedAt'),
            value: record.updatedAt ? formatInstant(record.updatedAt, locale) : undefined,
          },
        ]}
        history={data.detail ? <History detail={data.detail} t={t} /> : undefined}
      />
    </div>
  );
}
