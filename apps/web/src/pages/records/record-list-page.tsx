import { DownloadOutlined, PlusOutlined, ReloadOutlined, TableOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Checkbox,
  Dropdown,
  Empty,
  Flex,
  Popover,
  Result,
  Skeleton,
  Table,
  type TableColumnsType,
  type TableProps,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { describeApiError, useApiErrorNotice } from '../../api/use-api-error-notice.tsx';
import { hasPermission, useSession } from '../../auth/session.ts';
import type { WidgetContext } from '../../field-types/define.ts';
import { findWebFieldType } from '../../field-types/registry.ts';
import {
  downloadRecords,
  formsApi,
  type RecordFilter,
  type RecordSort,
  type SavedView,
} from '../../form-runtime/api.ts';
import { type FieldDefinition, type FormRecord, pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useExportDownload } from '../../hooks/use-export-download.tsx';
import { useIsNarrow } from '../../hooks/use-media-query.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { RecordFilters } from './record-filters.tsx';
import { RecordViews } from './record-views.tsx';
import { useFormDefinition } from './use-form-definition.ts';
import '../../form-runtime/form-runtime.css';
import { formatInstant } from '../../i18n/time.ts';

const PAGE_SIZE = 30;
const MAX_COLUMNS = 6;

const formatCreated = (at: string, locale: string) => formatInstant(at, locale);

/** The records of one form: filters on its declared fields, sortable columns, cursor paging, cards on a phone. */
export function RecordListPage() {
  const { pack = '', key = '' } = useParams();
  const t = useT();
  const locale = useLocale();
  const narrow = useIsNarrow();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const published = useFormDefinition(pack, key);
  const definition = published.data?.definition;
  const title = definition ? pickLabel(definition.label, locale) : t('records.title');
  useDocumentTitle(title);

  const [filters, setFilters] = useState<RecordFilter[]>([]);
  const [sorts, setSorts] = useState<RecordSort[]>([]);
  /** Chosen columns (field keys, in order); empty: the first listable fields. */
  const [columnKeys, setColumnKeys] = useState<string[]>([]);
  /** Bumped when a saved view is applied, so the filter bar starts again from the view's filters. */
  const [filterBar, setFilterBar] = useState(0);
  const download = useExportDownload();
  const notify = useApiErrorNotice();
  const session = useSession();
  const canExport = hasPermission(session, 'form.record.export');
  const [records, setRecords] = useState<FormRecord[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const ticket = useRef(0);

  const load = useCallback(
    async (cursor: string | undefined) => {
      const mine = ++ticket.current;
      setLoading(true);
      try {
        const page = await formsApi.query(pack, key, { filters, sorts, cursor, limit: PAGE_SIZE });
        if (mine !== ticket.current) return;
        setRecords((current) => (cursor ? [...current, ...page.records] : page.records));
        setNextCursor(page.nextCursor);
        setLoaded(true);
      } catch (error) {
        if (mine !== ticket.current) return;
        const description = describeApiError(error, t, t('records.loadFailed'));
        message.error(`${description.title}: ${description.detail ?? ''}`);
      } finally {
        if (mine === ticket.current) setLoading(false);
      }
    },
    [pack, key, filters, sorts, message, t],
  );

  useEffect(() => {
    if (definition) void load(undefined);
  }, [definition, load]);

  const ctx: WidgetContext = useMemo(() => ({ form: { pack, key }, locale, t }), [pack, key, locale, t]);
  const listable = useMemo<FieldDefinition[]>(
    () => (definition?.fields ?? []).filter((f) => findWebFieldType(f.type).listable !== false),
    [definition],
  );
  const shownFields = useMemo<FieldDefinition[]>(() => {
    const chosen = columnKeys
      .map((key) => listable.find((field) => field.key === key))
      .filter((field): field is FieldDefinition => field !== undefined);
    return chosen.length > 0 ? chosen : listable.slice(0, MAX_COLUMNS);
  }, [listable, columnKeys]);

  const applyView = (view: SavedView | undefined) => {
    setFilters(view?.spec.filters ?? []);
    setSorts(view?.spec.sort ?? []);
    setColumnKeys(view?.spec.columns ?? []);
    setFilterBar((n) => n + 1);
  };

  async function exportAs(format: 'xlsx' | 'csv') {
    try {
      await download.run((options) => downloadRecords(pack, key, format, { filters, sort: sorts }, options));
    } catch (error) {
      notify(error);
    }
  }

  if (published.error) {
    const description = describeApiError(published.error, t, t('records.loadFormFailed'));
    return (
      <Result
        status="warning"
        title={description.title}
        subTitle={description.detail}
        extra={<Link to="/records">{t('records.backToForms')}</Link>}
      />
    );
  }
  if (!definition) return <Skeleton active />;

  const cellOf = (field: FieldDefinition, record: FormRecord) => {
    const Widget = findWebFieldType(field.type).Widget;
    return (
      <Widget
        field={field}
        value={record.values[field.key] ?? null}
        onChange={() => undefined}
        mode="read"
        id={`r-${record.id}-${field.key}`}
        compact
        ctx={ctx}
      />
    );
  };
  const recordPath = (record: FormRecord) => `/records/${pack}/${key}/${record.id}`;
  const sortOrder = (field: string): 'ascend' | 'descend' | null => {
    const sort = sorts.find((s) => s.field === field);
    return sort ? (sort.dir === 'asc' ? 'ascend' : 'descend') : null;
  };
  const columns: TableColumnsType<FormRecord> = [
    ...shownFields.map((field, index) => ({
      key: field.key,
      dataIndex: field.key,
      title: pickLabel(field.label, locale),
      sorter: findWebFieldType(field.type).filter !== undefined,
      sortOrder: sortOrder(field.key),
      render: (_: unknown, record: FormRecord) =>
        index === 0 ? <Link to={recordPath(record)}>{cellOf(field, record)}</Link> : cellOf(field, record),
    })),
    {
      key: 'createdAt',
      title: t('records.createdAt'),
      width: 160,
      render: (_, record) => <time dateTime={record.createdAt}>{formatCreated(record.createdAt, locale)}</time>,
    },
    {
      key: 'open',
      title: t('records.actions'),
      width: 80,
      render: (_, record) => <Link to={recordPath(record)}>{t('records.view')}</Link>,
    },
  ];
  const onTableChange: TableProps<FormRecord>['onChange'] = (_pagination, _filters, sorter) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = typeof one?.columnKey === 'string' ? one.columnKey : undefined;
    setSorts(field && one?.order ? [{ field, dir: one.order === 'ascend' ? 'asc' : 'desc' }] : []);
  };

  return (
    <>
      <PageHeader
        title={title}
        description={t('records.listDescription')}
        extra={
          <Flex gap={8} wrap>
            <Button icon={<ReloadOutlined aria-hidden />} onClick={() => void load(undefined)}>
              {t('records.refresh')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined aria-hidden />}
              onClick={() => navigate(`/records/${pack}/${key}/new`)}
            >
              {t('records.new')}
            </Button>
          </Flex>
        }
      />
      <Card>
        <Flex gap={8} wrap justify="space-between" className="records-toolbar">
          <RecordViews
            pack={pack}
            formKey={key}
            current={{ filters, sort: sorts, columns: columnKeys }}
            onApply={applyView}
          />
          <Flex gap={8} wrap>
            <Popover
              trigger="click"
              placement="bottomRight"
              title={t('records.columns.title')}
              content={
                <Checkbox.Group
                  className="records-columns"
                  value={shownFields.map((field) => field.key)}
                  options={listable.map((field) => ({ value: field.key, label: pickLabel(field.label, locale) }))}
                  onChange={(keys) =>
                    // Keeps the form's order; at least one column stays.
                    keys.length > 0 &&
                    setColumnKeys(listable.map((f) => f.key).filter((k) => (keys as string[]).includes(k)))
                  }
                />
              }
            >
              <Button icon={<TableOutlined aria-hidden />}>{t('records.columns.button')}</Button>
            </Popover>
            {canExport && (
              <Dropdown
                menu={{
                  items: [
                    { key: 'xlsx', label: t('records.export.xlsx') },
                    { key: 'csv', label: t('records.export.csv') },
                  ],
                  onClick: ({ key: format }) => void exportAs(format as 'xlsx' | 'csv'),
                }}
              >
                <Button icon={<DownloadOutlined aria-hidden />} loading={download.exporting}>
                  {t('records.export.button')}
                </Button>
              </Dropdown>
            )}
          </Flex>
        </Flex>
        <RecordFilters key={filterBar} fields={definition.fields} ctx={ctx} onApply={setFilters} initial={filters} />
        {narrow ? (
          <div className="record-cards" aria-busy={loading}>
            {!loaded && loading ? (
              <Skeleton active />
            ) : records.length === 0 ? (
              <Empty description={t('records.empty')} />
            ) : (
              records.map((record) => (
                <Card
                  key={record.id}
                  size="small"
                  className="record-card"
                  title={
                    <Link to={recordPath(record)}>{shownFields[0] ? cellOf(shownFields[0], record) : record.id}</Link>
                  }
                >
                  <dl>
                    {shownFields.slice(1, 5).map((field) => (
                      <div key={field.key} style={{ display: 'contents' }}>
                        <dt>{pickLabel(field.label, locale)}</dt>
                        <dd>{cellOf(field, record)}</dd>
                      </div>
                    ))}
                    <dt>{t('records.createdAt')}</dt>
                    <dd>{formatCreated(record.createdAt, locale)}</dd>
                  </dl>
                </Card>
              ))
            )}
          </div>
        ) : (
          <Table<FormRecord>
            className="records-table"
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={records}
            loading={loading}
            pagination={false}
            onChange={onTableChange}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('records.empty') }}
          />
        )}
        <Flex justify="center" className="audit-more">
          {nextCursor ? (
            <Button loading={loading} onClick={() => void load(nextCursor)}>
              {t('records.loadMore')}
            </Button>
          ) : (
            records.length > 0 && <span className="text-muted">{t('records.end')}</span>
          )}
        </Flex>
      </Card>
    </>
  );
}
