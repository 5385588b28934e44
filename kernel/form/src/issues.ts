import { defineIssues, type IssueCode } from '@baton/core';

/**
 * The texts of every issue a form definition can have: the definition's own checks, field types' config
 * checks and reference filters, a default that is not a value of its field, a publish that cannot convert.
 * Field types' value checks (`parse`) use the same codes when a record is written.
 */
export const FormIssues = defineIssues('form', {
  key_too_long: {
    zh: '键名过长：最多 40 个字符，写成列名（下划线式）后最多 56 个字符',
    en: 'The key is too long: at most 40 characters, and 56 once written as a column name',
  },
  key_syntax: {
    zh: '键名须为驼峰式英文：小写字母开头，其后只用字母和数字',
    en: 'A key is camelCase ASCII: a-z first, then letters and digits',
  },
  key_reserved: { zh: '「{key}」是保留字，不能用作键名', en: '"{key}" is reserved' },
  name_too_long: {
    zh: '由键名生成的表名 {table} 超过 63 个字符，请缩短键名',
    en: 'The table name {table} made from the keys exceeds 63 characters; shorten the keys',
  },
  duplicate_key: { zh: '「{key}」重复了', en: '"{key}" is used twice' },
  unknown_type: { zh: '未知的字段类型「{type}」', en: 'Unknown field type "{type}"' },
  bad_config: { zh: '设置有误：{detailZh}', en: 'Invalid setting: {detail}' },
  bad_rows: { zh: '最少行数大于最多行数', en: 'minRows exceeds maxRows' },
  not_in_subtable: { zh: '{type} 类型的字段不能作为明细表的列', en: 'A {type} field cannot be a subtable column' },
  default_not_allowed: {
    zh: '此字段不能设置这种默认值：{reasonZh}',
    en: 'This field cannot take this default: {reason}',
  },
  default_type: { zh: '默认值「{fromZh}」只能用于{typeZh}字段', en: 'A {from} default needs a {type} field' },
  bad_total: { zh: '「{key}」不是数字或金额列，不能合计', en: '"{key}" is not a number or money column' },
  formula_cycle: { zh: '公式循环引用：{cycle}', en: 'Formula cycle: {cycle}' },
  unknown_field: { zh: '没有字段「{field}」', en: 'No field "{field}"' },
  row_too_wide: { zh: '这一行的宽度合计超过 24 格', en: 'The spans of a row exceed 24' },
  bad_key_field: { zh: '「{field}」不能作为唯一键的一部分', en: '"{field}" cannot be part of a unique key' },
  not_member_field: { zh: '「{field}」不是人员字段', en: '"{field}" is not a member field' },
  not_money_field: { zh: '「{field}」不是本表单的金额字段', en: '"{field}" is not a money field of this form' },
  fill_any_record: {
    zh: '可选择任意记录的引用字段只显示名称，不能带出其他字段（fill）',
    en: 'A field that may point at any record shows its display only: no fill',
  },
  filter_syntax: { zh: '筛选条件无法解析：{detailZh}', en: 'The filter does not parse: {detail}' },
  filter_name: { zh: '「{name}」不是字段键名（位置 {at}）', en: '"{name}" is not a field key (at {at})' },
  filter_value: {
    zh: '此处的值只能是常量、me.memberId、me.departmentId、me.unitId 或 this.<字段>（位置 {at}）',
    en: 'A value here is a literal, me.memberId, me.departmentId, me.unitId or this.<field> (at {at})',
  },
  filter_compare: {
    zh: '比较的一侧须为被引用表单的字段（位置 {at}）',
    en: 'A comparison needs a field of the referenced form (at {at})',
  },
  filter_null: {
    zh: '与 null 比较只能用 = 或 !=（位置 {at}）',
    en: 'Only = null and != null compare with null (at {at})',
  },
  filter_in: {
    zh: 'IN 的左边须为字段，右边须为 1 到 100 个值的列表（位置 {at}）',
    en: 'IN needs a field on its left and a list of 1 to 100 values (at {at})',
  },
  filter_unsupported: {
    zh: '引用筛选只能包含比较、AND、OR、NOT、IN 和 ISBLANK（位置 {at}）',
    en: 'A reference filter only holds comparisons, AND, OR, NOT, IN and ISBLANK (at {at})',
  },
  serial_sequence: {
    zh: '流水号须有且只有一个 {seq:N}（现有 {count} 个）',
    en: 'A serial needs exactly one {seq:N} (it has {count})',
  },
  serial_width: {
    zh: '{seq:N} 的 N 须在 1 到 12 之间（现为 {width}）',
    en: '{seq:N} needs 1 ≤ N ≤ 12 (it is {width})',
  },
  serial_token: {
    zh: '花括号里只认识 {known} 这几种占位（记录值可加 |默认值）',
    en: 'Between braces only {known} are known (a record part may add |default)',
  },
  serial_field_type: {
    zh: '「{field}」是 {type} 字段，流水号只能用文本、下拉、单选或部门字段',
    en: '"{field}" is a {type} field; a serial uses text, select, radio or department fields only',
  },
  serial_field_later: {
    zh: '「{field}」的默认值是公式，在流水号生成之后才计算，不能用在流水号中',
    en: '"{field}" takes an expression default, computed after the serial: it cannot be part of it',
  },
  serial_part_blank: {
    zh: '流水号「{serial}」要用到「{field}」，但它是空的',
    en: 'Serial "{serial}" needs "{field}", which is blank',
  },
  unsafe_conversion: { zh: '这些记录的值无法转换：{rows}', en: 'Rows {rows} do not convert' },
  // ---- values (a default of a definition, a value of a record) ----
  not_fen: { zh: '金额须为以分计的整数', en: 'An integer of fen (分)' },
  too_small: { zh: '不能小于 {min}{unitZh}', en: 'At least {min}{unit}' },
  too_large: { zh: '不能大于 {max}{unitZh}', en: 'At most {max}{unit}' },
  too_many_decimals: { zh: '最多 {scale} 位小数', en: 'At most {scale} decimals' },
  not_number: { zh: '须为数字', en: 'A number' },
  not_month: { zh: '须为月份，格式 YYYY-MM', en: 'A month YYYY-MM' },
  not_date: { zh: '须为存在的日期，格式 YYYY-MM-DD', en: 'An existing date YYYY-MM-DD' },
  not_instant: { zh: '须为带时区的 ISO 时间', en: 'An existing ISO instant with a zone' },
  not_boolean: { zh: '须为是或否', en: 'True or false' },
  not_option: { zh: '须为选项中的代码', en: 'One of the option codes' },
  not_list: { zh: '须为列表', en: 'A list' },
  duplicate: { zh: '值不能重复', en: 'Values must not repeat' },
  invalid_id: { zh: '须为编号（字母、数字、- 和 _）', en: 'An id (letters, digits, - and _)' },
  too_many: { zh: '最多 {max} 项', en: 'At most {max} items' },
  not_text: { zh: '须为文本', en: 'Text' },
  too_long: { zh: '最多 {max} 个字符', en: 'At most {max} characters' },
  not_region: {
    zh: '须为 1 到 {levels} 个六位行政区划代码',
    en: 'A list of 1 to {levels} six-digit region codes',
  },
  not_opinion: {
    zh: '须为处理意见（text、memberId、signature、at）',
    en: 'An opinion (text, memberId, signature, at)',
  },
});

export type FormIssueCode = IssueCode<typeof FormIssues>;
