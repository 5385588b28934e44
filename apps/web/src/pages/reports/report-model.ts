// What the report page draws, computed from a definition and a result without React or ECharts, so that which
// figure drills into which records is plain data that unit tests check.
import type {
  ChartKind,
  DrillCell,
  Figures,
  ReportDefinition,
  ReportResult,
  ResultColumn,
  ResultRow,
} from '../../api/reports.ts';
import { formatFen } from '../../form-runtime/money.ts';
import { type Label, pickLabel } from '../../form-runtime/types.ts';

/** One point of a chart series and the records behind it. */
export type ChartPoint = { value: number; cell: DrillCell };
export type ChartSeries = { name: string; measure: string; type: string; points: ChartPoint[] };
export type ChartSpec = {
  kind: Exclude<ChartKind, 'table'>;
  categories: string[];
  series: ChartSeries[];
};

export type Texts = { blank: string; total: string; subtotal: string };

const asNumber = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** A dimension value as shown: the server's label (option, member, bucket), else the raw value, blank marked. */
export function keyLabel(row: Pick<ResultRow, 'keys' | 'labels'>, dimension: string, texts: Texts): string {
  const label = row.labels[dimension];
  if (label !== undefined && label !== '') return label;
  const value = row.keys[dimension];
  return value === null || value === undefined || value === '' ? texts.blank : String(value);
}

export function columnLabel(column: ResultColumn, dimensions: readonly string[], texts: Texts): string {
  return dimensions.map((key) => keyLabel(column, key, texts)).join(' / ');
}

export const rowDimensions = (result: ReportResult) =>
  result.dimensions.filter((d) => d.axis === 'row').map((d) => d.key);
export const columnDimensions = (result: ReportResult) =>
  result.dimensions.filter((d) => d.axis === 'column').map((d) => d.key);

/** The name of a detail row: its row dimensions joined (华北 / 2026-03). */
export function rowLabel(result: ReportResult, row: ResultRow, texts: Texts): string {
  const dims = rowDimensions(result);
  if (row.kind === 'total') return texts.total;
  const named = dims.filter((key) => key in row.keys).map((key) => keyLabel(row, key, texts));
  if (row.kind === 'subtotal') return `${named.join(' / ')} ${texts.subtotal}`;
  return named.join(' / ') || texts.total;
}

/** The chart the definition asks for (bar by default when there is something to group by), or none. */
export function chartSpec(
  definition: ReportDefinition,
  result: ReportResult,
  locale: string,
  texts: Texts,
): ChartSpec | undefined {
  const kind: ChartKind = definition.chart?.kind ?? (definition.rows.length > 0 ? 'bar' : 'table');
  if (kind === 'table' || rowDimensions(result).length === 0) return undefined;
  const detail = result.rows.filter((row) => row.kind === 'detail');
  const categories = detail.map((row) => rowLabel(result, row, texts));
  const wanted = definition.chart?.measures?.length ? definition.chart.measures : [result.measures[0]?.key ?? ''];
  const measures = result.measures.filter((m) => wanted.includes(m.key));
  const crossTab = result.columns.length > 0;
  const name = (label: Label) => pickLabel(label, locale);
  // Pie and funnel show one measure over the rows; a cross-tab's rows then count across all its columns.
  if (kind === 'pie' || kind === 'funnel' || !crossTab) {
    const shown = kind === 'pie' || kind === 'funnel' ? measures.slice(0, 1) : measures;
    return {
      kind,
      categories,
      series: shown.map((measure) => ({
        name: name(measure.label),
        measure: measure.key,
        type: measure.type,
        points: detail.map((row) => ({
          value: asNumber(row.values[measure.key]),
          cell: { keys: row.keys, measure: measure.key },
        })),
      })),
    };
  }
  // A cross-tab as bars or lines: one series per result column (per measure when several are charted).
  const columnDims = columnDimensions(result);
  const series: ChartSeries[] = [];
  for (const measure of measures) {
    result.columns.forEach((column, index) => {
      const label = columnLabel(column, columnDims, texts);
      series.push({
        name: measures.length > 1 ? `${label} · ${name(measure.label)}` : label,
        measure: measure.key,
        type: measure.type,
        points: detail.map((row) => ({
          value: asNumber(row.cells?.[index]?.[measure.key]),
          cell: { keys: { ...row.keys, ...column.keys }, measure: measure.key },
        })),
      });
    });
  }
  return { kind, categories, series };
}

/** The records behind one figure of the table: its row's keys, with the column's keys in a cross-tab cell. */
export function cellOf(row: ResultRow, measure: string, column?: ResultColumn): DrillCell {
  return { keys: column ? { ...row.keys, ...column.keys } : { ...row.keys }, measure };
}

/** A figure as people read it: money in yuan with two decimals, numbers grouped; blank stays blank. */
export function formatFigure(value: unknown, type: string, locale: string): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value !== 'number') return String(value);
  if (type === 'money') return `¥${formatFen(Math.round(value))}`;
  if (type === 'number') return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
  return String(value);
}

/** A figure of one row in one column of the table (null: the cross-tab has nothing there). */
export function figureAt(row: ResultRow, measure: string, columnIndex?: number): unknown {
  if (columnIndex === undefined) return row.values[measure];
  const cell: Figures | null | undefined = row.cells?.[columnIndex];
  return cell ? cell[measure] : null;
}

/** Parameters as kept in the address (`?p=`): an object, or nothing when the text is not one. */
export function parseParams(text: string | null): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Drops blank parameters, so an address or a pin carries only what was chosen. */
export function compactParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return out;
}

/** The address of a report with its parameters. */
export function reportPath(pack: string, key: string, params?: Record<string, unknown> | null): string {
  const compact = params ? compactParams(params) : {};
  const base = `/reports/${encodeURIComponent(pack)}/${encodeURIComponent(key)}`;
  return Object.keys(compact).length > 0 ? `${base}?p=${encodeURIComponent(JSON.stringify(compact))}` : base;
}
