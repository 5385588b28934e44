// @baton/report — saved queries over forms compiled to one SQL statement: filters with parameters, grouping
// by fields and date buckets, aggregates, cross-tab, totals and subtotals, computed columns, the viewer's
// record scopes in the SQL, drill-through to the records behind a figure, sheets for export, versioned
// definitions, pins and role dashboards. The package's only entry point. No HTTP here.
import './schema.ts';

export type { CatalogField, Scope, SourceField } from './catalog.ts';
export type { CompareOperator, Predicate } from './conditions.ts';
export {
  type Aggregate,
  aggregates,
  type Bucket,
  buckets,
  type ChartKind,
  chartKinds,
  type DatePreset,
  datePresets,
  defineReport,
  type ParamDefinition,
  type ReportDefinition,
  type ReportDefinitionInput,
  type ReportIssue,
  type ValueType,
  validateReport,
} from './definition.ts';
export {
  type Cell,
  type DrillColumn,
  type DrillInput,
  type DrillRecord,
  type DrillResult,
  drillReport,
} from './drill.ts';
export { ReportErrors } from './errors.ts';
export {
  exportDrill,
  exportReport,
  resultSheet,
  type Sheet,
  type SheetCell,
  type SheetColumn,
  type SheetKind,
} from './export.ts';
export { defaultReportLimits, type ReportLimits } from './guard.ts';
export { type IndexOutcome, indexReport, listReportIndexes, type ReportIndexSummary } from './indexes.ts';
export { type ReportIssueCode, ReportIssues } from './issues.ts';
export { presetRange } from './params.ts';
export { reportForms } from './plan.ts';
export {
  type ColumnHeader,
  explainReport,
  type Figures,
  type ReportResult,
  type ResultRow,
  type RunInput,
  type RunOptions,
  runReport,
} from './run.ts';
export {
  type ReportDashboardTable,
  type ReportDefinitionTable,
  type ReportIndexTable,
  type ReportPinTable,
  reportMigrations,
} from './schema.ts';
export {
  checkReport,
  type Dashboard,
  type DashboardInput,
  type DashboardItem,
  deleteDashboard,
  getDashboard,
  getReport,
  listDashboards,
  listPins,
  listReports,
  listReportVersions,
  type Pin,
  type PublishedReport,
  type PublishReportResult,
  pinReport,
  portalOf,
  publishReport,
  type ReportCheck,
  type ReportRef,
  type ReportSummary,
  type ReportVersion,
  saveDashboard,
  unpinReport,
} from './store.ts';
export type { Locale, NameLookup, RefKind, Scalar } from './values.ts';
