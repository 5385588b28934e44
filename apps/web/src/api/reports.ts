// Calls of the reports API (/api/reports) as apps/server/src/routes/reports.ts defines them, and of the packs'
// menus (/api/packs/menus). Figures arrive as the server computed them: money in fen, counts as numbers.
import type { Label } from '../form-runtime/types.ts';
import { api } from './client.ts';
import { type DownloadProgress, downloadFile } from './download.ts';

export type ReportSummary = {
  pack: string;
  key: string;
  version: number;
  form: string;
  label: Label;
  publishedAt: string;
};

export type DatePreset =
  | 'today'
  | 'thisWeek'
  | 'thisMonth'
  | 'lastMonth'
  | 'thisQuarter'
  | 'lastQuarter'
  | 'thisYear'
  | 'lastYear'
  | 'last7Days'
  | 'last30Days';
export const datePresets: readonly DatePreset[] = [
  'today',
  'thisWeek',
  'thisMonth',
  'lastMonth',
  'thisQuarter',
  'lastQuarter',
  'thisYear',
  'lastYear',
  'last7Days',
  'last30Days',
];
export type DateRangeValue = { preset: DatePreset } | { from?: string; to?: string };

/** A parameter as the definition declares it (kernel/report definition.ts `paramShape`, defaults applied). */
export type ReportParam =
  | { key: string; type: 'dateRange'; label: Label; required: boolean; default?: DateRangeValue }
  | { key: string; type: 'department'; label: Label; required: boolean; multiple: boolean; withSubDepartments: boolean }
  | { key: string; type: 'member'; label: Label; required: boolean; multiple: boolean }
  | {
      key: string;
      type: 'options';
      label: Label;
      required: boolean;
      multiple: boolean;
      field: string;
      default?: string[];
    };

export type ChartKind = 'table' | 'bar' | 'line' | 'pie' | 'funnel';

/** The parts of a published report definition the web app reads. */
export type ReportDefinition = {
  pack: string;
  key: string;
  label: Label;
  description?: Label;
  form: { pack: string; key: string };
  subtable?: string;
  joins: { field: string; as?: string }[];
  params: ReportParam[];
  filters: { field: string; param: string }[];
  rows: { key: string; field: string; label: Label; bucket?: string }[];
  columns: { key: string; field: string; label: Label; bucket?: string }[];
  measures: { key: string; agg: string; label: Label }[];
  totals: boolean;
  subtotals: boolean;
  chart?: { kind: ChartKind; x?: string; series?: string; measures?: string[] };
};

export type ReportDetail = { definition: ReportDefinition; version: number; publishedAt: string };

export type ParamValues = Record<string, unknown>;
export type Figures = Record<string, number | string | null>;

export type ResultDimension = { key: string; label: Label; axis: 'row' | 'column'; bucket?: string };
export type ResultMeasure = { key: string; label: Label; type: string; computed: boolean };
export type ResultColumn = { keys: Record<string, unknown>; labels: Record<string, string> };
export type ResultRow = {
  kind: 'detail' | 'subtotal' | 'total';
  keys: Record<string, unknown>;
  labels: Record<string, string>;
  values: Figures;
  /** Cross-tab: one set of figures per result column, in the order of `columns`. */
  cells?: (Figures | null)[];
};
export type ReportResult = {
  report: { pack: string; key: string; hash: string; label: Label };
  dimensions: ResultDimension[];
  measures: ResultMeasure[];
  columns: ResultColumn[];
  rows: ResultRow[];
  generatedAt: string;
};

/** A figure to drill into: the dimension values it stands for (none: every record) and its measure. */
export type DrillCell = { keys: Record<string, unknown>; measure?: string };
export type DrillColumn = { path: string; label: Label; type: string; kind: string };
export type DrillRecord = {
  id: string;
  rowId?: string;
  flowInstanceId: string | null;
  state: string;
  values: Record<string, unknown>;
  labels: Record<string, string>;
};
export type DrillPage = { columns: DrillColumn[]; records: DrillRecord[]; nextCursor: string | null };

export type Pin = { pack: string; key: string; params: ParamValues | null; sort: number; pinnedAt: string };
export type DashboardItem = { pack: string; key: string; params?: ParamValues; chart?: string; span: number };
export type Dashboard = { key: string; role: string; label: Label; items: DashboardItem[]; sort: number };
export type Portal = { pins: Pin[]; dashboards: Dashboard[] };

export type PackMenuItem = {
  key: string;
  label: Label;
  kind: 'form' | 'flow' | 'report';
  pack: string;
  target: string;
  view?: 'list' | 'new';
};
export type PackMenu = { key: string; label: Label; icon?: string; items: PackMenuItem[] };
export type PackMenus = { pack: string; name: Label; menus: PackMenu[] }[];

const seg = encodeURIComponent;
const base = (pack: string, key: string) => `/api/reports/${seg(pack)}/${seg(key)}`;

export const reportsApi = {
  list: () => api<{ reports: ReportSummary[] }>('/api/reports').then((body) => body.reports),
  get: (pack: string, key: string) => api<ReportDetail>(base(pack, key)),
  run: (pack: string, key: string, params: ParamValues) =>
    api<ReportResult>(`${base(pack, key)}/run`, { method: 'POST', body: { params } }),
  drill: (pack: string, key: string, body: { params: ParamValues; cell: DrillCell; cursor?: string; limit?: number }) =>
    api<DrillPage>(`${base(pack, key)}/drill`, { method: 'POST', body }),
  portal: () => api<Portal>('/api/reports/portal'),
  pin: (pack: string, key: string, params: ParamValues | null) =>
    api<Pin>(`/api/reports/pins/${seg(pack)}/${seg(key)}`, { method: 'PUT', body: { params } }),
  unpin: (pack: string, key: string) =>
    api<{ removed: boolean }>(`/api/reports/pins/${seg(pack)}/${seg(key)}`, { method: 'DELETE' }),
  exportUrl: (pack: string, key: string, format: 'xlsx' | 'csv', params: ParamValues) =>
    `${base(pack, key)}/export?${new URLSearchParams({ format, params: JSON.stringify(params) })}`,
  drillExportUrl: (pack: string, key: string, format: 'xlsx' | 'csv', params: ParamValues, cell: DrillCell) =>
    `${base(pack, key)}/drill/export?${new URLSearchParams({
      format,
      params: JSON.stringify(params),
      cell: JSON.stringify(cell),
    })}`,
};

export const packsApi = {
  menus: () => api<{ packs: PackMenus }>('/api/packs/menus').then((body) => body.packs),
};

/** Downloads a report or drill export (GET), reporting its progress; the signal cancels it. */
export function downloadExport(
  url: string,
  fallbackName: string,
  options: { signal?: AbortSignal; onProgress?: (progress: DownloadProgress) => void } = {},
) {
  return downloadFile(url, { fallbackName, ...options });
}
