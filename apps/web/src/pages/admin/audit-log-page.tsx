import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { App, AutoComplete, Button, Card, Flex, Form, Select, Table, type TableColumnsType, Tag } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client.ts';
import { type DepartmentNode, orgApi } from '../../api/org.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { type Locale, useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';
import { PageHeader } from '../../layout/page-header.tsx';

export type AuditEntry = {
  seq: number;
  at: string;
  actor: { kind: string; id: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  ip: string | null;
  detail: unknown;
};

type AuditPage = { items: AuditEntry[]; nextCursor: string | null };
type Filters = { action?: string; actor?: string };

const PAGE_SIZE = 50;
const actionSuggestions = [
  'org.*',
  'org.department.*',
  'org.member.*',
  'auth.*',
  'org.department.move',
  'org.member.create',
];

/** The platform's audit trail is kept in UTC; the organisation reads it in Beijing time. */
const formatTime = (at: string, locale: Locale) => formatInstant(at, locale, { seconds: true });

export function AuditLogPage() {
  const t = useT();
  const locale = useLocale();
  const { message } = App.useApp();
  useDocumentTitle(t('audit.title'));
  const [filters, setFilters] = useState<Filters>({});
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [names, setNames] = useState<Record<string, string>>({});
  const asked = useRef(new Set<string>());
  const [departmentNames, setDepartmentNames] = useState<Record<string, string>>({});
  const [actorOptions, setActorOptions] = useState<Array<{ value: string; label: string }>>([]);
  const [form] = Form.useForm<Filters>();

  const load = useCallback(
    async (cursor: string | undefined, append: boolean) => {
      setLoading(true);
      try {
        const page = await api<AuditPage>('/api/audit', {
          query: {
            action: filters.action?.trim() || undefined,
            actor: filters.actor || undefined,
            cursor,
            limit: PAGE_SIZE,
          },
        });
        setItems((current) => (append ? [...current, ...page.items] : page.items));
        setNextCursor(page.nextCursor);
      } catch (error) {
        const description = describeApiError(error, t, t('audit.loadFailed'));
        message.error(`${description.title}: ${description.detail ?? ''}`);
      } finally {
        setLoading(false);
      }
    },
    [filters, message, t],
  );

  useEffect(() => {
    void load(undefined, false);
  }, [load]);

  // Department targets are named from the tree, fetched once.
  useEffect(() => {
    orgApi.tree().then(
      (roots) => {
        const found: Record<string, string> = {};
        const walk = (nodes: DepartmentNode[]) => {
          for (const node of nodes) {
            found[node.id] = node.name;
            walk(node.children);
          }
        };
        walk(roots);
        setDepartmentNames(found);
      },
      () => undefined,
    );
  }, []);

  // Resolves each member (actor or target) once; an unknown id simply stays an id.
  useEffect(() => {
    const memberIds = items.flatMap((e) => [
      ...(e.actor.kind === 'member' && e.actor.id ? [e.actor.id] : []),
      ...(e.target?.type === 'org.member' && e.target.id ? [e.target.id] : []),
    ]);
    const ids = [...new Set(memberIds)].filter((id) => !asked.current.has(id));
    for (const id of ids) {
      asked.current.add(id);
      orgApi.member(id).then(
        (member) => setNames((current) => ({ ...current, [id]: member.name })),
        () => undefined,
      );
    }
  }, [items]);

  async function searchActors(text: string) {
    if (!text.trim()) return setActorOptions([]);
    try {
      const page = await orgApi.members({ search: text.trim(), limit: 20 });
      setActorOptions(page.items.map((m) => ({ value: m.id, label: `${m.name} (${m.login})` })));
    } catch {
      setActorOptions([]);
    }
  }

  const columns: TableColumnsType<AuditEntry> = [
    {
      key: 'at',
      title: t('audit.time'),
      width: 170,
      render: (_, entry) => <time dateTime={entry.at}>{formatTime(entry.at, locale)}</time>,
    },
    {
      key: 'actor',
      title: t('audit.actor'),
      width: 140,
      // On a phone the time and the action matter most; the actor shows from `sm` up.
      responsive: ['sm'],
      render: (_, entry) =>
        entry.actor.kind === 'member' && entry.actor.id ? (
          <span title={entry.actor.id}>{names[entry.actor.id] ?? entry.actor.id}</span>
        ) : (
          <Tag>{entry.actor.id ?? entry.actor.kind}</Tag>
        ),
    },
    {
      key: 'action',
      title: t('audit.action'),
      width: 160,
      render: (_, entry) => <code className="audit-action">{entry.action}</code>,
    },
    {
      key: 'target',
      title: t('audit.target'),
      width: 200,
      responsive: ['md'],
      render: (_, entry) =>
        entry.target ? (
          <span className="audit-target" title={entry.target.id ?? undefined}>
            <span className="text-muted">{entry.target.type}</span>
            {entry.target.id && (
              <>
                {' · '}
                {departmentNames[entry.target.id] ?? names[entry.target.id] ?? `…${entry.target.id.slice(-8)}`}
              </>
            )}
          </span>
        ) : null,
    },
    {
      key: 'detail',
      title: t('audit.detail'),
      responsive: ['lg'],
      render: (_, entry) =>
        entry.detail === null || entry.detail === undefined ? null : (
          <details className="audit-detail">
            <summary>{t('audit.showDetail')}</summary>
            <pre>{JSON.stringify(entry.detail, null, 2)}</pre>
          </details>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.description')} />
      <Card className="audit-card">
        <Form<Filters>
          form={form}
          layout="inline"
          className="audit-filters"
          onFinish={(values) => setFilters({ action: values.action, actor: values.actor })}
        >
          <Form.Item name="action" label={t('audit.filterAction')}>
            <AutoComplete
              className="audit-action-filter"
              style={{ width: 220 }}
              placeholder="org.*"
              options={actionSuggestions.map((value) => ({ value }))}
              allowClear
            />
          </Form.Item>
          <Form.Item name="actor" label={t('audit.filterActor')}>
            <Select
              className="audit-actor-filter"
              style={{ width: 220 }}
              allowClear
              showSearch={{ filterOption: false, onSearch: (text) => void searchActors(text) }}
              placeholder={t('audit.filterActorPlaceholder')}
              options={actorOptions}
            />
          </Form.Item>
          <Form.Item>
            <Flex gap={8}>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined aria-hidden />}>
                {t('audit.apply')}
              </Button>
              <Button icon={<ReloadOutlined aria-hidden />} onClick={() => void load(undefined, false)}>
                {t('audit.refresh')}
              </Button>
            </Flex>
          </Form.Item>
        </Form>
        <Table<AuditEntry>
          className="audit-table"
          rowKey="seq"
          size="small"
          columns={columns}
          dataSource={items}
          loading={loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('audit.empty') }}
        />
        <Flex justify="center" className="audit-more">
          {nextCursor ? (
            <Button loading={loading} onClick={() => void load(nextCursor, true)}>
              {t('audit.loadMore')}
            </Button>
          ) : (
            items.length > 0 && <span className="text-muted">{t('audit.end')}</span>
          )}
        </Flex>
      </Card>
    </>
  );
}
