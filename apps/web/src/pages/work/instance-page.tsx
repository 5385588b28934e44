import {
  CheckOutlined,
  CloseOutlined,
  CommentOutlined,
  DownOutlined,
  NodeIndexOutlined,
  NotificationOutlined,
  PrinterOutlined,
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
  Dropdown,
  Flex,
  Grid,
  Input,
  Modal,
  Radio,
  Result,
  Row,
  Skeleton,
  Tag,
  Timeline,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { type Chosen, flowsApi, type InstanceDetail, newClientActionId } from '../../api/flows.ts';
import { ApiErrorBody, describeApiError } from '../../api/use-api-error-notice.tsx';
import { useSession } from '../../auth/session.ts';
import { rememberFileName } from '../../field-types/attachment/upload.tsx';
import { useMemberNames } from '../../field-types/shared.tsx';
import { validateValues, valuesForSave } from '../../form-runtime/compute.ts';
import { FormView, useClientForm } from '../../form-runtime/form-view.tsx';
import { type FieldAccessMap, type FormIssue, pathKey, pickLabel, type Values } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type Translate, useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import { defaultsForMe } from './file-page.tsx';
import { FlowGraph, kindLabel } from './flow-graph.tsx';
import { CommentDialog, HistoryFiles, JumpDialog } from './instance-dialogs.tsx';
import {
  actionLabel,
  canEditSomething,
  formatTime,
  InstanceStateTag,
  isConflict,
  nodeAccess,
  PeopleSelect,
  recentOpinions,
  rememberOpinion,
  serverIssues,
} from './work-shared.tsx';

/**
 * `/work/instances/:id` (from a task: `?task=<id>`): the request's record with the field rules of the member's
 * node, the actions the server says they may take there, its history and its flow drawn as a graph. On a phone
 * the actions sit in a bar fixed at the bottom: 同意 and its confirmation are the two taps of an approval.
 */
export function InstancePage() {
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const taskParam = search.get('task') ?? undefined;
  const t = useT();
  const loaded = useLoad(() => flowsApi.instance(id, taskParam), `${id}:${taskParam ?? ''}`);

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
  const detail = loaded.data;
  return (
    <InstanceView
      key={`${id}:${detail.instance.version}:${detail.caller.node?.taskId ?? ''}`}
      detail={detail}
      reload={loaded.reload}
    />
  );
}

const phrases = [
  'work.opinion.agree',
  'work.opinion.agreeChecked',
  'work.opinion.read',
  'work.opinion.disagree',
  'work.opinion.moreMaterial',
] as const;

type Dialog = 'approve' | 'reject' | 'return' | 'transfer' | 'addSigner';

function InstanceView({ detail, reload }: { detail: InstanceDetail; reload: () => void }) {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const session = useSession();
  const me = session.status === 'signedIn' ? session.member.id : '';
  const { instance, history, graph, caller } = detail;
  const { node, actions: can } = caller;
  const definition = detail.form.definition;
  useDocumentTitle(instance.title || t('work.instance.title'));
  // Upload fields show files by name: the server names the ones this reader sees.
  for (const file of detail.files) rememberFileName(file.id, file.fileName);

  const taskId = node?.taskId ?? null;
  const notifyTask = history.tasks.find((task) => task.assigneeId === me && task.kind === 'notify' && !task.readAt);

  // Opening a notification is reading it.
  const markedRead = useRef(false);
  useEffect(() => {
    if (!notifyTask || markedRead.current) return;
    markedRead.current = true;
    void flowsApi.markRead(notifyTask.taskId).catch(() => undefined);
  }, [notifyTask]);

  const access: FieldAccessMap | undefined = useMemo(
    () => (node ? nodeAccess(definition, node.fieldAccess, node.defaultAccess) : undefined),
    [definition, node],
  );
  const acting = Boolean(taskId && can.approve) || can.submit;
  const editable = Boolean(acting && access && canEditSomething(access));

  const [values, setValues] = useState<Values>(detail.record.values);
  const [dirty, setDirty] = useState(false);
  const [issues, setIssues] = useState<FormIssue[]>([]);
  const [opinion, setOpinion] = useState('');
  const [chosen, setChosen] = useState<Chosen>({});
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [dialog, setDialog] = useState<Dialog>();
  const [side, setSide] = useState<'comment' | 'jump'>();
  const [leaveTo, setLeaveTo] = useState<string>();
  useEffect(() => {
    if (leaveTo && !dirty) navigate(leaveTo);
  }, [leaveTo, dirty, navigate]);

  const nodeName = useCallback(
    (key: string | null) => {
      if (!key) return '';
      const found = graph.nodes.find((each) => each.key === key);
      if (found?.name) return pickLabel(found.name, locale);
      return found ? kindLabel(found.kind, t) : key;
    },
    [graph.nodes, locale, t],
  );

  const people = useMemberNames([
    ...new Set([
      instance.initiatorId,
      ...history.actions.map((action) => action.actorId),
      ...graph.nodes.flatMap((each) => each.assignees),
    ]),
  ]);
  const nameOf = (memberId: string) =>
    memberId.startsWith('system:') ? t('work.history.system') : (people[memberId] ?? '…');

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
      const text = opinion.trim();
      if (text) rememberOpinion(text);
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

  const clientForm = useClientForm(definition);
  /** The node's fields, checked as the server will; false when something needs fixing first. */
  function nodeValues(): Values | undefined | false {
    if (!editable || !access) return undefined;
    const found = validateValues(clientForm, values, access);
    setIssues(found);
    if (found.length > 0) {
      message.error(t('work.fixErrors', { count: found.length }));
      return false;
    }
    return valuesForSave(clientForm, values, access);
  }

  /** Every node the member must pick assignees for has someone picked. */
  function chosenComplete(): boolean {
    const missing = (node?.choose ?? []).filter((choice) => (chosen[choice.nodeKey] ?? []).length === 0);
    if (missing.length === 0) return true;
    message.error(t('work.choose.missing', { node: missing.map((choice) => nodeName(choice.nodeKey)).join('、') }));
    return false;
  }

  const opinionText = () => opinion.trim() || undefined;
  const chosenBody = () => ((node?.choose ?? []).length > 0 ? { chosen } : {});

  /** 同意 opens the confirmation (with the opinion and any picks); its OK is the second tap. */
  function startApprove() {
    if (!taskId) return;
    if (nodeValues() === false) return;
    setDialog('approve');
  }

  async function approve(): Promise<boolean> {
    if (!taskId) return false;
    const written = nodeValues();
    if (written === false || !chosenComplete()) return false;
    return run(
      'approve',
      (clientActionId) =>
        flowsApi.taskAction(taskId, 'approve', {
          clientActionId,
          opinion: opinionText() ?? t('work.opinion.agree'),
          ...(written ? { values: written } : {}),
          ...chosenBody(),
        }),
      { message: t('work.done.approve'), leaveTo: '/pending' },
    );
  }

  function confirmThen(title: string, content: string, okText: string, action: () => Promise<unknown>) {
    modal.confirm({
      title,
      content,
      okText,
      okButtonProps: { danger: true },
      cancelText: t('work.cancel'),
      onOk: action,
    });
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
    if (written === false || !chosenComplete()) return;
    const returned = history.actions.some((action) => action.action === 'return');
    void run(
      'submit',
      (clientActionId) =>
        flowsApi.submit(instance.instanceId, {
          clientActionId,
          ...(written ? { values: written } : {}),
          ...(returned ? { jumpBack: true } : {}),
          ...chosenBody(),
        }),
      { message: t('work.file.submitted'), leaveTo: '/sent' },
    );
  }

  /** 评论: every reader; the comment and its files join the history, the page stays. */
  const submitComment = (text: string, attachments: string[]) =>
    run(
      'comment',
      (clientActionId) =>
        flowsApi.comment(instance.instanceId, {
          clientActionId,
          opinion: text,
          ...(attachments.length > 0 ? { attachments } : {}),
        }),
      { message: t('work.done.comment') },
    );

  /** 跳转: the steps people act or read at, other than where the request stands now. */
  const jumpTargets = graph.nodes
    .filter((each) => (each.kind === 'approval' || each.kind === 'notify') && !graph.currentNodes.includes(each.key))
    .map((each) => ({ value: each.key, label: nodeName(each.key) }));
  const submitJump = (to: string) =>
    run(
      'jump',
      (clientActionId) => flowsApi.jump(instance.instanceId, { clientActionId, to, opinion: opinionText() }),
      { message: t('work.done.jump', { node: nodeName(to) }) },
    );

  const returnTargets = can.returnTo.map((key) => ({
    value: key,
    label: key === 'initiator' ? t('work.return.initiator') : nodeName(key),
  }));

  type ActionItem = { key: string; label: string; icon: ReactNode; onClick: () => void; danger?: boolean };
  const primary: ReactNode[] = [];
  const more: ActionItem[] = [];
  if (taskId && can.approve) {
    primary.push(
      <Button
        key="approve"
        type="primary"
        className="work-action-approve"
        icon={<CheckOutlined aria-hidden />}
        loading={busy === 'approve'}
        onClick={startApprove}
      >
        {t('work.do.approve')}
      </Button>,
    );
  }
  if (taskId && can.reject) {
    primary.push(
      <Button
        key="reject"
        danger
        className="work-action-reject"
        icon={<CloseOutlined aria-hidden />}
        loading={busy === 'reject'}
        onClick={() => setDialog('reject')}
      >
        {t('work.do.reject')}
      </Button>,
    );
  }
  if (can.submit) {
    primary.push(
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
  if (taskId && can.returnTo.length > 0) {
    more.push({
      key: 'return',
      label: t('work.do.return'),
      icon: <RollbackOutlined aria-hidden />,
      onClick: () => setDialog('return'),
    });
  }
  if (taskId && can.transfer) {
    more.push({
      key: 'transfer',
      label: t('work.do.transfer'),
      icon: <SwapOutlined aria-hidden />,
      onClick: () => setDialog('transfer'),
    });
  }
  if (taskId && can.addSigner) {
    more.push({
      key: 'addSigner',
      label: t('work.do.addSigner'),
      icon: <UsergroupAddOutlined aria-hidden />,
      onClick: () => setDialog('addSigner'),
    });
  }
  if (can.urge)
    more.push({ key: 'urge', label: t('work.do.urge'), icon: <NotificationOutlined aria-hidden />, onClick: urge });
  if (can.comment) {
    more.push({
      key: 'comment',
      label: t('work.do.comment'),
      icon: <CommentOutlined aria-hidden />,
      onClick: () => setSide('comment'),
    });
  }
  if (can.jump && jumpTargets.length > 0) {
    more.push({
      key: 'jump',
      label: t('work.do.jump'),
      icon: <NodeIndexOutlined aria-hidden />,
      onClick: () => setSide('jump'),
      danger: true,
    });
  }
  if (can.withdraw) {
    more.push({ key: 'withdraw', label: t('work.do.withdraw'), icon: <UndoOutlined aria-hidden />, onClick: withdraw });
  }
  if (can.terminate) {
    more.push({
      key: 'terminate',
      label: t('work.do.terminate'),
      icon: <StopOutlined aria-hidden />,
      onClick: terminate,
      danger: true,
    });
  }
  // On a phone the bar keeps the main actions and folds the rest into 更多; without a main action, two fit.
  const folded = phone && more.length > (primary.length === 0 ? 2 : 1);
  const bar: ReactNode[] = [...primary];
  if (folded) {
    bar.push(
      <Dropdown
        key="more"
        trigger={['click']}
        menu={{
          items: more.map((item) => ({
            key: item.key,
            label: item.label,
            icon: item.icon,
            danger: item.danger,
            onClick: item.onClick,
          })),
        }}
      >
        <Button className="work-action-more" icon={<DownOutlined aria-hidden />} iconPlacement="end">
          {t('work.do.more')}
        </Button>
      </Dropdown>,
    );
  } else {
    for (const item of more) {
      bar.push(
        <Button
          key={item.key}
          className={`work-action-${item.key}`}
          icon={item.icon}
          danger={item.danger}
          loading={busy === item.key}
          onClick={item.onClick}
        >
          {item.label}
        </Button>,
      );
    }
  }
  const showOpinion = Boolean(taskId && can.approve) || can.urge || can.withdraw;
  const choosing = (node?.choose ?? []).length > 0 && (can.submit || Boolean(taskId && can.approve));

  const opinionBox = (
    <OpinionBox
      value={opinion}
      onChange={setOpinion}
      t={t}
      id={dialog || side === 'jump' ? 'work-opinion-dialog' : 'work-opinion'}
    />
  );
  const choosePickers = choosing && (
    <div className="work-choose">
      {(node?.choose ?? []).map((choice) => (
        <label key={choice.nodeKey} className="work-dialog-field" htmlFor={`work-choose-${choice.nodeKey}`}>
          <span>{t('work.choose.for', { node: nodeName(choice.nodeKey) })}</span>
          <PeopleSelect
            id={`work-choose-${choice.nodeKey}`}
            multiple
            value={chosen[choice.nodeKey] ?? []}
            onChange={(ids) => setChosen((current) => ({ ...current, [choice.nodeKey]: ids }))}
            t={t}
          />
        </label>
      ))}
    </div>
  );

  return (
    <div className={bar.length > 0 ? 'work-instance has-action-bar' : 'work-instance'}>
      <PageHeader
        title={instance.title || t('work.instance.title')}
        description={`${pickLabel(graph.flow.name, locale)} · ${t('work.instance.initiator', { name: nameOf(instance.initiatorId) })}`}
        extra={
          <Flex gap={8} wrap align="center">
            <InstanceStateTag state={instance.state} t={t} />
            {node && taskId && (
              <Tag color="blue" className="work-current-node">
                {t('work.instance.atNode', { node: nodeName(node.key) })}
              </Tag>
            )}
            <Button icon={<ReloadOutlined aria-hidden />} onClick={reload}>
              {t('work.list.refresh')}
            </Button>
            {/* 打印 opens the paper layout in a tab of its own, so this page keeps its state. */}
            <Button
              icon={<PrinterOutlined aria-hidden />}
              href={`/print/instances/${encodeURIComponent(instance.instanceId)}`}
              target="_blank"
              rel="noopener"
              className="work-print"
            >
              {t('print.button')}
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
            <FormView
              definition={definition}
              values={values}
              onChange={(next) => {
                setValues(next);
                setDirty(true);
                setIssues((current) => {
                  if (current.length === 0) return current;
                  const still = new Set(validateValues(clientForm, next, access).map((issue) => pathKey(issue.path)));
                  return current.filter((issue) => issue.code.startsWith('server:') || still.has(pathKey(issue.path)));
                });
              }}
              mode={editable ? 'edit' : 'read'}
              access={access}
              issues={issues}
              dirty={dirty}
              defaults={defaultsForMe()}
            />
          </Card>
          {can.submit && choosing && (
            <Card className="work-opinion-card" title={t('work.choose.title')}>
              {choosePickers}
            </Card>
          )}
          {showOpinion && (
            <Card className="work-opinion-card" title={t('work.opinion.title')}>
              {dialog || side === 'jump' ? (
                <span className="text-muted">{opinion || t('work.opinion.placeholder')}</span>
              ) : (
                opinionBox
              )}
            </Card>
          )}
        </Col>
        <Col xs={24} lg={8}>
          <Card className="work-graph-card" title={t('work.graph.title')}>
            <FlowGraph graph={graph} nodeName={nodeName} nameOf={nameOf} t={t} />
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
                    <span className="work-history-head" data-action={action.action}>
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
                      <HistoryFiles ids={action.attachments} files={detail.files} t={t} />
                    </>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>
      {bar.length > 0 && (
        <Flex
          gap={8}
          wrap={!phone}
          justify="flex-end"
          className={phone ? 'work-action-bar is-fixed' : 'work-action-bar'}
          role="group"
          aria-label={t('work.instance.actions')}
        >
          {bar}
        </Flex>
      )}
      <CommentDialog
        open={side === 'comment'}
        instanceId={instance.instanceId}
        close={() => setSide(undefined)}
        onSubmit={submitComment}
        t={t}
      />
      {can.jump && (
        <JumpDialog
          open={side === 'jump'}
          targets={jumpTargets}
          close={() => setSide(undefined)}
          onJump={submitJump}
          opinionBox={side === 'jump' ? opinionBox : null}
          t={t}
        />
      )}
      {taskId && (
        <TaskDialog
          dialog={dialog}
          close={() => setDialog(undefined)}
          returnTargets={returnTargets}
          me={me}
          busy={busy !== undefined}
          t={t}
          opinionBox={opinionBox}
          choosePickers={choosePickers || null}
          onApprove={approve}
          onReject={() =>
            run(
              'reject',
              (clientActionId) =>
                flowsApi.taskAction(taskId, 'reject', {
                  clientActionId,
                  opinion: opinionText() ?? t('work.opinion.disagree'),
                }),
              { message: t('work.done.reject'), leaveTo: '/pending' },
            )
          }
          onReturn={(to) =>
            run(
              'return',
              (clientActionId) => flowsApi.taskAction(taskId, 'return', { clientActionId, to, opinion: opinionText() }),
              { message: t('work.done.return'), leaveTo: '/pending' },
            )
          }
          onTransfer={(to) =>
            run(
              'transfer',
              (clientActionId) =>
                flowsApi.taskAction(taskId, 'transfer', { clientActionId, to, opinion: opinionText() }),
              { message: t('work.done.transfer'), leaveTo: '/pending' },
            )
          }
          onAddSigner={(members, position) =>
            run(
              'addSigner',
              (clientActionId) =>
                flowsApi.taskAction(taskId, 'add-signer', {
                  clientActionId,
                  members,
                  position,
                  opinion: opinionText(),
                }),
              { message: t('work.done.addSigner'), ...(position === 'before' ? {} : { leaveTo: '/pending' }) },
            )
          }
        />
      )}
    </div>
  );
}

/** The opinion with one-tap common phrases and the member's own recent ones. */
function OpinionBox({
  value,
  onChange,
  t,
  id,
}: {
  value: string;
  onChange: (text: string) => void;
  t: Translate;
  id: string;
}) {
  const [recent] = useState(recentOpinions);
  const builtIn = phrases.map((phrase) => t(phrase));
  const all = [...builtIn, ...recent.filter((text) => !builtIn.includes(text))];
  return (
    <>
      <Flex gap={8} wrap className="work-phrases" role="group" aria-label={t('work.opinion.phrases')}>
        {all.map((phrase) => (
          <button
            key={phrase}
            type="button"
            className="work-phrase"
            aria-label={t('work.opinion.usePhrase', { phrase })}
            aria-pressed={value === phrase}
            onClick={() => onChange(phrase)}
          >
            {phrase}
          </button>
        ))}
      </Flex>
      <Input.TextArea
        id={id}
        className="work-opinion"
        aria-label={t('work.opinion.title')}
        placeholder={t('work.opinion.placeholder')}
        autoSize={{ minRows: 2, maxRows: 6 }}
        maxLength={4000}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </>
  );
}

function TaskDialog({
  dialog,
  close,
  returnTargets,
  me,
  busy,
  t,
  opinionBox,
  choosePickers,
  onApprove,
  onReject,
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
  opinionBox: ReactNode;
  choosePickers: ReactNode;
  onApprove: () => Promise<boolean>;
  onReject: () => Promise<boolean>;
  onReturn: (to: string) => Promise<boolean>;
  onTransfer: (to: string) => Promise<boolean>;
  onAddSigner: (members: string[], position: 'before' | 'after' | 'parallel') => Promise<boolean>;
}) {
  const [target, setTarget] = useState<string>('initiator');
  const [members, setMembers] = useState<string[]>([]);
  const [position, setPosition] = useState<'before' | 'after' | 'parallel'>('after');
  useEffect(() => {
    if (dialog) {
      setTarget(returnTargets[0]?.value ?? 'initiator');
      setMembers([]);
    }
  }, [dialog, returnTargets[0]?.value]);

  const ok = async () => {
    let done = false;
    if (dialog === 'approve') done = await onApprove();
    else if (dialog === 'reject') done = await onReject();
    else if (dialog === 'return') done = await onReturn(target);
    else if (dialog === 'transfer' && members[0]) done = await onTransfer(members[0]);
    else if (dialog === 'addSigner' && members.length > 0) done = await onAddSigner(members, position);
    if (done) close();
  };
  const titles: Record<Dialog, string> = {
    approve: t('work.confirm.approveTitle'),
    reject: t('work.confirm.rejectTitle'),
    return: t('work.confirm.returnTitle'),
    transfer: t('work.do.transfer'),
    addSigner: t('work.do.addSigner'),
  };
  const okTexts: Record<Dialog, string> = {
    approve: t('work.confirm.approveOk'),
    reject: t('work.do.reject'),
    return: t('work.do.return'),
    transfer: t('work.do.transfer'),
    addSigner: t('work.do.addSigner'),
  };
  const needsMembers = dialog === 'transfer' || dialog === 'addSigner';
  return (
    <Modal
      open={dialog !== undefined}
      title={dialog ? titles[dialog] : ''}
      className={`work-dialog work-dialog-${dialog ?? 'none'}`}
      onCancel={close}
      onOk={() => void ok()}
      okText={dialog ? okTexts[dialog] : ''}
      cancelText={t('work.cancel')}
      confirmLoading={busy}
      okButtonProps={{
        disabled: needsMembers && members.length === 0,
        danger: dialog === 'reject' || dialog === 'return',
        className: 'work-dialog-ok',
      }}
      destroyOnHidden
    >
      {dialog === 'reject' && <p className="work-dialog-note">{t('work.confirm.rejectBody')}</p>}
      {dialog === 'return' && (
        <fieldset className="work-dialog-field">
          <legend>{t('work.return.to')}</legend>
          <Radio.Group
            className="work-return-targets"
            value={target}
            onChange={(event) => setTarget(event.target.value)}
            options={returnTargets}
          />
          <p className="work-dialog-note text-muted">{t('work.confirm.returnBody')}</p>
        </fieldset>
      )}
      {needsMembers && (
        <label className="work-dialog-field" htmlFor="work-member">
          <span>{dialog === 'transfer' ? t('work.transfer.to') : t('work.addSigner.who')}</span>
          <PeopleSelect
            id="work-member"
            value={members}
            onChange={setMembers}
            multiple={dialog === 'addSigner'}
            exclude={me}
            t={t}
          />
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
      {dialog === 'approve' && choosePickers}
      {dialog && (
        <div className="work-dialog-field">
          <span>{t('work.opinion.title')}</span>
          {opinionBox}
        </div>
      )}
    </Modal>
  );
}
