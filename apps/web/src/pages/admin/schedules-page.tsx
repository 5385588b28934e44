import { ReloadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Flex,
  Result,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { adminApi, type RecurringSchedule, type TimerCount, type TimerItem, type TimerState } from '../../api/admin.ts';
import { describeApiError, useApiErrorNotice } from '../../api/use-api-error-notice.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type MessageKey, type Translate, useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import './admin-pages.css';

// Topics the platform's engines arm; any other topic shows as its code.
const topicKeys: Record<string, MessageKey> = {
  'flow.deadline': 'schedules.topic.flowDeadline',
  'flow.reminder': 'schedules.topic.flowReminder',
  'rule.schedule': 'schedules.topic.ruleSchedule',
  'rule.record': 'schedules.topic.ruleRecord',
  'rule.date': 'schedules.topic.ruleDate',
};

function TopicLabel({ topic, t }: { topic: string; t: Translate }) {
  const key = topicKeys[topic];
  return (
    <span className="admin-topic">
      {key ? t(key) : topic}
      {key && <code className="admin-code">{topic}</code>}
    </span>
  );
}

const stateColors: Record<TimerState, string> = {
  pending: 'blue',
  done: 'green',
  failed: 'red',
  cancelled: 'default',
};

function StateTag({ state, t }: { state: TimerState; t: Translate }) {
  return (
    <Tag color={stateColors[state]} data-state={state}>
      {t(`schedules.state.${state}`)}
    </Tag>
  );
}

function Time({ at, locale }: { at: string | null; locale: string }) {
  if (!at) return <span className="text-muted">—</span>;
  return <time dateTime={at}>{formatInstant(at, locale, { seconds: true })}</time>;
}

/** `rule.<pack>.<key>`: the schedule of a timed rule, which the rules page edits. */
function ruleOf(key: string): { pack: string; key: string } | undefined {
  const match = /^rule\.([a-z][A-Za-z0-9]*)\.([a-z][A-Za-z0-9]*)$/.exec(key);
  return match ? { pack: match[1] as string, key: match[2] as string } : undefined;
}

/**
 * 定时任务: the schedule engine as an administrator reads it — recurring schedules with their next and last
 * occurrence (paused or resumed here, audited), timers by topic and state, and the pending or failed timers with
 * their lease and last error. Timers belong to the engines that arm them and are read only.
 */
export function SchedulesPage() {
  const t = useT();
  const locale = useLocale();
  const { message, modal } = App.useApp();
  const notify = useApiErrorNotice();
  useDocumentTitle(t('schedules.title'));
  const overview = useLoad(() => adminApi.schedules(), 'schedules');
  const [switching, setSwitching] = useState<string>();

  function setEnabled(schedule: RecurringSchedule, enabled: boolean) {
    const apply = async () => {
      setSwitching(schedule.key);
      try {
        await adminApi.setScheduleEnabled(schedule.key, enabled);
        message.success(t(enabled ? 'schedules.resumed' : 'schedules.paused', { key: schedule.key }));
        overview.reload();
      } catch (error) {
        notify(error);
      } finally {
        setSwitching(undefined);
      }
    };
    if (enabled) {
      void apply();
      return;
    }
    modal.confirm({
      title: t('schedules.pauseTitle', { key: schedule.key }),
      content: t('schedules.pauseBody'),
      okText: t('schedules.pause'),
      cancelText: t('work.cancel'),
      okButtonProps: { danger: true, className: 'schedules-pause-ok' },
      onOk: apply,
    });
  }

  const columns: TableColumnsType<RecurringSchedule> = [
    {
      title: t('schedules.key'),
      key: 'key',
      render: (_, schedule) => {
        const rule = ruleOf(schedule.key);
        return (
          <Space direction="vertical" size={0}>
            <code>{schedule.key}</code>
            {rule && (
              <Link to={`/admin/rules/${encodeURIComponent(rule.pack)}/${encodeURIComponent(rule.key)}`}>
                {t('schedules.openRule')}
              </Link>
            )}
          </Space>
        );
      },
    },
    {
      title: t('schedules.cron'),
      key: 'cron',
      render: (_, schedule) => (
        <Space direction="vertical" size={0}>
          <code>{schedule.cron}</code>
          <span className="text-muted">{schedule.timeZone}</span>
        </Space>
      ),
    },
    { title: t('schedules.topic'), key: 'topic', render: (_, s) => <TopicLabel topic={s.topic} t={t} /> },
    {
      title: t('schedules.next'),
      key: 'next',
      render: (_, s) => (s.enabled ? <Time at={s.nextDueAt} locale={locale} /> : <Tag>{t('schedules.pausedTag')}</Tag>),
    },
    {
      title: t('schedules.last'),
      key: 'last',
      render: (_, s) =>
        s.lastOccurrence ? (
          <Space direction="vertical" size={0} className="schedules-last">
            <span>
              <Time at={s.lastOccurrence.dueAt} locale={locale} /> <StateTag state={s.lastOccurrence.state} t={t} />
            </span>
            {s.lastOccurrence.attempts > 1 && (
              <span className="text-muted">{t('schedules.attemptsN', { count: s.lastOccurrence.attempts })}</span>
            )}
            {s.lastOccurrence.lastError && (
              <Typography.Text type="danger" ellipsis={{ tooltip: s.lastOccurrence.lastError }}>
                {s.lastOccurrence.lastError}
              </Typography.Text>
            )}
          </Space>
        ) : (
          <span className="text-muted">{t('schedules.neverRan')}</span>
        ),
    },
    {
      title: t('schedules.enabled'),
      key: 'enabled',
      width: 100,
      render: (_, s) => (
        <Switch
          checked={s.enabled}
          loading={switching === s.key}
          aria-label={t('schedules.enableSchedule', { key: s.key })}
          className="schedules-switch"
          onChange={(on) => setEnabled(s, on)}
        />
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('schedules.title')}
        description={t('schedules.description')}
        extra={
          <Button icon={<ReloadOutlined aria-hidden />} onClick={overview.reload}>
            {t('records.refresh')}
          </Button>
        }
      />
      {overview.error ? (
        <Result status="warning" title={describeApiError(overview.error, t).detail} />
      ) : (
        <Flex vertical gap={16}>
          <Card title={t('schedules.recurring')} className="schedules-recurring">
            <Table
              rowKey="key"
              size="middle"
              loading={overview.loading}
              columns={columns}
              dataSource={overview.data?.schedules ?? []}
              pagination={false}
              scroll={{ x: 900 }}
              onRow={(s) => ({ 'data-schedule': s.key }) as never}
              locale={{ emptyText: t('schedules.noRecurring') }}
            />
          </Card>
          <Card title={t('schedules.counts')} className="schedules-counts">
            <CountsTable counts={overview.data?.counts ?? []} loading={overview.loading} t={t} />
          </Card>
          <TimersCard topics={[...new Set((overview.data?.counts ?? []).map((c) => c.topic))]} />
        </Flex>
      )}
    </>
  );
}

function CountsTable({ counts, loading, t }: { counts: TimerCount[]; loading: boolean; t: Translate }) {
  const states: TimerState[] = ['pending', 'failed', 'done', 'cancelled'];
  const rows = useMemo(() => {
    const byTopic = new Map<string, Record<TimerState, number>>();
    for (const count of counts) {
      const row = byTopic.get(count.topic) ?? { pending: 0, failed: 0, done: 0, cancelled: 0 };
      row[count.state] = count.count;
      byTopic.set(count.topic, row);
    }
    return [...byTopic].map(([topic, byState]) => ({ topic, ...byState }));
  }, [counts]);
  return (
    <Table
      rowKey="topic"
      size="small"
      loading={loading}
      pagination={false}
      dataSource={rows}
      scroll={{ x: 560 }}
      locale={{ emptyText: t('schedules.noTimers') }}
      columns={[
        { title: t('schedules.topic'), key: 'topic', render: (_, row) => <TopicLabel topic={row.topic} t={t} /> },
        ...states.map((state) => ({
          title: t(`schedules.state.${state}`),
          key: state,
          align: 'right' as const,
          render: (_: unknown, row: Record<TimerState, number>) =>
            state === 'failed' && row.failed > 0 ? (
              <Typography.Text type="danger">{row.failed}</Typography.Text>
            ) : (
              row[state]
            ),
        })),
      ]}
    />
  );
}

function TimersCard({ topics }: { topics: string[] }) {
  const t = useT();
  const locale = useLocale();
  const notify = useApiErrorNotice();
  const [state, setState] = useState<TimerState>('pending');
  const [topic, setTopic] = useState<string>();
  const [items, setItems] = useState<TimerItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [now, setNow] = useState<string>();
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (cursor?: string) => {
      setLoading(true);
      try {
        const page = await adminApi.timers({
          state,
          limit: 50,
          ...(topic ? { topic } : {}),
          ...(cursor ? { cursor } : {}),
        });
        setItems((before) => (cursor ? [...before, ...page.items] : page.items));
        setNext(page.nextCursor);
        setNow(page.now);
      } catch (error) {
        notify(error);
      } finally {
        setLoading(false);
      }
    },
    [state, topic, notify],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const columns: TableColumnsType<TimerItem> = [
    {
      title: t('schedules.dueAt'),
      key: 'dueAt',
      width: 210,
      render: (_, timer) => (
        <span>
          <Time at={timer.dueAt} locale={locale} />{' '}
          {timer.state === 'pending' && now && timer.dueAt < now && <Tag color="orange">{t('schedules.due')}</Tag>}
        </span>
      ),
    },
    { title: t('schedules.topic'), key: 'topic', render: (_, timer) => <TopicLabel topic={timer.topic} t={t} /> },
    {
      title: t('schedules.timerKey'),
      key: 'key',
      render: (_, timer) => (
        <Typography.Text code ellipsis={{ tooltip: timer.key }} className="schedules-timer-key">
          {timer.key}
        </Typography.Text>
      ),
    },
    { title: t('schedules.attempts'), dataIndex: 'attempts', width: 90, align: 'right' },
    {
      title: t('schedules.lease'),
      key: 'lease',
      render: (_, timer) =>
        timer.leaseOwner ? (
          <Space direction="vertical" size={0}>
            <code>{timer.leaseOwner}</code>
            <span className="text-muted">
              {t('schedules.leaseUntil', { at: formatInstant(timer.leaseUntil, locale, { seconds: true }) })}
            </span>
          </Space>
        ) : timer.leaseUntil ? (
          <span className="text-muted">
            {t('schedules.retryAt', { at: formatInstant(timer.leaseUntil, locale, { seconds: true }) })}
          </span>
        ) : (
          <span className="text-muted">—</span>
        ),
    },
    {
      title: t('schedules.lastError'),
      key: 'error',
      render: (_, timer) =>
        timer.lastError ? (
          <Typography.Text type="danger" ellipsis={{ tooltip: timer.lastError }} className="schedules-error">
            {timer.lastError}
          </Typography.Text>
        ) : (
          <span className="text-muted">—</span>
        ),
    },
  ];

  return (
    <Card
      title={t('schedules.timers')}
      className="schedules-timers"
      extra={
        <Flex gap={8} wrap>
          <Segmented<TimerState>
            aria-label={t('schedules.stateFilter')}
            value={state}
            onChange={setState}
            options={(['pending', 'failed', 'done', 'cancelled'] as const).map((value) => ({
              value,
              label: t(`schedules.state.${value}`),
            }))}
          />
          <Select
            allowClear
            aria-label={t('schedules.topicFilter')}
            placeholder={t('schedules.allTopics')}
            value={topic}
            onChange={setTopic}
            className="schedules-topic-filter"
            options={topics.map((value) => ({ value, label: value }))}
          />
        </Flex>
      }
    >
      <Table
        rowKey="id"
        size="small"
        loading={loading}
        columns={columns}
        dataSource={items}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('schedules.noTimers') }}
      />
      {next && (
        <Flex justify="center" className="schedules-more">
          <Button onClick={() => void load(next)} loading={loading}>
            {t('schedules.more')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}
