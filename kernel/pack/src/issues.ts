import { defineIssues, type IssueCode } from '@baton/core';

/**
 * The texts of every issue a pack can have besides its forms', flows', rules' and reports' own (those keep their
 * engine's codes and texts under `forms.N.`, `flows.N.` …): the pack's key, roles, menus, locales, demo data,
 * and a file that is not pure bounded JSON data.
 */
export const PackIssues = defineIssues('pack', {
  key_syntax: {
    zh: '应用包键名须为驼峰式英文（它会出现在表名 f_<应用包>_<表单> 中）',
    en: 'A pack key is camelCase ASCII (it names tables f_<pack>_<form>)',
  },
  key_reserved: { zh: '「{key}」是保留字，不能用作键名', en: '"{key}" is reserved' },
  key_too_long: { zh: '键名过长：最多 {max} 个字符', en: 'A key of more than {max} characters' },
  pack_mismatch: {
    zh: '应用包「{pack}」中的{whatZh}须写明 pack: "{pack}"',
    en: 'A {what} of pack "{pack}" must say pack: "{pack}"',
  },
  duplicate_key: { zh: '{whatZh}「{key}」重复了', en: '{what} "{key}" is defined twice' },
  unknown_form: { zh: '本应用包中没有表单「{form}」', en: 'No form "{form}" in this pack' },
  unknown_flow: { zh: '本应用包中没有流程「{flow}」', en: 'No flow "{flow}" in this pack' },
  unknown_report: { zh: '本应用包中没有报表「{report}」', en: 'No report "{report}" in this pack' },
  unknown_role: { zh: '角色「{role}」不在本应用包的角色中', en: 'Role "{role}" is not among the pack\'s roles' },
  unknown_field: { zh: '{form} 没有字段「{field}」', en: '{form} has no field "{field}"' },
  empty_right: { zh: '请授予新建、查看或编辑中的至少一项', en: 'Grant create, read or write' },
  one_target: { zh: '菜单项须且只能打开一个表单、流程或报表', en: 'An item opens exactly one form, flow or report' },
  not_form: { zh: 'view 只用于表单', en: 'view applies to forms' },
  missing: { zh: '缺少{whatZh}', en: 'Missing {what}' },
  bad_member: {
    zh: '人员选择器须为 head:<部门>、staff:<部门>:<序号>、role:<角色>[:<序号>] 或 login:<登录名>',
    en: 'A member selector: head:<department>, staff:<department>:<n>, role:<code>[:<n>] or login:<login>',
  },
  bad_placeholder: { zh: '占位 {placeholder} 写法有误：{hintZh}', en: 'Placeholder {placeholder}: {hint}' },
  unknown_ref: { zh: '在此之前没有演示记录「{ref}」', en: 'No demo record "{ref}" before this one' },
  wrong_form: { zh: '这里需要 {wanted} 的记录，而它是 {form} 的记录', en: 'A {form} record, not {wanted}' },
  not_rows: { zh: '明细表须为行的列表', en: 'A subtable is a list of rows' },
  not_row: { zh: '每一行须为对象', en: 'A row is an object' },
  flow_form: {
    zh: '流程表单的记录须经流程提交：请写在 demo.filings 中',
    en: 'Records of a flow form are filed: use demo.filings',
  },
  // ---- a pack file: pure, bounded JSON data ----
  too_many_values: { zh: '值的个数超过 {max}', en: 'More than {max} values' },
  not_finite: { zh: '数字须为有限值', en: 'Numbers are finite' },
  too_long: { zh: '文本超过 {max} 个字符', en: 'A text of more than {max} characters' },
  nul_character: { zh: '文本中含有 NUL 字符', en: 'A text with a NUL character' },
  code: { zh: '这是一个函数：应用包只能是数据，不接受代码', en: 'A function: a pack is data, code is refused' },
  not_json: {
    zh: '只能是普通对象、数组和值（{type} 不是 JSON）',
    en: 'Only plain objects, arrays and values ({type} is not JSON)',
  },
  too_deep: { zh: '嵌套超过 {max} 层', en: 'Nested more than {max} levels' },
  forbidden_key: { zh: '不接受键名「{key}」', en: 'The key "{key}" is refused' },
});

export type PackIssueCode = IssueCode<typeof PackIssues>;
