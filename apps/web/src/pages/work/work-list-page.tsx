import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Empty, Flex, Input, Result, Skeleton, Tabs, Tag } from 'antd';
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
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { boxLabel, boxPaths, formatTime, InstanceStateTag, useFlowNames } from './work-shared.tsx';

const PAGE_SIZE = 20;

type Item = { kind: 'task'; task: TaskItem } | { kind: 'instance'; instance: InstanceItem };

function countOf(counts: TaskCounts | undefined, box: WorkBox): number | undefined {
  if (!counts) return undefined;
  if (box === 'pending') return counts.pending;
  if (box === 'notify') return counts.notifyUnread;
  if (box === 'drafts') return counts.drafts;
  if (box === 'sent') return counts.sent;
  return undefined;
}

/** A task is overdue once its deadline passed (the server marks `overdueAt` when the timer fires). */
function isOverdue(task: TaskItem, now: number): boolean {
  if (task.state !== 'pending') return false;
  if (task.overdueAt) return true;
  return Boolean(task.dueAt && Date.parse(task.dueAt) < now);
}

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
  const ticket = useRef(0);

  const load = useCallback(
    async (after: string | undefined) => {
      const mine = ++ticket.current;
      setLoading(true);
      setError(undefined);
      try {
        const query = { limit: PAGE_SIZE, cursor: after, keyword: keyword.trim() || undefined };
        const page = isTaskBox(box)
          ? await flowsApi.tasks(box, query).then((p) => ({
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
    [box, keyword],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` asks for a reload
  useEffect(() => {
    setItems([]);
    setCursor(null);
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
  const now = Date.now();

  const tabItems = workBoxes.map((each) => {
    const count = countOf(counts, each);
    return {
      key: each,
      label: (
        <span className="work-tab-label">
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
    const initiatorId = item.kind === 'task' ? item.task.initiatorId : item.instance.initiatorId;
    const state = item.kind === 'task' ? item.task.instanceState : item.instance.state;
    const at =
      item.kind === 'task'
        ? (item.task.actedAt ?? item.task.createdAt)
        : (item.instance.submittedAt ?? item.instance.updatedAt);
    const overdue = item.kind === 'task' && isOverdue(item.task, now);
    const unread = item.kind === 'task' && item.task.kind === 'notify' && !item.task.readAt;
    return (
      <li key={key} className="work-item" data-instance={instanceId} data-state={state}>
        <div className="work-item-main">
          <Link to={itemLink(item)} className="work-item-title">
            {titleText || t('work.list.untitled')}
          </Link>
          <div className="work-item-meta">
            <span>{flowName(flow)}</span>
            <span>{initiators[initiatorId] ?? ''}</span>
            <time dateTime={at}>{formatTime(at, locale)}</time>
          </div>
        </div>
        <Flex gap={4} wrap className="work-item-tags">
          {overdue && <Tag color="red">{t('work.list.overdue')}</Tag>}
          {item.kind === 'task' && item.task.state === 'pending' && item.task.dueAt && !overdue && (
            <Tag color="orange">{t('work.list.dueAt', { time: formatTime(item.task.dueAt, locale) })}</Tag>
          )}
          {unread && <Tag color="blue">{t('work.list.unread')}</Tag>}
          {item.kind === 'task' && item.task.kind === 'notify' && !unread && <Tag>{t('work.list.read')}</Tag>}
          {item.kind === 'task' && item.task.delegatedFrom && <Tag>{t('work.list.delegated')}</Tag>}
          <InstanceStateTag state={state} t={t} />
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
        <Input.Search
          className="work-search"
          allowClear
          placeholder={t('work.list.searchPlaceholder')}
          aria-label={t('work.list.searchPlaceholder')}
          onSearch={(value) => setKeyword(value)}
          enterButton={t('work.list.search')}
        />
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
