import { AuditOutlined, DownloadOutlined, FileTextOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Dropdown, Empty, Flex, Skeleton, Table, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import {
  type DrillCell,
  type DrillColumn,
  type DrillPage,
  type DrillRecord,
  type ParamValues,
  reportsApi,
} from '../../api/reports.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import type { WidgetContext } from '../../field-types/define.ts';
import { findWebFieldType } from '../../field-types/registry.ts';
import { formatFen } from '../../form-runtime/money.ts';
import { type FieldDefinition, type FormDefinition, pickLabel } from '../../form-runtime/types.ts';
import { useIsNarrow } from '../../hooks/use-media-query.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { formatInstant } from '../../i18n/time.ts';

const PAGE = 50;
/** Columns shown beside the links; the export carries every drill column. */
const SHOWN = 6;

export type DrillTarget = { cell: DrillCell; what: string; measure: string; value: string };

/** A field of the report's form by drill path (`amount`, `lines.qty`), for drawing values with their widget. */
function fieldAt(form: FormDefinition | undefined, path: string): FieldDefinition | undefined {
  if (!form) return undefined;
  const [head, rest] = path.split('.', 2) as [string, string | undefined];
  if (rest === undefined) return form.fields.find((field) => field.key === head);
  return form.subtables?.find((sub) => sub.key === head)?.columns.find((column) => column.key === rest);
}

function plainValue(value: unknown, column: DrillColumn, locale: string): string {
  if (value === null || value === undefined || value === '') return '';
  if (column.type === 'money' && typeof value === 'number') return `¥${formatFen(value)}`;
  if (column.type === 'datetime' && typeof value === 'string') return formatInstant(value, locale);
  if (Array.isArray(value)) return value.map(String).join('、');
  if (typeof value === 'object') return '…';
  return String(value);
}

function DrillValue({
  record,
  column,
  form,
  ctx,
}: {
  record: DrillRecord;
  column: DrillColumn;
  form: FormDefinition | undefined;
  ctx: WidgetContext;
}) {
  const label = record.labels[column.path];
  if (label !== undefined && label !== '') return <span>{label}</span>;
  const field = fieldAt(form, column.path);
  const value = record.values[column.path] ?? null;
  if (field && !column.path.includes('.')) {
    const Widget = findWebFieldType(field.type).Widget;
    return (
      <Widget
        field={field}
        value={value}
        onChange={() => undefined}
        mode="read"
        id={`d-${record.rowId ?? record.id}-${column.path}`}
        compact
        ctx={ctx}
      />
    );
  }
  const text = plainValue(value, column, ctx.locale);
  return text ? <span>{text}</span> : <span className="text-muted">—</span>;
}

/**
 * The records behind one figure, as the server finds them (same parameters and scopes, keyset-paged): each links
 * to its record page and, when it came through a flow, to its request. The list can be exported as it stands.
 */
export function DrillDrawer({
  pack,
  reportKey,
  formRef,
  form,
  params,
  target,
  onClose,
  onExport,
  exporting,
}: {
  pack: string;
  reportKey: string;
  /** The report's form: records link to its pages. */
  formRef: { pack: string; key: string };
  form: FormDefinition | undefined;
  params: ParamValues;
  target: DrillTarget | undefined;
  onClose: () => void;
  onExport: (format: 'xlsx' | 'csv', cell: DrillCell) => void;
  exporting: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const narrow = useIsNarrow();
  const [page, setPage] = useState<DrillPage>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const ticket = useRef(0);
  const { pack: formPack, key: formKey } = formRef;
  const ctx: WidgetContext = useMemo(
    () => ({ form: { pack: formPack, key: formKey }, locale, t }),
    [formPack, formKey, locale, t],
  );

  const load = useCallback(
    async (cursor?: string) => {
      if (!target) return;
      const mine = ++ticket.current;
      setLoading(true);
      setError(undefined);
      try {
        const next = await reportsApi.drill(pack, reportKey, {
          params,
          cell: target.cell,
          limit: PAGE,
          ...(cursor ? { cursor } : {}),
        });
        if (mine !== ticket.current) return;
        setPage((current) => (cursor && current ? { ...next, records: [...current.records, ...next.records] } : next));
      } catch (failure) {
        if (mine === ticket.current) setError(failure);
      } finally {
        if (mine === ticket.current) setLoading(false);
      }
    },
    [pack, reportKey, params, target],
  );

  useEffect(() => {
    setPage(undefined);
    void load();
  }, [load]);

  const recordPath = (record: DrillRecord) => `/records/${formPack}/${formKey}/${record.id}`;
  const links = (record: DrillRecord) => (
    <Flex gap={8} wrap className="report-drill-links">
      <Link to={recordPath(record)} className="report-drill-record">
        <FileTextOutlined aria-hidden /> {t('reports.drill.record')}
      </Link>
      {record.flowInstanceId && (
        <Link to={`/work/instances/${record.flowInstanceId}`} className="report-drill-request">
          <AuditOutlined aria-hidden /> {t('reports.drill.request')}
        </Link>
      )}
    </Flex>
  );
  const shownColumns = (page?.columns ?? []).slice(0, SHOWN);
  const columns: TableColumnsType<DrillRecord> = [
    ...shownColumns.map((column) => ({
      key: column.path,
      title: pickLabel(column.label, locale),
      render: (_: unknown, record: DrillRecord) => <DrillValue record={record} column={column} form={form} ctx={ctx} />,
    })),
    { key: 'open', title: t('reports.drill.open'), fixed: 'right' as const, render: (_, record) => links(record) },
  ];
  const count = page?.records.length ?? 0;
  const summary = page
    ? page.nextCursor
      ? t('reports.drill.shown', { count })
      : t('reports.drill.count', { count })
    : '';

  return (
    <Drawer
      open={target !== undefined}
      onClose={onClose}
      placement={narrow ? 'bottom' : 'right'}
      size={narrow ? '90%' : 'min(960px, 90vw)'}
      className="report-drill"
      title={t('reports.drill.title')}
      closable={{ 'aria-label': t('reports.drill.close') }}
      extra={
        target && (
          <Dropdown
            menu={{
              items: [
                { key: 'xlsx', label: t('reports.export.xlsx') },
                { key: 'csv', label: t('reports.export.csv') },
              ],
              onClick: ({ key }) => onExport(key as 'xlsx' | 'csv', target.cell),
            }}
          >
            <Button icon={<DownloadOutlined aria-hidden />} loading={exporting} className="report-drill-export">
              {t('reports.export.button')}
            </Button>
          </Dropdown>
        )
      }
    >
      {target && (
        <p className="report-drill-figure">
          {t('reports.drill.figure', {
            what: target.what || t('reports.drill.all'),
            measure: target.measure,
            value: target.value,
          })}
          {summary && (
            <span className="report-drill-count" data-count={page?.nextCursor ? undefined : count}>
              {' · '}
              {summary}
            </span>
          )}
        </p>
      )}
      {error !== undefined && (
        <Alert
          type="error"
          showIcon
          title={describeApiError(error, t, t('reports.drill.loadFailed')).title}
          description={describeApiError(error, t, t('reports.drill.loadFailed')).detail}
          action={<Button onClick={() => void load()}>{t('reports.retry')}</Button>}
        />
      )}
      {!page && !error ? (
        <Skeleton active />
      ) : page && page.records.length === 0 ? (
        <Empty description={t('reports.drill.empty')} />
      ) : page && narrow ? (
        <ul className="report-drill-cards">
          {page.records.map((record) => (
            <li key={record.rowId ?? record.id} className="report-drill-item">
              <dl>
                {shownColumns.slice(0, 4).map((column) => (
                  <div key={column.path} className="report-drill-pair">
                    <dt>{pickLabel(column.label, locale)}</dt>
                    <dd>
                      <DrillValue record={record} column={column} form={form} ctx={ctx} />
                    </dd>
                  </div>
                ))}
              </dl>
              {links(record)}
            </li>
          ))}
        </ul>
      ) : (
        page && (
          <Table<DrillRecord>
            className="report-drill-table"
            rowKey={(record) => record.rowId ?? record.id}
            size="small"
            columns={columns}
            dataSource={page.records}
            pagination={false}
            scroll={{ x: 'max-content' }}
          />
        )
      )}
      {page?.nextCursor && (
        <Flex justify="center" className="report-drill-more">
          <Button loading={loading} onClick={() => void load(page.nextCursor ?? undefined)}>
            {t('reports.drill.more')}
          </Button>
        </Flex>
      )}
    </Drawer>
  );
}
