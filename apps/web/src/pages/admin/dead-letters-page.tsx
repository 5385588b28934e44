import { RedoOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Table, type TableColumnsType, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { type DeadLetter, messagesApi } from '../../api/messages.ts';
import { useApiErrorNotice } from '../../api/use-api-error-notice.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import '../messages/messages.css';

/**
 * 死信: outbox deliveries (mail, webhooks, connector calls) that failed every attempt. An administrator
 * reads the last error, fixes the cause (SMTP settings, the peer), and queues the delivery again.
 */
export function DeadLettersPage() {
  const t = useT();
  const locale = useLocale();
  const { message } = App.useApp();
  const notify = useApiErrorNotice();
  useDocumentTitle(t('deadLetters.title'));
  const [items, setItems] = useState<DeadLetter[]>([]);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await messagesApi.deadLetters()).items);
    } catch (error) {
      notify(error);
    } finally {
      setLoading(false);
    }
  }, [notify]);

  useEffect(() => {
    void load();
  }, [load]);

  async function retry(item: DeadLetter) {
    try {
      await messagesApi.retry(item.id);
      message.success(t('deadLetters.retried'));
      setItems((before) => before.filter((d) => d.id !== item.id));
    } catch (error) {
      notify(error);
    }
  }

  const columns: TableColumnsType<DeadLetter> = [
    {
      title: t('deadLetters.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      render: (at: string) => <time dateTime={at}>{formatInstant(at, locale, { seconds: true })}</time>,
    },
    { title: t('deadLetters.topic'), dataIndex: 'topic', width: 180 },
    { title: t('deadLetters.attempts'), dataIndex: 'attempts', width: 90, align: 'right' },
    {
      title: t('deadLetters.lastError'),
      dataIndex: 'lastError',
      render: (error: string | null) => (
        <Typography.Text type="danger" className="dead-letter-error" ellipsis={{ tooltip: error }}>
          {error ?? '—'}
        </Typography.Text>
      ),
    },
    {
      title: t('deadLetters.actions'),
      key: 'actions',
      width: 120,
      render: (_, item) => (
        <Popconfirm title={t('deadLetters.retryConfirm')} onConfirm={() => retry(item)}>
          <Button size="small" icon={<RedoOutlined aria-hidden />}>
            {t('deadLetters.retry')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('deadLetters.title')}
        description={t('deadLetters.description')}
        extra={
          <Button icon={<ReloadOutlined aria-hidden />} onClick={() => void load()}>
            {t('deadLetters.reload')}
          </Button>
        }
      />
      <Card>
        <Table
          rowKey="id"
          size="middle"
          loading={loading}
          columns={columns}
          dataSource={items}
          scroll={{ x: 720 }}
          locale={{ emptyText: t('deadLetters.empty') }}
          expandable={{
            expandedRowRender: (item) => (
              <pre className="dead-letter-payload">{JSON.stringify(item.payload, null, 2)}</pre>
            ),
          }}
        />
      </Card>
    </>
  );
}
