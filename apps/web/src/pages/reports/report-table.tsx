import { Table, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import type { DrillCell, ReportResult, ResultRow } from '../../api/reports.ts';
import { pickLabel } from '../../form-runtime/types.ts';
import { type Translate, useLocale } from '../../i18n/index.ts';
import {
  cellOf,
  columnDimensions,
  columnLabel,
  figureAt,
  formatFigure,
  keyLabel,
  rowDimensions,
  type Texts,
} from './report-model.ts';

export type TablePick = { cell: DrillCell; what: string; measure: string; value: string };

type Line = ResultRow & { index: number };

/**
 * The result as a table: the row dimensions, then one column per measure, or in a cross-tab one group per
 * result column and a 合计 group. Subtotal and total rows are marked. Every figure is a button that opens the
 * records behind it, so the drill-through works from the keyboard as well as from the chart.
 */
export function ReportTable({
  result,
  t,
  texts,
  onPick,
}: {
  result: ReportResult;
  t: Translate;
  texts: Texts;
  onPick: (pick: TablePick) => void;
}) {
  const locale = useLocale();
  const columns = useMemo<TableColumnsType<Line>>(() => {
    const rowDims = rowDimensions(result);
    const colDims = columnDimensions(result);
    const dimension = (key: string) => result.dimensions.find((d) => d.key === key);
    const rowName = (row: ResultRow) =>
      row.kind === 'total'
        ? texts.total
        : rowDims
            .filter((key) => key in row.keys)
            .map((key) => keyLabel(row, key, texts))
            .join(' / ');
    const figure = (measureKey: string, type: string, columnIndex?: number) => (_: unknown, row: Line) => {
      const value = figureAt(row, measureKey, columnIndex);
      const text = formatFigure(value, type, locale);
      if (text === '') return <span className="text-muted">—</span>;
      const column = columnIndex === undefined ? undefined : result.columns[columnIndex];
      const measure = result.measures.find((m) => m.key === measureKey);
      const where = [rowName(row), column ? columnLabel(column, colDims, texts) : undefined]
        .filter(Boolean)
        .join(' · ');
      const measureName = measure ? pickLabel(measure.label, locale) : measureKey;
      return (
        <button
          type="button"
          className="report-figure"
          aria-label={t('reports.table.drill', { what: `${where} · ${measureName} ${text}` })}
          onClick={() =>
            onPick({ cell: cellOf(row, measureKey, column), what: where, measure: measureName, value: text })
          }
        >
          {text}
        </button>
      );
    };
    const dimColumns: TableColumnsType<Line> = rowDims.map((key, level) => ({
      key: `dim:${key}`,
      title: pickLabel(dimension(key)?.label, locale),
      fixed: level === 0 ? ('left' as const) : undefined,
      render: (_: unknown, row: Line) => {
        if (row.kind === 'total') return level === 0 ? <strong>{texts.total}</strong> : null;
        if (!(key in row.keys)) {
          // A subtotal names its level in the first dimension it does not group by.
          const first = rowDims.findIndex((k) => !(k in row.keys));
          return row.kind === 'subtotal' && level === first ? <strong>{texts.subtotal}</strong> : null;
        }
        return keyLabel(row, key, texts);
      },
    }));
    const measureColumns = (columnIndex?: number) =>
      result.measures.map((measure) => ({
        key: `m:${columnIndex ?? 'all'}:${measure.key}`,
        title: pickLabel(measure.label, locale),
        align: 'right' as const,
        render: figure(measure.key, measure.type, columnIndex),
      }));
    if (result.columns.length === 0) return [...dimColumns, ...measureColumns()];
    const single = result.measures.length === 1;
    const groups: TableColumnsType<Line> = result.columns.map((column, index) => {
      const title = columnLabel(column, colDims, texts);
      return single
        ? {
            key: `c:${index}`,
            title,
            align: 'right' as const,
            render: figure(result.measures[0]?.key ?? '', result.measures[0]?.type ?? 'number', index),
          }
        : { key: `c:${index}`, title, children: measureColumns(index) };
    });
    const totals = single
      ? [
          {
            key: 'c:total',
            title: texts.total,
            align: 'right' as const,
            render: figure(result.measures[0]?.key ?? '', result.measures[0]?.type ?? 'number'),
          },
        ]
      : [{ key: 'c:total', title: texts.total, children: measureColumns() }];
    return [...dimColumns, ...groups, ...totals];
  }, [result, locale, t, texts, onPick]);

  const lines = useMemo(() => result.rows.map((row, index) => ({ ...row, index })), [result]);
  return (
    <Table<Line>
      className="report-table"
      rowKey="index"
      size="small"
      bordered
      columns={columns}
      dataSource={lines}
      pagination={lines.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      rowClassName={(row) => `report-row-${row.kind}`}
      locale={{ emptyText: t('reports.table.empty') }}
    />
  );
}
