import {
  CheckOutlined,
  CloseOutlined,
  NotificationOutlined,
  ReloadOutlined,
  RollbackOutlined,
  SendOutlined,
  StopOutlined,
  SwapOutlined,
  UndoOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Input,
  Modal,
  Radio,
  Result,
  Row,
  Select,
  Skeleton,
  Steps,
  Timeline,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import {
  type FlowDetail,
  flowsApi,
  type GraphNode,
  type InstanceDetail,
  newClientActionId,
  type TaskView,
} from '../../api/flows.ts';
import { ApiErrorBody, describeApiError } from '../../api/use-api-error-notice.tsx';
import { hasPermission, useSession } from '../../auth/session.ts';
import { useMemberNames } from '../../field-types/shared.tsx';
import { formsApi, type PublishedForm } from '../../form-runtime/api.ts';
import { validateValues, valuesForSave } from '../../form-runtime/compute.ts';
import { FormView, useClientForm } from '../../form-runtime/form-view.tsx';
import { type FieldAccessMap, type FormIssue, pathKey, pickLabel, type Values } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type Translate, useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { MemberPicker } from '../admin/org-pickers.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import { defaultsForMe } from './file-page.tsx';
import {
  actionLabel,
  canEditSomething,
  formatTime,
  InstanceStateTag,
  isConflict,
  nodeAccess,
  serverIssues,
} from './work-shared.tsx';

type Loaded = { detail: InstanceDetail; flow?: FlowDetail; form?: PublishedForm };

/**
 * `/work/instances/:id` (from a task: `?task=<id>`): the request's record, the actions the member may take at
 * this node, its history and its flow. The flow and form definitions are read where the member may read them;
 * without them the record shows as plain values.
 */
export function InstancePage() {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const taskParam = search.get('task') ?? undefined;
  const t = useT();
  const loaded = useLoad<Loaded>(async () => {
    const detail = await flowsApi.instance(id);
    const { pack, key } = detail.graph.flow;
    const flow = await flowsApi.get(pack, key).catch(() => undefined);
    const form = flow
      ? await formsApi.get(flow.definition.form.pack, flow.definition.form.key).catch(() => undefined)
      : undefined;
    return { detail, flow, form };
  }, id);

  if (loaded.error) {
    const description = describeApiError(loaded.error, t, t('work.instance.loadFailed'));
    return (
      <Result
        status={isApiError(loaded.error) && loaded.error.status === 404 ? '404' : 'warning'}
        title={description.title}
        subTitle={description.detail}
        extra={
          <Flex gap={8} justify="center">
            <Button onClick={loaded.reload}>{t('work.retry')}</Button>
            <Link to="/pending">{t('work.instance.backToList')}</Link>
          </Flex>
        }
      />
    );
  }
  if (!loaded.data) return <Skeleton active />;
  return (
    <InstanceView
      key={`${id}:${loaded.data.detail.instance.version}:${taskParam ?? ''}`}
      {...loaded.data}
      taskParam={taskParam}
      reload={loaded.reload}
    />
  );
}

const phrases = ['work.opinion.agree', 'work.opinion.disagree', 'work.opinion.moreMaterial'] as const;

type Dialog = 'return' | 'transfer' | 'addSigner';

function InstanceView({
  detail,
  flow,
  form: published,
  taskParam,
  reload,
}: Loaded & { taskParam: string | undefined; reload: () => void }) {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const session = useSession();
  const me = session.status === 'signedIn' ? session.member.id : '';
  const { instance, history, graph } = detail;
  useDocumentTitle(instance.title || t('work.instance.title'));

  const mine = (task: TaskView) => task.assigneeId === me && (!taskParam || task.taskId === taskParam);
  const myTask =
    history.tasks.find((task) => mine(task) && task.kind === 'approval' && task.state === 'pending') ??
    history.tasks.find((task) => task.assigneeId === me && task.kind === 'approval' && task.state === 'pending');
  const notifyTask = history.tasks.find((task) => mine(task) && task.kind === 'notify' && !task.readAt);
  const isInitiator = instance.initiatorId === me;
  const draft = isInitiator && instance.state === 'draft';
  const running = instance.state === 'running';

  // Opening a notification is reading it.
  const markedRead = useRef(false);
  useEffect(() => {
    if (!notifyTask || markedRead.current) return;
    markedRead.current = true;
    void flowsApi.markRead(notifyTask.taskId).catch(() => undefined);
  }, [notifyTask]);

  const definition = published?.definition;
  const access: FieldAccessMap | undefined = useMemo(() => {
    if (!definition || !flow) return undefined;
    const nodes = flow.definition.nodes;
    if (draft)
      return nodeAccess(
        definition,
        nodes.find((node) => node.kind === 'start'),
        'edit',
      );
    if (myTask)
      return nodeAccess(
        definition,
        nodes.find((node) => node.key === myTask.nodeKey),
        'read',
      );
    return undefined;
  }, [definition, flow, draft, myTask]);
  const editable = Boolean(access && canEditSomething(access));

  const [values, setValues] = useState<Values>(detail.record.values);
  const [dirty, setDirty] = useState(false);
  const [issues, setIssues] = useState<FormIssue[]>([]);
  const [opinion, setOpinion] = useState('');
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [dialog, setDialog] = useState<Dialog>();
  const [leaveTo, setLeaveTo] = useState<string>();
  useEffect(() => {
    if (leaveTo && !dirty) navigate(leaveTo);
  }, [leaveTo, dirty, navigate]);

  const nodeName = useCallback(
    (key: string | null) => {
      if (!key) return '';
      const node = graph.nodes.find((each) => each.key === key);
      if (node?.name) return pickLabel(node.name, locale);
      if (node?.kind === 'start') return t('work.graph.start');
      if (node?.kind === 'end') return t('work.graph.end');
      return key;
    },
    [graph.nodes, locale, t],
  );

  const people = useMemberNames([
    ...new Set([
      instance.initiatorId,
      ...history.actions.map((action) => action.actorId),
      ...graph.nodes.flatMap((node) => node.assignees),
    ]),
  ]);
  const nameOf = (memberId: string) => people[memberId] ?? '…';

  /**
   * Runs one action with a fresh client action id. Someone else acting first (409) reloads the request; other
   * errors stay on the page, their field errors on the fields.
   */
  async function run(
    name: string,
    action: (clientActionId: string) => Promise<unknown>,
    done: { message: string; leaveTo?: string },
  ): Promise<boolean> {
    setBusy(name);
    setFailure(undefined);
    try {
      await action(newClientActionId());
      message.success(done.message);
      if (done.leaveTo) {
        setDirty(false);
        setLeaveTo(done.leaveTo);
      } else reload();
      return true;
    } catch (error) {
      if (isConflict(error)) {
        message.warning(t('work.conflict'));
        setDirty(false);
        reload();
      } else {
        setIssues(serverIssues(error));
        setFailure(error);
      }
      return false;
    } finally {
      setBusy(undefined);
    }
  }

  const clientForm = useClientFormMaybe(published);
  /** The node's fields, checked as the server will; undefined when something needs fixing first. */
  function nodeValues(): Values | undefined | false {
    if (!editable || !clientForm || !access) return undefined;
    const found = validateValues(clientForm, values, access);
    setIssues(found);
    if (found.length > 0) {
      message.error(t('work.fixErrors', { count: found.length }));
      return false;
    }
    return valuesForSave(clientForm, values, access);
  }

  const opinionText = () => opinion.trim() || undefined;

  function approve() {
    if (!myTask) return;
    const written = nodeValues();
    if (written === false) return;
    void run(
      'approve',
      (clientActionId) =>
        flowsApi.taskAction(myTask.taskId, 'approve', {
          clientActionId,
          opinion: opinionText() ?? t('work.opinion.agree'),
          ...(written ? { values: written } : {}),
        }),
      { message: t('work.done.approve'), leaveTo: '/pending' },
    );
  }

  function confirmThen(title: string, content: string, okText: string, action: () => void) {
    modal.confirm({
      title,
      content,
      okText,
      okButtonProps: { danger: true },
      cancelText: t('work.cancel'),
      onOk: action,
    });
  }

  function reject() {
    if (!myTask) return;
    confirmThen(t('work.confirm.rejectTitle'), t('work.confirm.rejectBody'), t('work.do.reject'), () =>
      run(
        'reject',
        (clientActionId) => flowsApi.taskAction(myTask.taskId, 'reject', { clientActionId, opinion: opinionText() }),
        { message: t('work.done.reject'), leaveTo: '/pending' },
      ),
    );
  }

  function withdraw() {
    confirmThen(t('work.confirm.withdrawTitle'), t('work.confirm.withdrawBody'), t('work.do.withdraw'), () =>
      run(
        'withdraw',
        (clientActionId) =>
          flowsApi.instanceAction(instance.instanceId, 'withdraw', { clientActionId, opinion: opinionText() }),
        { message: t('work.done.withdraw'), leaveTo: '/sent' },
      ),
    );
  }

  function terminate() {
    confirmThen(t('work.confirm.terminateTitle'), t('work.confirm.terminateBody'), t('work.do.terminate'), () =>
      run(
        'terminate',
        (clientActionId) =>
          flowsApi.instanceAction(instance.instanceId, 'terminate', { clientActionId, opinion: opinionText() }),
        { message: t('work.done.terminate') },
      ),
    );
  }

  function urge() {
    void run(
      'urge',
      (clientActionId) =>
        flowsApi.instanceAction(instance.instanceId, 'urge', { clientActionId, opinion: opinionText() }),
      { message: t('work.done.urge') },
    );
  }

  function submitDraft() {
    const written = nodeValues();
    if (written === false) return;
    const returned = history.actions.some((action) => action.action === 'return');
    void run(
      'submit',
      (clientActionId) =>
        flowsApi.submit(instance.instanceId, {
          clientActionId,
          ...(written ? { values: written } : {}),
          ...(returned ? { jumpBack: true } : {}),
        }),
      { message: t('work.file.submitted'), leaveTo: '/sent' },
    );
  }

  // Earlier approval nodes this request has passed through: where a return may send it.
  const returnTargets = [
    { value: 'initiator', label: t('work.return.initiator') },
    ...graph.nodes
      .filter((node) => node.kind === 'approval' && node.key !== myTask?.nodeKey && node.state === 'completed')
      .map((node) => ({ value: node.key, label: nodeName(node.key) })),
  ];

  const actions: ReactNode[] = [];
  if (myTask && running) {
    actions.push(
      <Button
        key="approve"
        type="primary"
        className="work-action-approve"
        icon={<CheckOutlined aria-hidden />}
        loading={busy === 'approve'}
        onClick={approve}
      >
        {t('work.do.approve')}
      </Button>,
      <Button
        key="reject"
        danger
        className="work-action-reject"
        icon={<CloseOutlined aria-hidden />}
        loading={busy === 'reject'}
        onClick={reject}
      >
        {t('work.do.reject')}
      </Button>,
      <Button key="return" icon={<RollbackOutlined aria-hidden />} onClick={() => setDialog('return')}>
        {t('work.do.return')}
      </Button>,
      <Button key="transfer" icon={<SwapOutlined aria-hidden />} onClick={() => setDialog('transfer')}>
        {t('work.do.transfer')}
      </Button>,
      <Button key="addSigner" icon={<UsergroupAddOutlined aria-hidden />} onClick={() => setDialog('addSigner')}>
        {t('work.do.addSigner')}
      </Button>,
    );
  }
  if (draft) {
    actions.push(
      <Button
        key="submit"
        type="primary"
        className="work-action-submit"
        icon={<SendOutlined aria-hidden />}
        loading={busy === 'submit'}
        onClick={submitDraft}
      >
        {t('work.file.submit')}
      </Button>,
    );
  }
  if (isInitiator && running) {
    actions.push(
      <Button key="urge" icon={<NotificationOutlined aria-hidden />} loading={busy === 'urge'} onClick={urge}>
        {t('work.do.urge')}
      </Button>,
      <Button key="withdraw" icon={<UndoOutlined aria-hidden />} loading={busy === 'withdraw'} onClick={withdraw}>
        {t('work.do.withdraw')}
      </Button>,
    );
  }
  if (running && hasPermission(session, 'flow.admin')) {
    actions.push(
      <Button
        key="terminate"
        danger
        icon={<StopOutlined aria-hidden />}
        loading={busy === 'terminate'}
        onClick={terminate}
      >
        {t('work.do.terminate')}
      </Button>,
    );
  }
  const showOpinion = Boolean(myTask && running) || (isInitiator && running);

  return (
    <>
      <PageHeader
        title={instance.title || t('work.instance.title')}
        description={`${pickLabel(graph.flow.name, locale)} · ${t('work.instance.initiator', { name: nameOf(instance.initiatorId) })}`}
        extra={
          <Flex gap={8} wrap align="center">
            <InstanceStateTag state={instance.state} t={t} />
            <Button icon={<ReloadOutlined aria-hidden />} onClick={reload}>
              {t('work.list.refresh')}
            </Button>
          </Flex>
        }
      />
      {failure !== undefined && (
        <Alert
          type="error"
          showIcon
          className="work-error"
          title={t('work.instance.actionFailed')}
          description={
            <ApiErrorBody description={describeApiError(failure, t, t('work.instance.actionFailed'))} t={t} />
          }
          closable
          onClose={() => setFailure(undefined)}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card className="work-form-card" title={t('work.instance.record')}>
            {definition ? (
              <FormView
                definition={definition}
                values={values}
                onChange={(next) => {
                  setValues(next);
                  setDirty(true);
                  setIssues((current) => {
                    if (current.length === 0 || !clientForm) return current;
                    const still = new Set(validateValues(clientForm, next, access).map((issue) => pathKey(issue.path)));
                    return current.filter(
                      (issue) => issue.code.startsWith('server:') || still.has(pathKey(issue.path)),
                    );
                  });
                }}
                mode={editable ? 'edit' : 'read'}
                access={access}
                issues={issues}
                dirty={dirty}
                defaults={defaultsForMe()}
              />
            ) : (
              <PlainValues values={detail.record.values} t={t} />
            )}
          </Card>
          {showOpinion && (
            <Card className="work-opinion-card" title={t('work.opinion.title')}>
              <Flex gap={8} wrap className="work-phrases">
                {phrases.map((phrase) => (
                  <button
                    key={phrase}
                    type="button"
                    className="work-phrase"
                    aria-label={t('work.opinion.usePhrase', { phrase: t(phrase) })}
                    onClick={() => setOpinion(t(phrase))}
                  >
                    {t(phrase)}
                  </button>
                ))}
              </Flex>
              <Input.TextArea
                id="work-opinion"
                className="work-opinion"
                aria-label={t('work.opinion.title')}
                placeholder={t('work.opinion.placeholder')}
                autoSize={{ minRows: 2, maxRows: 6 }}
                maxLength={4000}
                value={opinion}
                onChange={(event) => setOpinion(event.target.value)}
              />
            </Card>
          )}
          {actions.length > 0 && (
            <Flex
              gap={8}
              wrap
              justify="flex-end"
              className="work-action-bar"
              role="group"
              aria-label={t('work.instance.actions')}
            >
              {actions}
            </Flex>
          )}
        </Col>
        <Col xs={24} lg={8}>
          <Card className="work-graph-card" title={t('work.graph.title')}>
            <FlowSteps nodes={graph.nodes} nodeName={nodeName} nameOf={nameOf} t={t} />
          </Card>
          <Card className="work-history-card" title={t('work.history.title')}>
            {history.actions.length === 0 ? (
              <span className="text-muted">{t('work.history.empty')}</span>
            ) : (
              <Timeline
                className="work-history"
                items={history.actions.map((action, index) => ({
                  key: `${action.at}:${index}`,
                  color: action.action === 'reject' ? 'red' : action.action === 'approve' ? 'green' : 'blue',
                  title: (
                    <span className="work-history-head">
                      <strong>{nameOf(action.actorId)}</strong> {actionLabel(action.action, t)}
                      {action.nodeKey && <span className="text-muted"> · {nodeName(action.nodeKey)}</span>}
                    </span>
                  ),
                  content: (
                    <>
                      <time className="text-muted" dateTime={action.at}>
                        {formatTime(action.at, locale)}
                      </time>
                      {action.opinion && <p className="work-history-opinion">{action.opinion}</p>}
                    </>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>
      {myTask && (
        <TaskDialog
          dialog={dialog}
          close={() => setDialog(undefined)}
          returnTargets={returnTargets}
          me={me}
          busy={busy !== undefined}
          t={t}
          onReturn={(to) =>
            run(
              'return',
              (clientActionId) =>
                flowsApi.taskAction(myTask.taskId, 'return', { clientActionId, to, opinion: opinionText() }),
              { message: t('work.done.return'), leaveTo: '/pending' },
            )
          }
          onTransfer={(to) =>
            run(
              'transfer',
              (clientActionId) =>
                flowsApi.taskAction(myTask.taskId, 'transfer', { clientActionId, to, opinion: opinionText() }),
              { message: t('work.done.transfer'), leaveTo: '/pending' },
            )
          }
          onAddSigner={(member, position) =>
            run(
              'addSigner',
              (clientActionId) =>
                flowsApi.taskAction(myTask.taskId, 'add-signer', {
                  clientActionId,
                  members: [member],
                  position,
                  opinion: opinionText(),
                }),
              { message: t('work.done.addSigner'), ...(position === 'before' ? {} : { leaveTo: '/pending' }) },
            )
          }
        />
      )}
    </>
  );
}

function useClientFormMaybe(published: PublishedForm | undefined) {
  const empty = useMemo(
    () => ({ pack: '-', key: '-', kind: 'flow' as const, label: { zh: '', en: '' }, fields: [] }),
    [],
  );
  const form = useClientForm(published?.definition ?? empty);
  return published ? form : undefined;
}

/** The record without its form definition: label-less key and value pairs, so the approver still sees it. */
function PlainValues({ values, t }: { values: Values; t: Translate }) {
  const entries = Object.entries(values).filter(([, value]) => value !== null && value !== undefined && value !== '');
  return (
    <>
      <Alert type="info" showIcon className="work-note" title={t('work.instance.noForm')} />
      <dl className="work-plain-values">
        {entries.map(([key, value]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

const stepStatus: Record<string, 'wait' | 'process' | 'finish' | 'error'> = {
  completed: 'finish',
  active: 'process',
  waiting: 'process',
  notReached: 'wait',
  cancelled: 'wait',
};

/** The flow as a vertical list of its nodes: done, active and not yet reached, each with who acts there. */
function FlowSteps({
  nodes,
  nodeName,
  nameOf,
  t,
}: {
  nodes: GraphNode[];
  nodeName: (key: string) => string;
  nameOf: (id: string) => string;
  t: Translate;
}) {
  const shown = nodes.filter((node) => node.kind !== 'condition' && node.kind !== 'join');
  const current = shown.findIndex((node) => node.state === 'active' || node.state === 'waiting');
  return (
    <Steps
      className="work-steps"
      orientation="vertical"
      size="small"
      current={current < 0 ? shown.length : current}
      items={shown.map((node) => ({
        status: node.outcome === 'rejected' ? 'error' : (stepStatus[node.state] ?? 'wait'),
        title: nodeName(node.key),
        content: (
          <span className="work-step-content" data-node={node.key} data-state={node.state}>
            {node.assignees.length > 0 && <span>{node.assignees.map(nameOf).join('、')}</span>}
            {node.state !== 'notReached' && (
              <span className="text-muted"> {t(`work.graph.${stateKey(node.state)}`)}</span>
            )}
          </span>
        ),
      }))}
    />
  );
}

function stateKey(state: string): 'completed' | 'active' | 'cancelled' | 'notReached' {
  if (state === 'completed') return 'completed';
  if (state === 'active' || state === 'waiting') return 'active';
  if (state === 'cancelled') return 'cancelled';
  return 'notReached';
}

function TaskDialog({
  dialog,
  close,
  returnTargets,
  me,
  busy,
  t,
  onReturn,
  onTransfer,
  onAddSigner,
}: {
  dialog: Dialog | undefined;
  close: () => void;
  returnTargets: { value: string; label: string }[];
  me: string;
  busy: boolean;
  t: Translate;
  onReturn: (to: string) => Promise<boolean>;
  onTransfer: (to: string) => Promise<boolean>;
  onAddSigner: (member: string, position: 'before' | 'after' | 'parallel') => Promise<boolean>;
}) {
  const [target, setTarget] = useState<string>('initiator');
  const [member, setMember] = useState<string | null>(null);
  const [position, setPosition] = useState<'before' | 'after' | 'parallel'>('after');
  useEffect(() => {
    if (dialog) {
      setTarget('initiator');
      setMember(null);
    }
  }, [dialog]);

  const ok = async () => {
    let done = false;
    if (dialog === 'return') done = await onReturn(target);
    else if (dialog === 'transfer' && member) done = await onTransfer(member);
    else if (dialog === 'addSigner' && member) done = await onAddSigner(member, position);
    if (done) close();
  };
  const title =
    dialog === 'return' ? t('work.do.return') : dialog === 'transfer' ? t('work.do.transfer') : t('work.do.addSigner');
  return (
    <Modal
      open={dialog !== undefined}
      title={title}
      onCancel={close}
      onOk={() => void ok()}
      okText={title}
      cancelText={t('work.cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: dialog !== 'return' && !member }}
      destroyOnHidden
    >
      {dialog === 'return' && (
        <label className="work-dialog-field" htmlFor="work-return-to">
          <span>{t('work.return.to')}</span>
          <Select
            id="work-return-to"
            value={target}
            onChange={setTarget}
            options={returnTargets}
            style={{ width: '100%' }}
          />
        </label>
      )}
      {(dialog === 'transfer' || dialog === 'addSigner') && (
        <label className="work-dialog-field" htmlFor="work-member">
          <span>{dialog === 'transfer' ? t('work.transfer.to') : t('work.addSigner.who')}</span>
          <MemberPicker id="work-member" value={member} onChange={setMember} exclude={me} />
        </label>
      )}
      {dialog === 'addSigner' && (
        <fieldset className="work-dialog-field">
          <legend>{t('work.addSigner.position')}</legend>
          <Radio.Group
            value={position}
            onChange={(event) => setPosition(event.target.value)}
            options={[
              { value: 'before', label: t('work.addSigner.before') },
              { value: 'after', label: t('work.addSigner.after') },
              { value: 'parallel', label: t('work.addSigner.parallel') },
            ]}
          />
        </fieldset>
      )}
    </Modal>
  );
}
