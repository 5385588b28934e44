import { CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Table, type TableColumnsType, Tooltip } from 'antd';
import type { WidgetContext, WidgetMode } from '../field-types/define.ts';
import { findWebFieldType } from '../field-types/registry.ts';
import { useIsNarrow } from '../hooks/use-media-query.ts';
import { columnTotals } from './compute.ts';
import { widgetMode } from './field-cell.tsx';
import { formatFen } from './money.ts';
import { type AccessLevel, type Label, pickLabel, type Row, type SubtableDefinition, type Values } from './types.ts';

export type SubtableViewProps = {
  sub: SubtableDefinition;
  rows: readonly Row[];
  onRowsChange: (rows: Row[]) => void;
  /** Access of the whole subtable; columns may narrow it (`items.price`). */
  level: AccessLevel;
  columnLevel: (column: string) => AccessLevel;
  mode: WidgetMode;
  issueAt: (path: (string | number)[]) => Label | undefined;
  makeRow: () => Row;
  ctx: WidgetContext;
  /** Cards as on a phone whatever the window's width (the form designer's phone preview). */
  phone?: boolean;
};

const ROW_META = new Set(['id', 'rowNo']);

function copyRow(row: Row): Row {
  // A copy is a new row: the server gives it its own id and number.
  return Object.fromEntries(Object.entries(row).filter(([key]) => !ROW_META.has(key)));
}

/**
 * A subtable (明细表): a grid with a row per line on a desktop, a card per line on a phone. Rows can be added,
 * copied and removed within minRows..maxRows; declared columns are totalled live under the grid.
 */
export function SubtableView({
  sub,
  rows,
  onRowsChange,
  level,
  columnLevel,
  mode,
  issueAt,
  makeRow,
  ctx,
  phone = false,
}: SubtableViewProps) {
  const narrow = useIsNarrow() || phone;
  const editable = mode === 'edit' && (level === 'edit' || level === 'required');
  const canAdd = editable && (sub.maxRows === undefined || rows.length < sub.maxRows);
  const canRemove = editable && rows.length > (sub.minRows ?? 0);
  const totals = columnTotals(sub, rows);
  const label = pickLabel(sub.label, ctx.locale);
  const tableIssue = issueAt([sub.key]);

  const setCell = (index: number, column: string, value: unknown) => {
    onRowsChange(rows.map((row, i) => (i === index ? { ...row, [column]: value } : row)));
  };
  const fillRow = (index: number, values: Values) => {
    const known = new Set(sub.columns.map((c) => c.key));
    const picked = Object.fromEntries(Object.entries(values).filter(([key]) => known.has(key)));
    onRowsChange(rows.map((row, i) => (i === index ? { ...row, ...picked } : row)));
  };
  const add = () => onRowsChange([...rows, makeRow()]);
  const copy = (index: number) => {
    const source = rows[index];
    if (source) onRowsChange([...rows.slice(0, index + 1), copyRow(source), ...rows.slice(index + 1)]);
  };
  const remove = (index: number) => onRowsChange(rows.filter((_, i) => i !== index));

  const visibleColumns = sub.columns.filter((column) => columnLevel(column.key) !== 'hidden');
  const cell = (index: number, columnKey: string) => {
    const column = sub.columns.find((c) => c.key === columnKey);
    if (!column) return null;
    const row = rows[index] ?? {};
    const id = `f-${sub.key}-${index}-${column.key}`;
    const issue = issueAt([sub.key, index, column.key]);
    const Widget = findWebFieldType(column.type).Widget;
    const shown = widgetMode(column, editable ? columnLevel(column.key) : 'read', mode);
    return (
      <div className={`subtable-cell${issue ? ' form-cell-invalid' : ''}`}>
        <label htmlFor={id} className={narrow ? 'subtable-card-label' : 'sr-only'}>
          {narrow && shown === 'edit' && column.required && (
            <span className="form-cell-required" aria-hidden>
              *
            </span>
          )}
          {pickLabel(column.label, ctx.locale)}
          {!narrow && ` ${index + 1}`}
        </label>
        <Widget
          field={column}
          value={row[column.key] ?? null}
          onChange={(value) => setCell(index, column.key, value)}
          mode={shown}
          id={id}
          invalid={Boolean(issue)}
          compact
          ctx={{ ...ctx, scope: sub.key, fill: (values) => fillRow(index, values) }}
        />
        {issue && (
          <div className="form-cell-error" role="alert">
            {pickLabel(issue, ctx.locale)}
          </div>
        )}
      </div>
    );
  };
  const rowActions = (index: number) =>
    editable ? (
      <Flex gap={4}>
        {canAdd && (
          <Tooltip title={ctx.t('formView.copyRow')}>
            <Button
              size="small"
              type="text"
              icon={<CopyOutlined aria-hidden />}
              aria-label={ctx.t('formView.copyRowN', { n: index + 1 })}
              onClick={() => copy(index)}
            />
          </Tooltip>
        )}
        {canRemove && (
          <Tooltip title={ctx.t('formView.removeRow')}>
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined aria-hidden />}
              aria-label={ctx.t('formView.removeRowN', { n: index + 1 })}
              onClick={() => remove(index)}
            />
          </Tooltip>
        )}
      </Flex>
    ) : null;

  const totalText = (columnKey: string) => {
    const column = sub.columns.find((c) => c.key === columnKey);
    const value = totals[columnKey] ?? 0;
    const money = column?.type === 'money' || (column?.type === 'formula' && column.resultType === 'money');
    return money ? `¥${formatFen(value)}` : new Intl.NumberFormat(ctx.locale).format(value);
  };
  const limits =
    sub.maxRows !== undefined
      ? ctx.t('formView.rowsOfMax', { count: rows.length, max: sub.maxRows })
      : ctx.t('formView.rows', { count: rows.length });

  const header = (
    <Flex justify="space-between" align="center" wrap gap={8} className="subtable-header">
      <h3 className="subtable-title">{label}</h3>
      <span className="text-muted subtable-count">{limits}</span>
    </Flex>
  );
  const footer = (
    <>
      {editable && (
        <Button icon={<PlusOutlined aria-hidden />} onClick={add} disabled={!canAdd} className="subtable-add">
          {ctx.t('formView.addRow')}
        </Button>
      )}
      {tableIssue && (
        <div className="form-cell-error" role="alert">
          {pickLabel(tableIssue, ctx.locale)}
        </div>
      )}
    </>
  );

  if (narrow) {
    return (
      <section className="subtable subtable-cards" aria-label={label} data-subtable={sub.key}>
        {header}
        {rows.length === 0 && <p className="text-muted">{ctx.t('formView.noRows')}</p>}
        {rows.map((row, index) => (
          <Card
            key={String(row.id ?? index)}
            size="small"
            className="subtable-card"
            title={ctx.t('formView.rowN', { n: index + 1 })}
            extra={rowActions(index)}
          >
            {visibleColumns.map((column) => (
              <div key={column.key} className="subtable-card-field">
                {cell(index, column.key)}
              </div>
            ))}
          </Card>
        ))}
        {(sub.totals?.length ?? 0) > 0 && (
          <dl className="subtable-totals">
            {(sub.totals ?? []).map((columnKey) => (
              <div key={columnKey}>
                <dt>{pickLabel(sub.columns.find((c) => c.key === columnKey)?.label, ctx.locale)}</dt>
                <dd>{totalText(columnKey)}</dd>
              </div>
            ))}
          </dl>
        )}
        {footer}
      </section>
    );
  }

  type Line = { index: number };
  const columns: TableColumnsType<Line> = [
    { key: '#', title: '#', width: 48, align: 'center', render: (_, line) => line.index + 1 },
    ...visibleColumns.map((column) => ({
      key: column.key,
      title: (
        <span>
          {editable && column.required && widgetMode(column, columnLevel(column.key), mode) === 'edit' && (
            <span className="form-cell-required" aria-hidden>
              *
            </span>
          )}
          {pickLabel(column.label, ctx.locale)}
        </span>
      ),
      width: findWebFieldType(column.type).span === 24 ? 260 : 160,
      render: (_: unknown, line: Line) => cell(line.index, column.key),
    })),
    ...(editable
      ? [
          {
            key: 'actions',
            title: ctx.t('formView.actions'),
            width: 88,
            render: (_: unknown, line: Line) => rowActions(line.index),
          },
        ]
      : []),
  ];
  const hasTotals = (sub.totals?.length ?? 0) > 0;
  return (
    <section className="subtable" aria-label={label} data-subtable={sub.key}>
      {header}
      <Table<Line>
        className="subtable-table"
        size="small"
        bordered
        pagination={false}
        rowKey={(line) => String(rows[line.index]?.id ?? `new-${line.index}`)}
        dataSource={rows.map((_, index) => ({ index }))}
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: ctx.t('formView.noRows') }}
        summary={
          hasTotals
            ? () => (
                <Table.Summary.Row className="subtable-totals-row">
                  <Table.Summary.Cell index={0}>{ctx.t('formView.total')}</Table.Summary.Cell>
                  {visibleColumns.map((column, i) => (
                    <Table.Summary.Cell index={i + 1} key={column.key}>
                      {sub.totals?.includes(column.key) ? (
                        <output className="subtable-total" data-total={column.key}>
                          {totalText(column.key)}
                        </output>
                      ) : null}
                    </Table.Summary.Cell>
                  ))}
                  {editable && <Table.Summary.Cell index={visibleColumns.length + 1} />}
                </Table.Summary.Row>
              )
            : undefined
        }
      />
      {footer}
    </section>
  );
}
