import { defineIssues, type IssueCode } from '@baton/core';

/**
 * The texts of every issue a report definition can have: its source, parameters, dimensions, measures,
 * computed columns, sort and chart, and its conditions (`where`). A condition's issue names where in the text
 * it is (`{at}`: start–end); a code several situations share carries the situation as `{reason}` / `{reasonZh}`.
 */
export const ReportIssues = defineIssues('report', {
  key_too_long: { zh: '键名过长：最多 40 个字符', en: 'A key has at most 40 characters' },
  key_syntax: {
    zh: '键名须为驼峰式英文：小写字母开头，其后只用字母和数字',
    en: 'A key is camelCase ASCII: a-z first, then letters and digits',
  },
  key_reserved: { zh: '「{key}」是保留字，不能用作键名', en: '"{key}" is reserved' },
  duplicate_key: { zh: '「{key}」重复了', en: '"{key}" is used twice' },
  form_syntax: { zh: '表单须写成 { pack, key } 或「应用包.表单」', en: 'The form is { pack, key } or "pack.key"' },
  unknown_form: { zh: '没有表单 {form}（或尚未发布）', en: 'Form {form} is not known' },
  unknown_subtable: { zh: '表单 {form} 没有明细表「{subtable}」', en: 'Form {form} has no subtable "{subtable}"' },
  not_reference: { zh: '「{field}」不是数据源的关联字段', en: '"{field}" is not a reference field of the source' },
  unknown_field: { zh: '「{field}」不是本报表的字段', en: '"{field}" is not a field of this report' },
  no_options: { zh: '「{field}」没有选项', en: '"{field}" has no options' },
  not_option: { zh: '「{option}」不是选项', en: '"{option}" is not an option' },
  bad_range: { zh: '范围的起点在终点之后', en: 'The range starts after it ends' },
  out_of_range: { zh: '默认值须在 {min}…{max} 之间', en: 'The default is outside {min}…{max}' },
  unknown_param: { zh: '没有参数「{param}」', en: 'No parameter "{param}"' },
  param_type: { zh: '{type} 类型的参数不能筛选「{field}」', en: 'A {type} parameter cannot filter "{field}"' },
  unused_param: { zh: '没有筛选或条件用到参数「{param}」', en: 'No filter or condition uses parameter "{param}"' },
  not_groupable: { zh: '「{field}」不能用来分组', en: '"{field}" cannot be grouped' },
  not_date: { zh: '「{field}」不是日期或日期时间字段', en: '"{field}" is not a date or datetime field' },
  field_required: { zh: '{agg} 需要指定字段', en: '{agg} needs a field' },
  aggregate_type: { zh: '{agg} 不适用于「{field}」', en: '{agg} does not apply to "{field}"' },
  computed_type: { zh: '计算列只能得出单个值，不能是 {type}', en: 'A computed column gives one value, not {type}' },
  unknown_key: { zh: '「{key}」不是本报表的维度或指标', en: '"{key}" is not a dimension or measure of this report' },
  crosstab_sort: { zh: '交叉表只能按维度排序', en: 'A cross-tab sorts by its dimensions only' },
  computed_sort: {
    zh: '取前 N 名或有小计时，不能按计算列排序',
    en: 'A computed column cannot order a top-N list or subtotals',
  },
  subtotals_rows: { zh: '小计需要两个或更多行维度', en: 'Subtotals need two or more rows' },
  limit_crosstab: {
    zh: '只有不带小计的普通列表才能取前 N 名',
    en: 'A top-N limit applies to a plain list without subtotals',
  },
  crosstab_rows: { zh: '交叉表需要行维度', en: 'A cross-tab needs rows' },
  // ---- conditions ----
  condition_syntax: { zh: '条件无法解析：{detailZh}', en: 'The condition does not parse: {detail}' },
  condition_value: { zh: '{reasonZh}（位置 {at}）', en: '{reason} (at {at})' },
  condition_type: { zh: '{reasonZh}（位置 {at}）', en: '{reason} (at {at})' },
  condition_days: {
    zh: '$today 只能加减不超过 36500 的整数天数或数字参数（位置 {at}）',
    en: '$today moves by a whole number of days up to 36500 or a number parameter (at {at})',
  },
  condition_param: {
    zh: '「{param}」不是本报表的数字参数（只有报表自身的条件能用参数）（位置 {at}）',
    en: '"{param}" is not a number parameter of this report (only the report\'s where names them) (at {at})',
  },
  condition_rows: {
    zh: '{fn} 的参数须为本表单明细表的列，例如 followUps.date（位置 {at}）',
    en: "{fn} takes a column of a subtable of the report's form, e.g. followUps.date (at {at})",
  },
  condition_coalesce: {
    zh: 'COALESCE 只接受字段和 MAX / MIN（位置 {at}）',
    en: 'COALESCE takes fields and MAX / MIN (at {at})',
  },
  condition_compare: {
    zh: '比较的一侧须为字段、MAX、MIN 或 COALESCE（位置 {at}）',
    en: 'A comparison needs a field, MAX, MIN or COALESCE (at {at})',
  },
  condition_null: {
    zh: '与 null 比较只能用 = 或 !=（位置 {at}）',
    en: 'Only = null and != null compare with null (at {at})',
  },
  condition_in: {
    zh: 'IN 的左边须为字段，右边须为 1 到 100 个值的列表（位置 {at}）',
    en: 'IN needs a field on its left and a list of 1 to 100 values (at {at})',
  },
  condition_unsupported: {
    zh: '条件只能包含比较、AND、OR、NOT、IN 和 ISBLANK（位置 {at}）',
    en: 'A condition only holds comparisons, AND, OR, NOT, IN and ISBLANK (at {at})',
  },
});

export type ReportIssueCode = IssueCode<typeof ReportIssues>;
