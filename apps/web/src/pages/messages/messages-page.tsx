import { CheckOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Empty, Flex, List, Segmented, Switch, Table, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { type Message, messagesApi, type Preference, type Preferences, setUnread } from '../../api/messages.ts';
import { useApiErrorNotice } from '../../api/use-api-error-notice.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type MessageKey, useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import './messages.css';

const PAGE_SIZE = 30;

/** The notice kinds a member can route, `*` first: the rule for every kind without its own. */
const KINDS: ReadonlyArray<{ kind: string; label: MessageKey }> = [
  { kind: '*', label: 'messages.kind.all' },
  { kind: 'flow.task', label: 'messages.kind.task' },
  { kind: 'flow.urged', label: 'messages.kind.urged' },
  { kind: 'flow.reminder', label: 'messages.kind.reminder' },
  { kind: 'flow.overdue', label: 'messages.kind.overdue' },
  { kind: 'flow.approved', label: 'messages.kind.approved' },
  { kind: 'flow.rejected', label: 'messages.kind.rejected' },
  { kind: 'flow.returned', label: 'messages.kind.returned' },
];

const channelLabel: Record<string, MessageKey> = { inApp: 'messages.channel.inApp', email: 'messages.channel.email' };

/** A choice in force: the kind's own, else the `*` rule, else on (every channel starts enabled). */
function effective(preferences: ReadonlyArray<Preference>, kind: string, channel: string): boolean {
  const own = preferences.find((p) => p.kind === kind && p.channel === channel);
  if (own) return own.enabled;
  const all = preferences.find((p) => p.kind === '*' && p.channel === channel);
  return all ? all.enabled : true;
}

function Inbox() {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const notify = useApiErrorNotice();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [items, setItems] = useState<Message[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (cursor?: string) => {
      setLoading(true);
      try {
        const page = await messagesApi.list({ limit: PAGE_SIZE, unreadOnly, ...(cursor ? { cursor } : {}) });
        setItems((before) => (cursor ? [...before, ...page.items] : page.items));
        setNextCursor(page.nextCursor);
      } catch (error) {
        notify(error);
      } finally {
        setLoading(false);
      }
    },
    [unreadOnly, notify],
  );

  useEffect(() => {
    void load();
  }, [load]);

  async function open(item: Message) {
    if (!item.readAt) {
      try {
        const result = await messagesApi.markRead(item.id);
        setUnread(result.unread);
        const readAt = new Date().toISOString();
        setItems((before) => before.map((m) => (m.id === item.id ? { ...m, readAt } : m)));
      } catch (error) {
        notify(error);
        return;
      }
    }
    // Links are app paths only; anything else is shown, never followed.
    if (item.link?.startsWith('/') && !item.link.startsWith('//')) navigate(item.link);
  }

  async function readAll() {
    try {
      const result = await messagesApi.readAll();
      setUnread(result.unread);
      message.success(t('messages.readAllDone', { count: result.updated }));
      await load();
    } catch (error) {
      notify(error);
    }
  }

  const pick = (text: { zh: string; en: string }) => (locale === 'en-US' ? text.en : text.zh);
  return (
    <Card>
      <Flex justify="space-between" align="center" wrap gap="small" className="messages-toolbar">
        <Segmented
          value={unreadOnly ? 'unread' : 'all'}
          onChange={(value) => setUnreadOnly(value === 'unread')}
          options={[
            { value: 'all', label: t('messages.filter.all') },
            { value: 'unread', label: t('messages.filter.unread') },
          ]}
        />
        <Flex gap="small">
          <Button icon={<ReloadOutlined aria-hidden />} onClick={() => void load()} aria-label={t('messages.reload')} />
          <Button icon={<CheckOutlined aria-hidden />} onClick={() => void readAll()}>
            {t('messages.readAll')}
          </Button>
        </Flex>
      </Flex>
      <List
        className="messages-list"
        loading={loading}
        dataSource={items}
        locale={{ emptyText: <Empty description={t(unreadOnly ? 'messages.emptyUnread' : 'messages.empty')} /> }}
        renderItem={(item) => (
          <List.Item
            className={item.readAt ? 'message-item' : 'message-item message-unread'}
            data-message-id={item.id}
            onClick={() => void open(item)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') {
                event.preventDefault();
                void open(item);
              }
            }}
            tabIndex={0}
            role="button"
            aria-label={`${item.readAt ? '' : `${t('messages.unreadMark')} `}${pick(item.title)}`}
          >
            <List.Item.Meta
              avatar={<Badge status={item.readAt ? 'default' : 'processing'} />}
              title={<span className="message-title">{pick(item.title)}</span>}
              description={item.body ? <span className="message-body">{pick(item.body)}</span> : null}
            />
            <time dateTime={item.createdAt} className="message-time">
              {formatInstant(item.createdAt, locale, { year: false })}
            </time>
          </List.Item>
        )}
      />
      {nextCursor && (
        <Flex justify="center">
          <Button onClick={() => void load(nextCursor)} loading={loading}>
            {t('messages.more')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}

function Settings() {
  const t = useT();
  const { message } = App.useApp();
  const notify = useApiErrorNotice();
  const [data, setData] = useState<Preferences | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    messagesApi.preferences().then(setData, notify);
  }, [notify]);

  async function toggle(kind: string, channel: string, enabled: boolean) {
    if (!data) return;
    const rest = data.preferences.filter((p) => !(p.kind === kind && p.channel === channel));
    setSaving(true);
    try {
      setData(await messagesApi.savePreferences([...rest, { kind, channel, enabled }]));
      message.success(t('messages.saved'));
    } catch (error) {
      notify(error);
    } finally {
      setSaving(false);
    }
  }

  if (!data) return <Card loading />;
  return (
    <Card>
      <Typography.Paragraph type="secondary">{t('messages.settingsHelp')}</Typography.Paragraph>
      <Table
        rowKey="kind"
        pagination={false}
        size="middle"
        dataSource={KINDS.map((k) => ({ ...k }))}
        columns={[
          { title: t('messages.kind'), dataIndex: 'label', render: (label: MessageKey) => t(label) },
          ...data.channels.map((channel) => ({
            title: channelLabel[channel] ? t(channelLabel[channel]) : channel,
            key: channel,
            render: (_: unknown, row: { kind: string; label: MessageKey }) => (
              <Switch
                size="small"
                disabled={saving}
                checked={effective(data.preferences, row.kind, channel)}
                aria-label={`${t(row.label)} · ${channelLabel[channel] ? t(channelLabel[channel]) : channel}`}
                onChange={(checked) => void toggle(row.kind, channel, checked)}
              />
            ),
          })),
        ]}
      />
    </Card>
  );
}

/** 消息中心: notices of tasks, urges, deadlines and outcomes, and the member's choice of channels. */
export function MessagesPage() {
  const t = useT();
  useDocumentTitle(t('messages.title'));
  return (
    <>
      <PageHeader title={t('messages.title')} description={t('messages.description')} />
      <Tabs
        items={[
          { key: 'inbox', label: t('messages.tab.inbox'), children: <Inbox /> },
          { key: 'settings', label: t('messages.tab.settings'), children: <Settings /> },
        ]}
      />
    </>
  );
}
