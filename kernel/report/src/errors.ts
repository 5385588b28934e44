import { defineError } from '@baton/core';

export const ReportErrors = {
  definitionInvalid: defineError('REPORT_DEFINITION_INVALID', {
    status: 400,
    zh: '报表定义有误：{count} 处问题',
    en: 'The report definition is invalid: {count} problem(s)',
  }),
  definitionStale: defineError('REPORT_DEFINITION_STALE', {
    status: 409,
    zh: '报表 {report} 与表单的当前版本不符（{count} 处问题），请修改后重新发布',
    en: 'Report {report} no longer fits the current version of its forms ({count} problem(s)); change and republish it',
  }),
  notFound: defineError('REPORT_NOT_FOUND', {
    status: 404,
    zh: '找不到报表 {report}',
    en: 'Report {report} was not found',
  }),
  fieldHidden: defineError('REPORT_FIELD_HIDDEN', {
    status: 403,
    zh: '报表 {report} 的统计用到了您无权查看的字段',
    en: 'Report {report} is computed from fields hidden from you',
  }),
  paramInvalid: defineError('REPORT_PARAM_INVALID', {
    status: 400,
    zh: '报表条件有误，请检查标出的项',
    en: 'The report parameters are invalid; check the marked items',
  }),
  tooManyRows: defineError('REPORT_TOO_MANY_ROWS', {
    status: 422,
    zh: '报表结果超过 {limit} 行，请缩小查询条件',
    en: 'The report has more than {limit} rows; narrow the filters',
  }),
  tooMuchData: defineError('REPORT_TOO_MUCH_DATA', {
    status: 422,
    zh: '报表需要汇总的记录超过 {limit} 条，请缩小查询条件',
    en: 'The report would aggregate more than {limit} records; narrow the filters',
  }),
  exportTooLarge: defineError('REPORT_EXPORT_TOO_LARGE', {
    status: 422,
    zh: '导出超过 {limit} 行，请缩小查询条件',
    en: 'The export has more than {limit} rows; narrow the filters',
  }),
  timeout: defineError('REPORT_TIMEOUT', {
    status: 503,
    zh: '报表运行超过 {seconds} 秒被中止，请缩小查询条件后重试',
    en: 'The report ran longer than {seconds} s and was stopped; narrow the filters and try again',
  }),
  dashboardNotFound: defineError('REPORT_DASHBOARD_NOT_FOUND', {
    status: 404,
    zh: '找不到仪表板 {key}',
    en: 'Dashboard {key} was not found',
  }),
} as const;
