import { CheckOutlined, EyeOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Checkbox, Empty, Flex, Input, Result, Segmented, Skeleton, Tabs, Tag } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  flowsApi,
  type InstanceItem,
  isTaskBox,
  type TaskCounts,
  type TaskItem,
  type WorkBox,
  workBoxes,
} from '../../api/flows.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { useMemberNames } from '../../field-types/shared.tsx';
import { pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { BatchApproveDialog } from './batch-approve-dialog.tsx';
import { boxLabel, boxPaths, formatTime, InstanceStateTag, useFlowNames } from './work-shared.tsx';

const PAGE_SIZE = 20;

type Item = { kind: 'task'; task: TaskItem } | { kind: 'instance'; instance: InstanceItem };

/** The number beside each tab: what waits (pending, unread notifications) stands out, the rest is grey. */
const tabCount: Record<WorkBox, (counts: TaskCounts) => number> = {
  pending: (counts) => counts.pending,
  done: (counts) => counts.done,
  sent: (counts) => counts.sent,
  drafts: (counts) => counts.drafts,
  notify: (counts) => counts.notifyUnread,
  tracked: (counts) => counts.tracked,
};

type ReadFilter = 'all' | 'unread' | 'read';

/** 待办 已办 我发起的 草稿 知会 跟踪: one page per list, tabs between them with their counts. */
export function WorkListPage({ box }: { box: WorkBox }) {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const flowName = useFlowNames();
  const title = t(boxLabel(box));
  useDocumentTitle(title);

  const [keyword, setKeyword] = useState('');
  const [items, setItems] = useState<Item[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [counts, setCounts] = useState<TaskCounts>();
  const [tick, setTick] = useState(0);
  const [readFilter, setReadFilter] = useState<ReadFilter>('all');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [batchOpen, setBatchOpen] = useState(false);
  const { message } = App.useApp();
  const ticket = useRef(0);
  const selectable = box === 'pending';

  const load = useCallback(
    async (after: string | undefined) => {
      const mine = ++ticket.current;
      setLoading(true);
      setError(undefined);
      try {
        const query = { limit: PAGE_SIZE, cursor: after, keyword: keyword.trim() || undefined };
        const read = box === 'notify' && readFilter !== 'all' ? { read: readFilter === 'read' } : {};
        const page = isTaskBox(box)
          ? await flowsApi.tasks(box, { ...query, ...read }).then((p) => ({
              items: p.items.map((task): Item => ({ kind: 'task', task })),
              nextCursor: p.nextCursor,
            }))
          : await flowsApi.instances(box, query).then((p) => ({
              items: p.items.map((instance): Item => ({ kind: 'instance', instance })),
              nextCursor: p.nextCursor,
            }));
        if (mine !== ticket.current) return;
        setItems((current) => (after ? [...current, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (caught) {
        if (mine === ticket.current) setError(caught);
      } finally {
        if (mine === ticket.current) setLoading(false);
      }
    },
    [box, keyword, readFilter],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` asks for a reload
  useEffect(() => {
    setItems([]);
    setCursor(null);
    setSelected(new Set());
    void load(undefined);
  }, [load, tick]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: counts follow the list being shown
  useEffect(() => {
    let alive = true;
    flowsApi.counts().then(
      (loaded) => alive && setCounts(loaded),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [box, tick]);

  const initiators = useMemberNames([
    ...new Set(items.map((item) => (item.kind === 'task' ? item.task.initiatorId : item.instance.initiatorId))),
  ]);
  const reloadAll = () => setTick((n) => n + 1);

  async function markRead(taskIds: string[]) {
    const results = await Promise.allSettled(taskIds.map((taskId) => flowsApi.markRead(taskId)));
    const failed = results.filter((result) => result.status === 'rejected').length;
    if (failed > 0) message.error(t('work.notify.markFailed', { count: failed }));
    else message.success(t('work.notify.marked', { count: taskIds.length }));
    reloadAll();
  }

  const pendingTasks = items.flatMap((item) =>
    item.kind === 'task' && item.task.state === 'pending' ? [item.task] : [],
  );
  const unreadTasks = items.flatMap((item) =>
    item.kind === 'task' && item.task.kind === 'notify' && !item.task.readAt ? [item.task] : [],
  );
  const allSelected = pendingTasks.length > 0 && pendingTasks.every((task) => selected.has(task.taskId));
  const toggle = (taskId: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(taskId);
      else next.delete(taskId);
      return next;
    });

  const tabItems = workBoxes.map((each) => {
    const count = counts ? tabCount[each](counts) : undefined;
    return {
      key: each,
      label: (
        <span className="work-tab-label" data-box={each} data-count={count ?? ''}>
          {t(boxLabel(each))}
          {count !== undefined && count > 0 && (
            <Badge
              count={count}
              size="small"
              className="work-tab-count"
              color={each === 'pending' || each === 'notify' ? undefined : 'gray'}
              aria-label={t('work.list.countLabel', { count })}
            />
          )}
        </span>
      ),
    };
  });

  function itemLink(item: Item): string {
    if (item.kind === 'task') return `/work/instances/${item.task.instanceId}?task=${item.task.taskId}`;
    return `/work/instances/${item.instance.instanceId}`;
  }

  function renderItem(item: Item) {
    const instanceId = item.kind === 'task' ? item.task.instanceId : item.instance.instanceId;
    const key = item.kind === 'task' ? item.task.taskId : item.instance.instanceId;
    const titleText = item.kind === 'task' ? item.task.title : item.instance.title;
    const flow = item.kind === 'task' ? item.task.flow : item.instance.flow;
    const listedFlowName = item.kind === 'task' ? item.task.flowName : item.instance.flowName;
    const initiatorId = item.kind === 'task' ? item.task.initiatorId : item.instance.initiatorId;
    const state = item.kind === 'task' ? item.task.instanceState : item.instance.state;
    const at =
      item.kind === 'task'
        ? (item.task.actedAt ?? item.task.createdAt)
        : (item.instance.submittedAt ?? item.instance.updatedAt);
    const task = item.kind === 'task' ? item.task : undefined;
    const overdue = Boolean(task?.overdue);
    const urgent = Boolean(task?.urgent);
    const unread = task?.kind === 'notify' && !task.readAt;
    return (
      <li
        key={key}
        className={`work-item${overdue ? ' is-overdue' : ''}${urgent ? ' is-urgent' : ''}`}
        data-instance={instanceId}
        data-state={state}
      >
        {selectable && task && (
          <Checkbox
            className="work-item-check"
            checked={selected.has(task.taskId)}
            onChange={(event) => toggle(task.taskId, event.target.checked)}
            aria-label={t('work.batch.select', { title: titleText || t('work.list.untitled') })}
          />
        )}
        <div className="work-item-main">
          <Link to={itemLink(item)} className="work-item-title">
            {titleText || t('work.list.untitled')}
          </Link>
          <div className="work-item-meta">
            <span>{listedFlowName ? pickLabel(listedFlowName, locale) : flowName(flow)}</span>
            <span>{initiators[initiatorId] ?? ''}</span>
            <time dateTime={at}>{formatTime(at, locale)}</time>
          </div>
        </div>
        <Flex gap={4} wrap align="center" className="work-item-tags">
          {urgent && (
            <Tag color="volcano" className="work-tag-urgent">
              {t('work.list.urgent')}
            </Tag>
          )}
          {overdue && (
            <Tag color="red" className="work-tag-overdue">
              {t('work.list.overdue')}
            </Tag>
          )}
          {task?.state === 'pending' && task.dueAt && !overdue && (
            <Tag color="orange">{t('work.list.dueAt', { time: formatTime(task.dueAt, locale) })}</Tag>
          )}
          {unread && <Tag color="blue">{t('work.list.unread')}</Tag>}
          {task?.kind === 'notify' && !unread && <Tag>{t('work.list.read')}</Tag>}
          {task?.delegatedFrom && <Tag>{t('work.list.delegated')}</Tag>}
          <InstanceStateTag state={state} t={t} />
          {unread && task && (
            <Button
              size="small"
              type="link"
              icon={<EyeOutlined aria-hidden />}
              onClick={() => void markRead([task.taskId])}
              aria-label={t('work.notify.markOne', { title: titleText || t('work.list.untitled') })}
            >
              {t('work.notify.mark')}
            </Button>
          )}
        </Flex>
      </li>
    );
  }

  return (
    <>
      <PageHeader
        title={title}
        description={t(`work.box.${box}.description` as const)}
        extra={
          <Flex gap={8} wrap>
            <Button icon={<ReloadOutlined aria-hidden />} onClick={() => setTick((n) => n + 1)}>
              {t('work.list.refresh')}
            </Button>
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => navigate('/work/file')}>
              {t('work.file.start')}
            </Button>
          </Flex>
        }
      />
      <Card className="work-list-card">
        <Tabs
          className="work-tabs"
          activeKey={box}
          items={tabItems}
          onChange={(key) => navigate(boxPaths[key as WorkBox])}
        />
        <Flex gap={8} wrap align="center" className="work-list-tools">
          <Input.Search
            className="work-search"
            allowClear
            placeholder={t('work.list.searchPlaceholder')}
            aria-label={t('work.list.searchPlaceholder')}
            onSearch={(value) => setKeyword(value)}
            enterButton={t('work.list.search')}
          />
          {box === 'notify' && (
            <>
              <Segmented<ReadFilter>
                className="work-read-filter"
                value={readFilter}
                onChange={setReadFilter}
                options={[
                  { value: 'all', label: t('work.notify.all') },
                  { value: 'unread', label: t('work.list.unread') },
                  { value: 'read', label: t('work.list.read') },
                ]}
              />
              <Button
                className="work-mark-all"
                disabled={unreadTasks.length === 0}
                onClick={() => void markRead(unreadTasks.map((task) => task.taskId))}
              >
                {t('work.notify.markAll')}
              </Button>
            </>
          )}
          {selectable && pendingTasks.length > 0 && (
            <>
              <Checkbox
                className="work-select-all"
                checked={allSelected}
                indeterminate={!allSelected && selected.size > 0}
                onChange={(event) =>
                  setSelected(event.target.checked ? new Set(pendingTasks.map((each) => each.taskId)) : new Set())
                }
              >
                {t('work.batch.selectAll')}
              </Checkbox>
              <Button
                type="primary"
                className="work-batch-approve"
                icon={<CheckOutlined aria-hidden />}
                disabled={selected.size === 0}
                onClick={() => setBatchOpen(true)}
              >
                {t('work.batch.approve', { count: selected.size })}
              </Button>
            </>
          )}
        </Flex>
        {error ? (
          <Result
            status="warning"
            title={describeApiError(error, t, t('work.list.loadFailed')).title}
            subTitle={describeApiError(error, t).detail}
            extra={<Button onClick={() => setTick((n) => n + 1)}>{t('work.retry')}</Button>}
          />
        ) : loading && items.length === 0 ? (
          <Skeleton active />
        ) : items.length === 0 ? (
          <Empty description={keyword ? t('work.list.noMatch') : t(`work.box.${box}.empty` as const)} />
        ) : (
          <>
            <ul className="work-list" aria-label={title}>
              {items.map(renderItem)}
            </ul>
            <div className="work-list-more">
              {cursor ? (
                <Button loading={loading} onClick={() => void load(cursor)}>
                  {t('work.list.loadMore')}
                </Button>
              ) : (
                <span className="text-muted">{t('work.list.end')}</span>
              )}
            </div>
          </>
        )}
      </Card>
      {selectable && (
        <BatchApproveDialog
          open={batchOpen}
          tasks={pendingTasks.filter((task) => selected.has(task.taskId))}
          onClose={(acted) => {
            setBatchOpen(false);
            if (acted) reloadAll();
          }}
        />
      )}
    </>
  );
}

/** One page component per list, made once, so each route keeps its own state. */
export const workListPages: Record<WorkBox, () => React.JSX.Element> = {
  pending: () => <WorkListPage box="pending" />,
  done: () => <WorkListPage box="done" />,
  sent: () => <WorkListPage box="sent" />,
  drafts: () => <WorkListPage box="drafts" />,
  notify: () => <WorkListPage box="notify" />,
  tracked: () => <WorkListPage box="tracked" />,
};
