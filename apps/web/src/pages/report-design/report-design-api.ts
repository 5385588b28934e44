// The report editor's calls (apps/server/src/routes/reports.ts), all report.design: every published report, a check
// that stores nothing and lists the fields the source offers, a preview run of the draft on live data (within the
// designer's own record scopes), versions and publishing.
import { api } from '../../api/client.ts';
import type { ParamValues, ReportDefinition, ReportResult, ReportSummary } from '../../api/reports.ts';
import type { Issue, SourceField } from './report-draft.ts';

export type ReportVersion = {
  version: number;
  hash: string;
  definition: Record<string, unknown>;
  publishedAt: string;
  publishedBy: string;
};

export type ReportCheck = { issues: Issue[]; forms: Record<string, number>; fields: SourceField[] };

const base = (pack: string, key: string) => `/api/reports/${encodeURIComponent(pack)}/${encodeURIComponent(key)}`;

export const reportDesignApi = {
  list: () =>
    api<{ reports: (ReportSummary & { hash: string })[] }>('/api/reports/definitions').then((body) => body.reports),
  validate: (definition: Record<string, unknown>, signal?: AbortSignal) =>
    api<ReportCheck>('/api/reports/validate', { method: 'POST', body: definition, ...(signal ? { signal } : {}) }),
  preview: (definition: Record<string, unknown>, params: ParamValues) =>
    api<{ definition: ReportDefinition; result: ReportResult }>('/api/reports/preview', {
      method: 'POST',
      body: { definition, params },
    }),
  versions: (pack: string, key: string) =>
    api<{ versions: ReportVersion[] }>(`${base(pack, key)}/versions`).then((body) => body.versions),
  publish: (definition: Record<string, unknown>) =>
    api<{ pack: string; key: string; version: number; hash: string; unchanged: boolean }>('/api/reports', {
      method: 'POST',
      body: definition,
    }),
};
